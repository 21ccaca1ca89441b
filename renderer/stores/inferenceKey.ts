import type { Graph } from '../../shared/graph/types.js';

/**
 * Everything that changes what inference sees; positions and selection do not. Every field of
 * a node but its position counts, and every field of a block but whether it is drawn
 * collapsed, so a new one (as `frozen` was) cannot leave the counts stale.
 */
export function inferenceKey(graph: Graph): string {
  return JSON.stringify([graph.nodes.map(({ position: _position, ...rest }) => rest), graph.edges, (graph.blocks ?? []).map(({ collapsed: _drawn, ...rest }) => rest)]);
}
