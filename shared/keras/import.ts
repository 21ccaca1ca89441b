import { isActivationParam, kerasKey, specForKerasClass } from './format.js';
import { inferGraph } from '../graph/infer.js';
import { layoutGraph } from '../graph/layout.js';
import { flattenNested } from './nested.js';
import { describe, importParams, inputShape, lookUp, Problems } from './params.js';
import { ImportFailure, readModel, type ImportErrorCode, type KerasFlavour, type KerasModel, type Ref } from './read.js';
import type { Graph, GraphBlock, GraphEdge, GraphNode } from '../graph/types.js';
import { layersIn } from '../graph/blocks.js';
import { getLayerSpec } from '../layers/registry.js';
import type { LayerSpec } from '../layers/types.js';
import { CURRENT_SCHEMA_VERSION, trainingDefaultsSchema, type Project } from '../project/schema.js';

export { looksLikeKerasModel, type KerasFlavour } from './read.js';

/**
 * Keras and TensorFlow.js model JSON → a NetCanvas project. Reads Keras 2 and Keras 3
 * `model.to_json()`, tfjs-layers' `model.toJSON()` and TensorFlow.js `model.json` files.
 * Layers map to registry types through their specs alone (Keras class, param keys,
 * `fromKeras`), so a layer added to the registry imports with no change here.
 */

export const FLAVOUR_LABELS: Record<KerasFlavour, string> = {
  keras2: 'Keras 2 JSON',
  keras3: 'Keras 3 JSON',
  tfjs: 'TensorFlow.js JSON',
};

export interface KerasImportError {
  code: ImportErrorCode;
  message: string;
}

export type KerasImport =
  | {
      ok: true;
      project: Project;
      flavour: KerasFlavour;
      warnings: string[];
      /**
       * Node id → the layer's name in the file, which names its weights there: tfjs weight
       * manifests write `<name>/kernel`, Keras `<name>/kernel:0`. A layer of a nested model keeps
       * its own name here even where its node had to be renamed.
       */
      weightNames: Record<string, string>;
      /**
       * Node id → the nested models a layer sits in inside the file, outermost first, for the
       * layers of nested models only (Keras's HDF5 files group a nested model's weights under it).
       */
      weightScopes: Record<string, readonly string[]>;
    }
  | { ok: false; error: KerasImportError };

/** A parsed Keras or TensorFlow.js model file → a project; `source` names the file in messages. */
export function importKerasModel(raw: unknown, source = 'model file'): KerasImport {
  try {
    const model = flattenNested(readModel(raw));
    const built = buildGraph(model);
    const { warnings, weightNames, weightScopes } = built;
    const graph = withNestedBlocks(built.graph, weightScopes);
    const project: Project = {
      schemaVersion: CURRENT_SCHEMA_VERSION,
      name: model.name,
      description: `Imported from ${source} (${FLAVOUR_LABELS[model.flavour]}).`,
      graph: layoutGraph(graph),
      training: trainingDefaultsSchema.parse({ dataset: 'mnist' }),
    };
    return { ok: true, project, flavour: model.flavour, warnings: [...model.warnings, ...warnings], weightNames, weightScopes };
  } catch (err) {
    if (err instanceof ImportFailure) return { ok: false, error: { code: err.code, message: `${source}: ${err.message}` } };
    // Anything else is a bug here, but the user still gets a sentence, not a stack trace.
    return { ok: false, error: { code: 'INVALID_MODEL', message: `${source}: the model could not be read (${(err as Error).message}).` } };
  }
}

/** Blocks of more layers than this open collapsed: a model used as a layer is read as one. */
const COLLAPSED_FROM = 8;

/**
 * Each nested model becomes a block named after it, holding its layers and the models nested
 * in it; a big one is drawn collapsed. The layers are named after their blocks when compiled
 * and exported, as the blocks' layers of any network are.
 */
function withNestedBlocks(graph: Graph, scopes: Record<string, readonly string[]>): Graph {
  const blocks = new Map<string, GraphBlock>();
  const idOf = (path: readonly string[]) => `model_${path.map((p) => p.replace(/[^A-Za-z0-9_-]/g, '_')).join('__')}`;
  for (const node of graph.nodes) {
    const scope = scopes[node.id];
    if (!scope?.length) continue;
    for (let depth = 1; depth <= scope.length; depth++) {
      const id = idOf(scope.slice(0, depth));
      if (!blocks.has(id)) {
        blocks.set(id, { id, name: scope[depth - 1]!, members: [] });
        if (depth > 1) blocks.get(idOf(scope.slice(0, depth - 1)))!.members.push(id);
      }
    }
    blocks.get(idOf(scope))!.members.push(node.id);
  }
  if (blocks.size === 0) return graph;
  const withBlocks: Graph = { ...graph, blocks: [...blocks.values()] };
  withBlocks.blocks = withBlocks.blocks!.map((b) => (layersIn(withBlocks, b.id).length > COLLAPSED_FROM ? { ...b, collapsed: true } : b));
  return withBlocks;
}

function safeIds(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    const base = name.replace(/[^A-Za-z0-9_-]/g, '_') || 'layer';
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    return id;
  });
}

interface Built {
  graph: { nodes: GraphNode[]; edges: GraphEdge[] };
  warnings: string[];
  weightNames: Record<string, string>;
  weightScopes: Record<string, readonly string[]>;
}

function buildGraph(model: KerasModel): Built {
  const problems = new Problems();
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const safe = safeIds(model.layers.map((l) => l.name));
  const ids = new Map(model.layers.map((l, i) => [l.name, safe[i]!]));

  const nodes: GraphNode[] = [];
  const specs = new Map<string, LayerSpec>();
  const weightNames: Record<string, string> = {};
  const weightScopes: Record<string, readonly string[]> = {};
  /** Node id → how many pooled dimensions Keras keeps as size 1 after it (keepdims). */
  const keptDims = new Map<string, number>();
  for (const layer of model.layers) {
    const spec = lookUp(layer.className, layer.name, problems);
    if (!spec) continue;
    specs.set(layer.name, spec);
    const id = ids.get(layer.name)!;
    weightNames[id] = layer.fileName ?? layer.name;
    if (layer.scope) weightScopes[id] = layer.scope;
    const where = describe(layer.className, layer.name);
    if (spec.inputs.max === 0) {
      const shapeParam = spec.params.find((p) => p.kind === 'shape');
      nodes.push({ id, type: spec.type, name: layer.name, params: shapeParam ? { [shapeParam.name]: inputShape(layer) } : {}, position: { x: 0, y: 0 } });
      continue;
    }
    if (!layer.call) throw new ImportFailure('INVALID_MODEL', `${where} is not connected to anything (its "inbound_nodes" is empty).`);
    // Keras's `trainable: false` is NetCanvas's Freeze.
    const frozen = layer.config.trainable === false ? { frozen: true } : {};
    const kept = keepsDims(spec, layer.config);
    if (kept !== undefined) keptDims.set(id, kept);
    // The Reshape that follows gives back the kept dimensions, so the pooling itself pools as NetCanvas's does.
    const config = kept === undefined ? layer.config : { ...layer.config, keepdims: false };
    nodes.push({ id, type: spec.type, name: layer.name, params: importParams(spec, config, layer.call.kwargs, where, problems), position: { x: 0, y: 0 }, ...frozen });
  }
  problems.throwIfAny();

  const source = (ref: Ref, where: string) => {
    const from = byName.get(ref.layer);
    if (!from) throw new ImportFailure('INVALID_MODEL', `${where} refers to a layer "${ref.layer}" that the model does not have.`);
    if (ref.node > 0) {
      throw new ImportFailure(
        'UNSUPPORTED_MODEL',
        `${where} uses call ${ref.node + 1} of layer "${ref.layer}" (a shared layer). NetCanvas gives every use its own layer: make a separate layer for each use and import again.`,
      );
    }
    return { source: ids.get(ref.layer)!, ...(ref.tensor > 0 ? { sourceHandle: String(ref.tensor) } : {}) };
  };

  const edges: GraphEdge[] = [];
  const addEdge = (edge: Omit<GraphEdge, 'id'>) => edges.push({ id: `e${edges.length + 1}`, ...edge });
  for (const layer of model.layers) {
    const call = layer.call;
    const spec = specs.get(layer.name)!;
    if (!call || spec.inputs.max === 0) continue;
    const where = describe(layer.className, layer.name);
    const target = ids.get(layer.name)!;
    const slots = spec.inputs.slots;
    if (!slots) {
      if (call.named.length > 0) {
        throw new ImportFailure('UNSUPPORTED_MODEL', `${where} receives a tensor as "${call.named[0]![0]}"; NetCanvas cannot connect that input.`);
      }
      for (const ref of call.positional) addEdge({ ...source(ref, where), target });
      continue;
    }
    if (call.positional.length > slots.length) {
      throw new ImportFailure('UNSUPPORTED_MODEL', `${where} receives ${call.positional.length} inputs but NetCanvas's ${spec.type} takes at most ${slots.length} (${slots.join(', ')}).`);
    }
    const refs = [...call.positional, ...call.named.map(([, ref]) => ref)];
    const same = (a: Ref, b: Ref) => a.layer === b.layer && a.node === b.node && a.tensor === b.tensor;
    const known = call.named.every(([slot]) => slots.includes(slot));
    if (known && refs.length > 1 && refs.every((ref) => same(ref, refs[0]!))) {
      // One tensor in every slot (Keras's self-attention, as export writes it): NetCanvas takes it once.
      addEdge({ ...source(refs[0]!, where), target, targetHandle: slots[0]! });
      continue;
    }
    call.positional.forEach((ref, i) => addEdge({ ...source(ref, where), target, targetHandle: slots[i]! }));
    for (const [slot, ref] of call.named) {
      if (!slots.includes(slot)) throw new ImportFailure('UNSUPPORTED_MODEL', `${where} receives a tensor as "${slot}"; NetCanvas's ${spec.type} has only the inputs ${slots.join(', ')}.`);
      if (slots.indexOf(slot) < call.positional.length) throw new ImportFailure('INVALID_MODEL', `${where} receives its ${slot} input twice.`);
      addEdge({ ...source(ref, where), target, targetHandle: slot });
    }
  }

  if (model.flavour !== 'tfjs') foldAddedLayers(nodes, edges, ids, weightNames, weightScopes);

  const warnings = [...problems.warnings];
  if (keptDims.size > 0) restoreKeptDims(keptDims, nodes, edges, ids, warnings);
  const isInput = (id: string) => nodes.some((n) => n.id === id && getLayerSpec(n.type)?.inputs.max === 0);
  const outputs = connectOutputs(model.outputs, nodes, edges, (ref) => source(ref, '"output_layers"'), isInput, warnings);
  const inputs = model.inputs.map((ref) => {
    const spec = specs.get(ref.layer);
    if (!spec || spec.inputs.max !== 0) throw new ImportFailure('INVALID_MODEL', `"input_layers" lists "${ref.layer}", which is not an InputLayer of the model.`);
    return ids.get(ref.layer)!;
  });
  return { graph: { nodes: inOrder(inOrder(nodes, inputs), outputs), edges }, warnings, weightNames, weightScopes };
}

/**
 * A layer whose NetCanvas form adds its input back (spec.kerasAddsToInput) comes from Keras as
 * the layer plus an Add of it and its input: the pair becomes one node, with the Add's
 * name, since that is what the rest of the model reads.
 */
function foldAddedLayers(
  nodes: GraphNode[],
  edges: GraphEdge[],
  ids: Map<string, string>,
  weightNames: Record<string, string>,
  weightScopes: Record<string, readonly string[]>,
): void {
  for (const node of [...nodes]) {
    if (!getLayerSpec(node.type)?.kerasAddsToInput) continue;
    const input = edges.find((e) => e.target === node.id);
    const readers = edges.filter((e) => e.source === node.id);
    const add = readers.length === 1 ? nodes.find((n) => n.id === readers[0]!.target && n.type === 'Add') : undefined;
    const addInputs = add ? edges.filter((e) => e.target === add.id) : [];
    const pairs = add && input && addInputs.length === 2 && addInputs.some((e) => e.source === input.source && (e.sourceHandle ?? '0') === (input.sourceHandle ?? '0'));
    if (!add || !pairs) {
      throw new ImportFailure(
        'UNSUPPORTED_MODEL',
        `${node.type} "${node.name ?? node.id}" is used other than added straight back to its input (x + ${node.name ?? node.id}(x)), which is the only way NetCanvas's ${node.type} works.`,
      );
    }
    // The pair becomes one node under the Add's name and id: what the rest of the model reads.
    for (const e of addInputs) edges.splice(edges.indexOf(e), 1);
    for (const e of edges) if (e.target === node.id) e.target = add.id;
    const removed = node.id;
    node.id = add.id;
    if (add.name) node.name = add.name;
    nodes.splice(nodes.indexOf(add), 1);
    for (const [kerasName, id] of ids) if (id === removed) ids.set(kerasName, add.id);
    // The weights are the folded layer's, under its name in the file.
    weightNames[add.id] = weightNames[removed]!;
    delete weightNames[removed];
    if (weightScopes[removed]) weightScopes[add.id] = weightScopes[removed];
    else delete weightScopes[add.id];
    delete weightScopes[removed];
  }
}

const GLOBAL_POOLING = /^Global(?:Max|Average)Pooling([1-3])D$/;

/**
 * For a global pooling that Keras tells to keep its pooled dimensions (`keepdims: true`, as
 * MobileNet's top has it since TF 2.6), how many they are; undefined for every other layer, and
 * where the spec reads keepdims itself.
 */
function keepsDims(spec: LayerSpec, config: Record<string, unknown>): number | undefined {
  const pooled = GLOBAL_POOLING.exec(spec.kerasClass);
  if (!pooled || config.keepdims !== true || spec.params.some((p) => kerasKey(p) === 'keepdims')) return undefined;
  return Number(pooled[1]);
}

/**
 * NetCanvas's global poolings return one vector per example; a Keras one with keepdims keeps a
 * size of 1 for each pooled dimension. Each becomes its pooling followed by a Reshape to
 * (1, …, channels), which what read the pooling, or took it as an output, now reads.
 */
function restoreKeptDims(kept: ReadonlyMap<string, number>, nodes: GraphNode[], edges: GraphEdge[], ids: Map<string, string>, warnings: string[]): void {
  const reshape = specForKerasClass('Reshape');
  const target = reshape?.params.find((p) => kerasKey(p) === 'target_shape');
  if (!reshape || !target) throw new ImportFailure('UNSUPPORTED_MODEL', 'a global pooling with keepdims needs a Reshape after it, which NetCanvas does not have.');
  const inference = inferGraph({ nodes, edges });
  const takenIds = new Set(nodes.map((n) => n.id));
  const takenNames = new Set(nodes.map((n) => n.name ?? n.id));
  const takenEdges = new Set(edges.map((e) => e.id));
  for (const [poolId, dims] of kept) {
    const pool = nodes.find((n) => n.id === poolId)!;
    const poolName = pool.name ?? pool.id;
    // Where the pooled shape is unknown (a problem further up, shown there), -1 still keeps every channel.
    const channels = inference.nodes[poolId]?.outputShape?.at(-1);
    const shape = [...Array.from({ length: dims }, () => 1), typeof channels === 'number' ? channels : -1];
    let name = `${poolName}_keepdims`;
    let id = `${poolId}_keepdims`;
    for (let i = 2; takenNames.has(name) || takenIds.has(id); i++) {
      name = `${poolName}_keepdims_${i}`;
      id = `${poolId}_keepdims_${i}`;
    }
    takenNames.add(name);
    takenIds.add(id);
    for (const e of edges) if (e.source === poolId) e.source = id;
    let edgeId = `e${edges.length + 1}`;
    for (let i = edges.length + 2; takenEdges.has(edgeId); i++) edgeId = `e${i}`;
    takenEdges.add(edgeId);
    edges.push({ id: edgeId, source: poolId, target: id });
    const frozen = pool.frozen ? { frozen: true } : {};
    nodes.splice(nodes.indexOf(pool) + 1, 0, { id, type: reshape.type, name, params: { [target.name]: shape }, position: { x: 0, y: 0 }, ...frozen });
    for (const [kerasName, nodeId] of ids) if (nodeId === poolId) ids.set(kerasName, id);
    warnings.push(
      `${pool.type} "${poolName}" keeps its pooled dimensions in Keras (keepdims: true), which NetCanvas's ${pool.type} does not; it is now the pooling followed by a Reshape "${name}" to (${shape.join(', ')}), which gives the same shape.`,
    );
  }
}

/**
 * NetCanvas's outputs are the layers nothing reads, first output each. A Keras output that
 * another layer also reads, or a second output of a layer (an LSTM's state), gets a linear
 * Activation after it, so it can be an output with the same shape and the same parameters.
 */
function connectOutputs(
  refs: readonly Ref[],
  nodes: GraphNode[],
  edges: GraphEdge[],
  source: (ref: Ref) => Pick<GraphEdge, 'source' | 'sourceHandle'>,
  isInput: (id: string) => boolean,
  warnings: string[],
): string[] {
  const read = new Set(edges.map((e) => e.source));
  const froms = refs.map(source);
  // A layer with a pass-through after it is read from then, so all its outputs need one.
  const uses = new Map<string, number>();
  for (const from of froms) uses.set(from.source, (uses.get(from.source) ?? 0) + 1);
  const taken = new Set(nodes.map((n) => n.id));
  const outputs: string[] = [];
  for (const [i, ref] of refs.entries()) {
    const from = froms[i]!;
    if (ref.tensor === 0 && !read.has(from.source) && !isInput(from.source) && uses.get(from.source) === 1) {
      outputs.push(from.source);
      continue;
    }
    const identity = specForKerasClass('Activation');
    const activation = identity?.params.find(isActivationParam);
    if (!identity || !activation) throw new ImportFailure('UNSUPPORTED_MODEL', `the model's output "${ref.layer}" is also read by other layers, which NetCanvas cannot express.`);
    const base = `${from.source}_output${ref.tensor > 0 ? `_${ref.tensor + 1}` : ''}`;
    let id = base;
    for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
    taken.add(id);
    nodes.push({ id, type: identity.type, name: id, params: { [activation.name]: 'linear' }, position: { x: 0, y: 0 } });
    edges.push({ id: `e${edges.length + 1}`, ...from, target: id });
    outputs.push(id);
    const which = ref.tensor > 0 ? `output ${ref.tensor + 1} of "${ref.layer}"` : `"${ref.layer}", which something else also reads`;
    warnings.push(`The model's output ${outputs.length} is ${which}; NetCanvas takes outputs only from layers nothing else reads, so a pass-through layer "${id}" now follows it.`);
  }
  for (const node of nodes) {
    if (!outputs.includes(node.id) && !isInput(node.id) && !edges.some((e) => e.source === node.id)) {
      warnings.push(`"${node.name ?? node.id}" is not an output of the Keras model but nothing reads it; NetCanvas treats it as an output.`);
    }
  }
  return outputs;
}

/** Reorders the given nodes among the places they hold, so the graph lists them in `order`. */
function inOrder(nodes: GraphNode[], order: readonly string[]): GraphNode[] {
  const wanted = new Set(order);
  const places = nodes.map((n, i) => (wanted.has(n.id) ? i : -1)).filter((i) => i >= 0);
  const result = [...nodes];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const ordered = order.filter((id, i) => byId.has(id) && order.indexOf(id) === i).map((id) => byId.get(id)!);
  places.forEach((place, i) => {
    if (ordered[i]) result[place] = ordered[i];
  });
  return result;
}
