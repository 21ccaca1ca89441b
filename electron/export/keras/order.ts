import type { KerasLayerJson, KerasModelJson } from '../../../shared/keras/format.js';

/**
 * The order of `model.layers` in the model Keras builds from this JSON. Keras's `load_weights`
 * on an .h5 file pairs the file's layers that have weights with the model's, one by one in this
 * order, so `layer_names` must follow it. Keras (2's `_map_graph_network`, 3's `map_graph`)
 * walks back from the outputs depth first, gives each layer its longest distance to an output,
 * and lists layers from the deepest, ties in the order the walk first met them. The JSON's own
 * order does not matter to it. Each layer here is called once, so a layer is its one node.
 */
export function kerasLayerOrder(model: KerasModelJson): string[] {
  const byName = new Map(model.config.layers.map((l) => [l.name, l]));
  const parents = (name: string): string[] => {
    const layer = byName.get(name);
    if (!layer) throw new Error(`The Keras JSON refers to a layer "${name}" it does not define.`);
    return kerasInputs(layer);
  };

  const finished = new Set<string>();
  const inProgress = new Set<string>();
  const decreasingDepth: string[] = [];
  const index = new Map<string, number>();
  const visit = (name: string): void => {
    if (finished.has(name)) return;
    if (inProgress.has(name)) throw new Error(`The Keras JSON has a cycle through layer "${name}".`);
    if (!index.has(name)) index.set(name, index.size);
    inProgress.add(name);
    for (const parent of parents(name)) visit(parent);
    inProgress.delete(name);
    finished.add(name);
    decreasingDepth.push(name);
  };
  for (const [name] of model.config.output_layers) visit(name);

  const depth = new Map<string, number>();
  for (const name of [...decreasingDepth].reverse()) {
    const own = depth.get(name) ?? 0;
    depth.set(name, own);
    for (const parent of parents(name)) depth.set(parent, Math.max(own + 1, depth.get(parent) ?? 0));
  }
  // Inputs that lead to no output still belong to the model, at depth 0.
  for (const [name] of model.config.input_layers) {
    if (!depth.has(name)) {
      depth.set(name, 0);
      index.set(name, -1);
    }
  }
  return [...depth.keys()].sort((a, b) => depth.get(b)! - depth.get(a)! || index.get(a)! - index.get(b)!);
}

/**
 * The layers whose tensors a layer's call takes, in Keras's order: the positional inputs,
 * then the tensors among the keyword arguments by keyword in sorted order (`tf.nest.flatten`
 * of the arguments). Keras keeps the keyword arguments of the last entry.
 */
function kerasInputs(layer: KerasLayerJson): string[] {
  const call = layer.inbound_nodes[0];
  if (!call || call.length === 0) return [];
  const kwargs = call[call.length - 1]![3] ?? {};
  const keywordTensors = Object.keys(kwargs)
    .sort()
    .flatMap((key) => (isTensorRef(kwargs[key]) ? [(kwargs[key] as [string])[0]] : []));
  return [...call.map((entry) => entry[0]), ...keywordTensors];
}

function isTensorRef(value: unknown): boolean {
  return Array.isArray(value) && value.length >= 3 && typeof value[0] === 'string' && typeof value[1] === 'number' && typeof value[2] === 'number';
}
