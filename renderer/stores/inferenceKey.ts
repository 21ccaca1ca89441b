import type { Graph } from '../../shared/graph/types.js';

const keys = new WeakMap<Graph, string>();

/**
 * Everything that changes what inference sees; positions and selection do not. Every field of
 * a node but its position counts, and every field of a block but whether it is drawn
 * collapsed, so a new one (as `frozen` was) cannot leave the counts stale.
 */
export function inferenceKey(graph: Graph): string {
  // Read on every change to the store, a drag's every frame included: worked out once per graph.
  const known = keys.get(graph);
  if (known !== undefined) return known;
  const key = JSON.stringify([graph.nodes.map(({ position: _position, ...rest }) => rest), graph.edges, (graph.blocks ?? []).map(({ collapsed: _drawn, ...rest }) => rest)]);
  keys.set(graph, key);
  return key;
}
