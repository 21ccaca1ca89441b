import { boxOf, estimatedSize, type Box, type SizeOf } from './placement.js';
import type { Graph, GraphNode } from './types.js';
import { getLayerSpec } from '../layers/registry.js';

/** Arrow keys on the canvas: along the data flow (next, previous) or across it (up, down). */
export type Direction = 'next' | 'previous' | 'up' | 'down';

const centre = (b: Box) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

/** Nearest by position in the direction asked, weighing distance across it double. */
function nearest(from: Box, candidates: readonly { node: GraphNode; box: Box }[], direction: Direction): string | null {
  const here = centre(from);
  let best: { id: string; cost: number } | null = null;
  for (const { node, box } of candidates) {
    const there = centre(box);
    const dx = there.x - here.x;
    const dy = there.y - here.y;
    const along = direction === 'next' ? dx : direction === 'previous' ? -dx : direction === 'down' ? dy : -dy;
    const across = direction === 'next' || direction === 'previous' ? Math.abs(dy) : Math.abs(dx);
    if (along <= 0) continue;
    const cost = along + 2 * across;
    if (!best || cost < best.cost) best = { id: node.id, cost };
  }
  return best?.id ?? null;
}

/**
 * The layer the selection moves to from `fromId`: next goes to what it feeds, previous to
 * what feeds it (the topmost first), and where there is no connection that way, to the
 * nearest layer on that side. With nothing selected it starts at the first Input.
 */
export function neighbour(graph: Graph, fromId: string | null, direction: Direction, sizeOf: SizeOf = estimatedSize): string | null {
  const from = fromId ? graph.nodes.find((n) => n.id === fromId) : undefined;
  if (!from) {
    const byPosition = [...graph.nodes].sort((a, b) => a.position.x - b.position.x || a.position.y - b.position.y);
    return (byPosition.find((n) => getLayerSpec(n.type)?.inputs.max === 0) ?? byPosition[0])?.id ?? null;
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const linked =
    direction === 'next' ? graph.edges.filter((e) => e.source === from.id).map((e) => e.target) : direction === 'previous' ? graph.edges.filter((e) => e.target === from.id).map((e) => e.source) : [];
  const topmost = [...new Set(linked)]
    .map((id) => byId.get(id))
    .filter((n): n is GraphNode => n !== undefined)
    .sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x);
  if (topmost[0]) return topmost[0].id;
  const others = graph.nodes.filter((n) => n.id !== from.id).map((node) => ({ node, box: boxOf(node, sizeOf) }));
  return nearest(boxOf(from, sizeOf), others, direction);
}
