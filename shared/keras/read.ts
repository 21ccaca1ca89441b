import { MODEL_CLASSES } from './format.js';

/**
 * Reads the layers of a Keras or TensorFlow.js model file and how they are called, whatever
 * the flavour: Keras 2 and tfjs `[[layer, node, tensor, kwargs], ...]` inbound nodes, Keras 3
 * `{args, kwargs}` ones with `__keras_tensor__` references, Sequential or functional models,
 * bare or inside a TensorFlow.js model.json. A model used as a layer of another stays one
 * layer here, its `config` the nested model's; `nested.ts` lays it out into the outer model.
 */

export type KerasFlavour = 'keras2' | 'keras3' | 'tfjs';

export type ImportErrorCode = 'NOT_A_MODEL' | 'UNSUPPORTED_LAYERS' | 'UNSUPPORTED_MODEL' | 'INVALID_MODEL';

/** Thrown inside the importer only; the entry point turns it into a returned error. */
export class ImportFailure extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Whether a parsed JSON value looks like a Keras or TensorFlow.js layers model rather than something else. */
export function looksLikeKerasModel(raw: unknown): boolean {
  if (!isObject(raw)) return false;
  if (typeof raw.format === 'string' || 'modelTopology' in raw || 'model_config' in raw) return true;
  return typeof raw.class_name === 'string' && (MODEL_CLASSES.includes(raw.class_name) || 'config' in raw);
}

/** One tensor a layer receives: output `tensor` of call `node` of layer `layer`. */
export interface Ref {
  layer: string;
  node: number;
  tensor: number;
}

export interface Call {
  /** Tensors passed in order: the first argument (flattened) and any further positional ones. */
  positional: Ref[];
  /** Tensors passed by keyword, e.g. MultiHeadAttention's `value`. */
  named: [string, Ref][];
  /** Every other keyword argument, e.g. `use_causal_mask`. */
  kwargs: Json;
}

export interface KerasLayer {
  /** Unique in the whole model, nested models' layers included. */
  name: string;
  className: string;
  config: Json;
  call?: Call;
  /** The name the file gives the layer, where `name` had to differ from it (a name repeated in a nested model). */
  fileName?: string;
  /** The models this layer sits in inside the file, outermost first; absent for the model's own layers. */
  scope?: readonly string[];
}

export interface KerasModel {
  name: string;
  flavour: KerasFlavour;
  layers: KerasLayer[];
  inputs: Ref[];
  outputs: Ref[];
  warnings: string[];
}

export function readModel(raw: unknown): KerasModel {
  if (!isObject(raw)) throw new ImportFailure('NOT_A_MODEL', 'expected a Keras or TensorFlow.js model (a JSON object with "class_name" and "config").');
  let topology: unknown = raw;
  let tfjs = false;
  if ('modelTopology' in raw || typeof raw.format === 'string') {
    if (raw.format !== undefined && raw.format !== 'layers-model') {
      throw new ImportFailure(
        'UNSUPPORTED_MODEL',
        `this is a TensorFlow.js "${String(raw.format)}" file; NetCanvas imports only layers models ("format": "layers-model"), which keep the network's layers.`,
      );
    }
    topology = raw.modelTopology;
    if (!isObject(topology)) throw new ImportFailure('INVALID_MODEL', '"modelTopology" must be an object with the model\'s layers.');
    tfjs = topology.backend === 'tensor_flow.js';
  }
  if (isObject(topology) && 'model_config' in topology) {
    tfjs ||= topology.backend === 'tensor_flow.js';
    const inner = topology.model_config;
    topology = typeof inner === 'string' ? parseNested(inner) : inner;
  }
  if (!isObject(topology)) throw new ImportFailure('INVALID_MODEL', '"model_config" must be an object with the model\'s layers.');
  tfjs ||= topology.backend === 'tensor_flow.js';

  const className = topology.class_name;
  if (typeof className !== 'string') throw new ImportFailure('NOT_A_MODEL', 'expected a Keras model: the top level needs "class_name" (Sequential, Functional or Model) and "config".');
  if (!MODEL_CLASSES.includes(className)) {
    throw new ImportFailure('NOT_A_MODEL', `expected a whole model (Sequential, Functional or Model) but the file holds a single ${className} layer.`);
  }
  const config = topology.config;
  const flavour: KerasFlavour = tfjs ? 'tfjs' : 'module' in topology || usesKeras3Nodes(config) ? 'keras3' : 'keras2';
  return { ...readModelConfig(className, config, false), flavour };
}

/**
 * One model's own layers, a nested model among them as one layer (its `config` the nested
 * model's). `fed`: the model is a layer of another one, which gives it its inputs.
 */
export function readModelConfig(className: string, config: unknown, fed: boolean): Omit<KerasModel, 'flavour'> {
  return className === 'Sequential' ? readSequential(config, fed) : readFunctional(config);
}

function parseNested(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ImportFailure('INVALID_MODEL', '"model_config" is a string that is not valid JSON.');
  }
}

function usesKeras3Nodes(config: unknown): boolean {
  const layers = isObject(config) ? config.layers : undefined;
  return Array.isArray(layers) && layers.some((l) => isObject(l) && Array.isArray(l.inbound_nodes) && l.inbound_nodes.some((n) => isObject(n)));
}

const modelName = (config: Json, fallback: string) => (typeof config.name === 'string' && config.name.trim() !== '' ? config.name : fallback);

/** A layer entry: `{class_name, config}` plus, in functional models, `name` and `inbound_nodes`. */
function readLayerEntry(entry: unknown, where: string, fallbackName?: string): KerasLayer & { inbound: unknown } {
  if (!isObject(entry)) throw new ImportFailure('INVALID_MODEL', `${where} must be an object with "class_name" and "config".`);
  const className = entry.class_name;
  if (typeof className !== 'string') throw new ImportFailure('INVALID_MODEL', `${where} has no "class_name".`);
  // A nested Sequential of Keras 2.2 and before is a bare list of layers too.
  const config = className === 'Sequential' && Array.isArray(entry.config) ? { layers: entry.config } : (entry.config ?? {});
  if (!isObject(config)) throw new ImportFailure('INVALID_MODEL', `${where} (${className}): "config" must be an object.`);
  const name = typeof entry.name === 'string' ? entry.name : typeof config.name === 'string' ? config.name : fallbackName;
  if (name === undefined || name === '') throw new ImportFailure('INVALID_MODEL', `${where} (${className}) has no name.`);
  return { name, className, config, inbound: entry.inbound_nodes };
}

function readSequential(config: unknown, fed: boolean): Omit<KerasModel, 'flavour'> {
  // Keras 1 and early Keras 2 wrote the layer list itself as the config.
  const layersJson = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(layersJson)) throw new ImportFailure('INVALID_MODEL', 'a Sequential model\'s "config" needs a "layers" list.');
  if (layersJson.length === 0) throw new ImportFailure('INVALID_MODEL', 'the Sequential model has no layers.');
  // Only references need names, and a Sequential model has none: unnamed layers get Keras-like ones.
  const entries = layersJson.map((l, i) => readLayerEntry(l, `layers[${i}]`, `layer_${i}`));
  const name = isObject(config) ? modelName(config, 'sequential') : 'sequential';
  const warnings: string[] = [];

  const layers: KerasLayer[] = [];
  const used = new Set<string>();
  const unique = (base: string) => {
    let n = base;
    for (let i = 2; used.has(n); i++) n = `${base}_${i}`;
    used.add(n);
    return n;
  };
  let rest = entries;
  const first = entries[0]!;
  let inputs: Ref[] | undefined;
  if (first.className === 'InputLayer') {
    layers.push({ name: unique(first.name), className: 'InputLayer', config: first.config });
    rest = entries.slice(1);
  } else if (fed) {
    // What feeds the model takes this input's place, shape and all.
    layers.push({ name: unique(`${first.name}_input`), className: 'InputLayer', config: {} });
  } else if (MODEL_CLASSES.includes(first.className)) {
    // A model first (Teachable Machine's Sequential of Sequentials): its inputs are this model's.
    inputs = [{ layer: unique(first.name), node: 0, tensor: 0 }];
    layers.push({ name: inputs[0]!.layer, className: first.className, config: first.config });
    rest = entries.slice(1);
  } else {
    const shape = first.config.batch_input_shape ?? first.config.batch_shape ?? (isObject(config) ? config.build_input_shape : undefined);
    const unbatched = first.config.input_shape;
    const batchShape = shape ?? (Array.isArray(unbatched) ? [null, ...unbatched] : undefined);
    if (batchShape === undefined || batchShape === null) {
      throw new ImportFailure(
        'INVALID_MODEL',
        `the Sequential model does not say what shape its input has (no InputLayer, and no "batch_input_shape" on its first layer "${first.name}"). In Keras, start the model with keras.Input(shape=...) and save it again.`,
      );
    }
    // Keras names the input it adds this way after the first layer.
    layers.push({ name: unique(`${first.name}_input`), className: 'InputLayer', config: { batch_input_shape: batchShape } });
  }
  for (const entry of rest) {
    const layerName = unique(entry.name);
    if (layerName !== entry.name) warnings.push(`Two layers are named "${entry.name}"; the second is now "${layerName}".`);
    const previous = layers[layers.length - 1]!;
    layers.push({ name: layerName, className: entry.className, config: entry.config, call: { positional: [{ layer: previous.name, node: 0, tensor: 0 }], named: [], kwargs: {} } });
  }
  const last = layers[layers.length - 1]!;
  return { name, layers, inputs: inputs ?? [{ layer: layers[0]!.name, node: 0, tensor: 0 }], outputs: [{ layer: last.name, node: 0, tensor: 0 }], warnings };
}

function readFunctional(config: unknown): Omit<KerasModel, 'flavour'> {
  if (!isObject(config) || !Array.isArray(config.layers)) throw new ImportFailure('INVALID_MODEL', 'a functional model\'s "config" needs a "layers" list.');
  const layers: KerasLayer[] = [];
  const seen = new Set<string>();
  config.layers.forEach((entryJson, i) => {
    const entry = readLayerEntry(entryJson, `layers[${i}]`);
    const where = `layer "${entry.name}" (${entry.className})`;
    if (seen.has(entry.name)) throw new ImportFailure('INVALID_MODEL', `two layers are named "${entry.name}"; layer names must be unique.`);
    seen.add(entry.name);
    const inbound = entry.inbound ?? [];
    if (!Array.isArray(inbound)) throw new ImportFailure('INVALID_MODEL', `${where}: "inbound_nodes" must be a list.`);
    if (inbound.length > 1) {
      throw new ImportFailure(
        'UNSUPPORTED_MODEL',
        `${where} is used ${inbound.length} times (a shared layer). NetCanvas gives every use its own layer: make a separate layer for each use and import again.`,
      );
    }
    const call = inbound.length === 1 ? readCall(inbound[0], where) : undefined;
    layers.push({ name: entry.name, className: entry.className, config: entry.config, ...(call ? { call } : {}) });
  });
  const inputs = readRefList(config.input_layers, '"input_layers"');
  const outputs = readRefList(config.output_layers, '"output_layers"');
  if (outputs.length === 0) throw new ImportFailure('INVALID_MODEL', 'the model has no outputs ("output_layers" is empty).');
  return { name: modelName(config, 'model'), layers, inputs, outputs, warnings: [] };
}

/** A Keras 2 reference `[layer, node, tensor, kwargs?]`, or undefined when `value` is not one. */
function asKeras2Ref(value: unknown): Ref | undefined {
  if (!Array.isArray(value) || value.length < 3 || value.length > 4) return undefined;
  const [layer, node, tensor] = value as unknown[];
  return typeof layer === 'string' && isWhole(node) && isWhole(tensor) ? { layer, node, tensor } : undefined;
}

/** A Keras 3 `{"class_name": "__keras_tensor__", "config": {"keras_history": [...]}}`. */
function asKeras3Tensor(value: unknown, where: string): Ref | undefined {
  if (!isObject(value) || value.class_name !== '__keras_tensor__') return undefined;
  const history = isObject(value.config) ? value.config.keras_history : undefined;
  const ref = asKeras2Ref(history);
  if (!ref) throw new ImportFailure('INVALID_MODEL', `${where}: a tensor's "keras_history" must be [layer name, node index, tensor index].`);
  return ref;
}

/** `input_layers` / `output_layers`: one reference, a list of them, or (Keras 3) a dict of them. */
function readRefList(value: unknown, what: string): Ref[] {
  const single = asKeras2Ref(value);
  if (single) return [single];
  if (Array.isArray(value)) return value.flatMap((v) => readRefList(v, what));
  if (isObject(value)) return Object.values(value).flatMap((v) => readRefList(v, what));
  throw new ImportFailure('INVALID_MODEL', `${what} must list [layer name, node index, tensor index] entries.`);
}

function readCall(node: unknown, where: string): Call {
  if (Array.isArray(node)) return readKeras2Call(node, where);
  if (isObject(node) && ('args' in node || 'kwargs' in node)) return readKeras3Call(node, where);
  throw new ImportFailure('INVALID_MODEL', `${where}: each entry of "inbound_nodes" must be a list of [layer, node, tensor, kwargs] or an {"args", "kwargs"} object.`);
}

function readKeras2Call(node: unknown[], where: string): Call {
  // Some writers leave out one level of nesting when a layer has a single input.
  const entries = typeof node[0] === 'string' ? [node] : node;
  const call: Call = { positional: [], named: [], kwargs: {} };
  for (const entry of entries) {
    if (Array.isArray(entry) && entry[0] === '_CONSTANT_VALUE') {
      throw new ImportFailure('UNSUPPORTED_MODEL', `${where} is called with a constant value instead of a layer's output; NetCanvas connects layers only to other layers.`);
    }
    const ref = asKeras2Ref(entry);
    if (!ref) throw new ImportFailure('INVALID_MODEL', `${where}: an inbound node must be [layer name, node index, tensor index, kwargs] (got ${JSON.stringify(entry)}).`);
    call.positional.push(ref);
    const kwargs = (entry as unknown[])[3];
    if (kwargs !== undefined && !isObject(kwargs)) throw new ImportFailure('INVALID_MODEL', `${where}: the call's keyword arguments must be an object.`);
    // Keras 2 repeats the call's kwargs on every input tensor, and writes tensors passed by keyword as references.
    for (const [key, value] of Object.entries(kwargs ?? {})) {
      const named = asKeras2Ref(value);
      if (named) {
        if (!call.named.some(([k]) => k === key)) call.named.push([key, named]);
      } else if (Array.isArray(value) && value.length > 0 && value.every((v) => asKeras2Ref(v) !== undefined)) {
        throw new ImportFailure('UNSUPPORTED_MODEL', `${where} receives several tensors as "${key}"; NetCanvas cannot connect that input.`);
      } else {
        call.kwargs[key] = value;
      }
    }
  }
  return call;
}

function readKeras3Call(node: Json, where: string): Call {
  const call: Call = { positional: [], named: [], kwargs: {} };
  const collect = (value: unknown, into: Ref[]) => {
    const tensor = asKeras3Tensor(value, where);
    if (tensor) into.push(tensor);
    else if (Array.isArray(value)) for (const v of value) collect(v, into);
    else if (isObject(value) && value.class_name === '__tensor__') {
      throw new ImportFailure('UNSUPPORTED_MODEL', `${where} is called with a constant tensor instead of a layer's output; NetCanvas connects layers only to other layers.`);
    }
  };
  const args = node.args ?? [];
  if (!Array.isArray(args)) throw new ImportFailure('INVALID_MODEL', `${where}: "args" of an inbound node must be a list.`);
  collect(args, call.positional);
  const kwargs = node.kwargs ?? {};
  if (!isObject(kwargs)) throw new ImportFailure('INVALID_MODEL', `${where}: "kwargs" of an inbound node must be an object.`);
  for (const [key, value] of Object.entries(kwargs)) {
    const tensors: Ref[] = [];
    collect(value, tensors);
    if (tensors.length === 0) call.kwargs[key] = value;
    else if (tensors.length === 1 && !Array.isArray(value)) call.named.push([key, tensors[0]!]);
    else throw new ImportFailure('UNSUPPORTED_MODEL', `${where} receives several tensors as "${key}"; NetCanvas cannot connect that input.`);
  }
  return call;
}
