import { MODEL_CLASSES } from './format.js';
import { ImportFailure, readModelConfig, type Call, type KerasLayer, type KerasModel, type Ref } from './read.js';

/**
 * Models used as layers of other models (Teachable Machine's Sequential of Sequentials, a
 * Keras application as the base of a functional model) laid out into one model: the nested
 * model's layers join the outer ones, its inputs connected to what fed it, what read it
 * connected to its outputs. Keras names layers uniquely within one model only, so a name
 * already taken gets a suffix, with a warning; `fileName` and `scope` keep where it came from.
 */

type Model = Omit<KerasModel, 'flavour'>;

interface Flat {
  layers: KerasLayer[];
  inputs: Ref[];
  outputs: Ref[];
}

interface Names {
  used: Set<string>;
  /** A nested model's input, once dropped → the tensor that feeds it (in the whole model's names). */
  fedBy: Map<string, Ref>;
  warnings: string[];
}

export function flattenNested(model: KerasModel): KerasModel {
  if (!model.layers.some(isModel)) return model;
  const names: Names = { used: new Set(), fedBy: new Map(), warnings: [] };
  const flat = flatten(model, [], false, names);
  const follow = (ref: Ref): Ref => {
    let current = ref;
    for (let fed = names.fedBy.get(current.layer); fed; fed = names.fedBy.get(current.layer)) current = fed;
    return current;
  };
  const layers = flat.layers.map((layer) => (layer.call ? { ...layer, call: mapCall(layer.call, follow) } : layer));
  return { ...model, layers, inputs: flat.inputs.map(follow), outputs: flat.outputs.map(follow), warnings: [...model.warnings, ...names.warnings] };
}

const isModel = (layer: KerasLayer) => MODEL_CLASSES.includes(layer.className);

function mapCall(call: Call, map: (ref: Ref) => Ref): Call {
  return { positional: call.positional.map(map), named: call.named.map(([key, ref]) => [key, map(ref)]), kwargs: call.kwargs };
}

function flatten(model: Model, scope: readonly string[], frozen: boolean, names: Names): Flat {
  const renamed = new Map<string, string>();
  const nestedOutputs = new Map<string, { outputs: Ref[]; where: string }>();
  const nestedInputs = new Map<string, Ref[]>();
  const feeds: [string, Ref][] = [];
  const own: KerasLayer[] = [];
  const layers: KerasLayer[] = [];

  for (const layer of model.layers) {
    const where = `${layer.className} "${layer.name}"${scope.length > 0 ? ` inside "${scope.join('" inside "')}"` : ''}`;
    if (!isModel(layer)) {
      let name = layer.name;
      for (let i = 2; names.used.has(name); i++) name = `${layer.name}_${i}`;
      names.used.add(name);
      if (name !== layer.name) names.warnings.push(`Two layers are named "${layer.name}" (one in the nested model "${scope.join('" inside "') || model.name}"); the second is now "${name}".`);
      renamed.set(layer.name, name);
      const config = frozen ? { ...layer.config, trainable: false } : layer.config;
      const placed: KerasLayer = { ...layer, name, config, ...(name !== layer.name ? { fileName: layer.name } : {}), ...(scope.length > 0 ? { scope } : {}) };
      own.push(placed);
      layers.push(placed);
      continue;
    }
    const inner = readNested(layer, where);
    names.warnings.push(...inner.warnings);
    // Keras's `base_model.trainable = False` freezes every layer inside.
    const flat = flatten(inner, [...scope, layer.name], frozen || layer.config.trainable === false, names);
    if (layer.call) {
      if (layer.call.named.length > 0) throw new ImportFailure('UNSUPPORTED_MODEL', `${where} receives a tensor as "${layer.call.named[0]![0]}"; NetCanvas cannot connect that input.`);
      if (layer.call.positional.length !== flat.inputs.length) {
        throw new ImportFailure('INVALID_MODEL', `${where} has ${flat.inputs.length} input${flat.inputs.length === 1 ? '' : 's'} but receives ${layer.call.positional.length}.`);
      }
      // The nested model's inputs give way to what feeds it.
      flat.inputs.forEach((input, i) => feeds.push([input.layer, layer.call!.positional[i]!]));
      const dropped = new Set(flat.inputs.map((r) => r.layer));
      layers.push(...flat.layers.filter((l) => !dropped.has(l.name)));
    } else {
      nestedInputs.set(layer.name, flat.inputs);
      layers.push(...flat.layers);
    }
    nestedOutputs.set(layer.name, { outputs: flat.outputs, where });
  }

  const resolve = (ref: Ref): Ref => {
    const name = renamed.get(ref.layer);
    if (name !== undefined) return { ...ref, layer: name };
    const nested = nestedOutputs.get(ref.layer);
    if (!nested) return ref; // the graph builder names a reference to a layer the model lacks
    // Keras 2 and 3 count a nested model's own first call (its inputs to its outputs) as call 0.
    if (ref.node > 1) {
      throw new ImportFailure(
        'UNSUPPORTED_MODEL',
        `the nested model ${nested.where} is used more than once (a shared model). NetCanvas gives every use its own layers: make a separate copy for each use and import again.`,
      );
    }
    const output = nested.outputs[ref.tensor];
    if (!output) throw new ImportFailure('INVALID_MODEL', `a layer reads output ${ref.tensor + 1} of the nested model ${nested.where}, which has only ${nested.outputs.length}.`);
    return output;
  };
  for (const layer of own) if (layer.call) layer.call = mapCall(layer.call, resolve);
  for (const [input, feed] of feeds) names.fedBy.set(input, resolve(feed));
  return {
    layers,
    inputs: model.inputs.flatMap((ref) => nestedInputs.get(ref.layer) ?? [resolve(ref)]),
    outputs: model.outputs.map(resolve),
  };
}

function readNested(layer: KerasLayer, where: string): Model {
  try {
    return readModelConfig(layer.className, layer.config, layer.call !== undefined);
  } catch (err) {
    if (err instanceof ImportFailure) throw new ImportFailure(err.code, `in the nested model ${where}: ${err.message}`);
    throw err;
  }
}
