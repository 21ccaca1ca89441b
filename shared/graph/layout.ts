import { GAP, NODE_SIZE } from './placement.js';
import type { Graph, GraphNode } from './types.js';

const COLUMN_STEP = NODE_SIZE.width + GAP.x;
const ROW_STEP = NODE_SIZE.height + GAP.y;

/**
 * Places the nodes left to right in columns by their longest path from an input, each
 * column spread vertically and centred on the tallest one. Within a column, nodes follow
 * the average row of what feeds them, which keeps most connections from crossing.
 * Deterministic: the same graph always gets the same positions.
 */
export function layoutGraph(graph: Graph): Graph {
  const index = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const parents = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  const children = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  for (const edge of graph.edges) {
    if (!index.has(edge.source) || !index.has(edge.target)) continue;
    parents.get(edge.target)!.push(edge.source);
    children.get(edge.source)!.push(edge.target);
  }

  const depth = new Map<string, number>();
  const pending = new Map(graph.nodes.map((n) => [n.id, parents.get(n.id)!.length]));
  const queue = graph.nodes.filter((n) => pending.get(n.id) === 0).map((n) => n.id);
  for (const id of queue) depth.set(id, 0);
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const child of children.get(id)!) {
      depth.set(child, Math.max(depth.get(child) ?? 0, depth.get(id)! + 1));
      const left = pending.get(child)! - 1;
      pending.set(child, left);
      if (left === 0) queue.push(child);
    }
  }
  // Nodes on a loop never come free; they go in one column after everything else.
  const last = Math.max(-1, ...depth.values());
  for (const node of graph.nodes) if (!pending.has(node.id) || pending.get(node.id)! > 0) depth.set(node.id, last + 1);

  const columns: string[][] = [];
  for (const node of graph.nodes) (columns[depth.get(node.id)!] ??= []).push(node.id);
  const row = new Map<string, number>();
  for (const column of columns) {
    if (!column) continue;
    const key = (id: string) => {
      const placed = parents.get(id)!.filter((p) => row.has(p));
      return placed.length === 0 ? -1 : placed.reduce((sum, p) => sum + row.get(p)!, 0) / placed.length;
    };
    column.sort((a, b) => key(a) - key(b) || index.get(a)! - index.get(b)!);
    column.forEach((id, i) => row.set(id, i));
  }

  const tallest = Math.max(0, ...columns.map((c) => c?.length ?? 0));
  const position = (node: GraphNode) => {
    const column = depth.get(node.id)!;
    const offset = ((tallest - columns[column]!.length) * ROW_STEP) / 2;
    return { x: column * COLUMN_STEP, y: offset + row.get(node.id)! * ROW_STEP };
  };
  return { ...graph, nodes: graph.nodes.map((n) => ({ ...n, position: position(n) })) };
}
