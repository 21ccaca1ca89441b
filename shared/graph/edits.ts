/**
 * Every change the editor makes to a network, as pure functions from one graph to the next.
 * The graph store applies them and keeps the history; nothing here knows about the canvas.
 * A function that finds nothing to do returns the graph it was given, so "no change" is
 * plain reference equality.
 */
import { joinBlockOf, pruneBlocks } from './blocks.js';
import type { Fix } from './diagnostics.js';
import { layoutGraph } from './layout.js';
import { estimatedSize, freeSpot, GAP, occupiedBoxes, type Point, type SizeOf } from './placement.js';
import type { Graph, GraphEdge, GraphNode, ParamValue, Params } from './types.js';
import { defaultParams, getLayerSpec } from '../layers/registry.js';

export interface Connection {
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

export interface Added {
  graph: Graph;
  id: string;
}

/** The lowest free id of the form `dense_3`, so ids read well and never collide. */
export function freshId(taken: (id: string) => boolean, type: string): string {
  const stem = type.toLowerCase();
  let n = 1;
  while (taken(`${stem}_${n}`)) n++;
  return `${stem}_${n}`;
}

function idTaken(graph: Graph): (id: string) => boolean {
  const ids = new Set(graph.nodes.map((n) => n.id));
  return (id) => ids.has(id);
}

export function edgeId(c: Connection): string {
  return ['e', c.source, c.sourceHandle ?? '0', c.target, c.targetHandle ?? 'in'].join('_');
}

/** The connection as the graph stores it: handles only where they are not the default. */
export function makeEdge(c: Connection): GraphEdge {
  return {
    id: edgeId(c),
    source: c.source,
    target: c.target,
    ...(c.sourceHandle ? { sourceHandle: c.sourceHandle } : {}),
    ...(c.targetHandle ? { targetHandle: c.targetHandle } : {}),
  };
}

function newNode(graph: Graph, type: string, position: Point, params?: Params): GraphNode {
  const spec = getLayerSpec(type);
  if (!spec) throw new Error(`Unknown layer type ${type}`);
  return { id: freshId(idTaken(graph), type), type, params: { ...defaultParams(spec), ...params }, position };
}

/** A new layer at the free spot nearest `at` (its top-left corner). */
export function addLayer(graph: Graph, type: string, at: Point, sizeOf: SizeOf = estimatedSize): Added {
  const node = newNode(graph, type, at);
  node.position = freeSpot(occupiedBoxes(graph, sizeOf), at, sizeOf(node.id));
  return { graph: { ...graph, nodes: [...graph.nodes, node] }, id: node.id };
}

/** Every layer data from `id` reaches, not counting `id` itself. */
function downstreamOf(graph: Graph, id: string): Set<string> {
  const seen = new Set<string>();
  const queue = [id];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const edge of graph.edges) {
      if (edge.source === current && !seen.has(edge.target) && edge.target !== id) {
        seen.add(edge.target);
        queue.push(edge.target);
      }
    }
  }
  return seen;
}

/** Moves `ids` right by `dx`, making a column of room for a layer spliced in before them. */
function shiftRight(nodes: readonly GraphNode[], ids: ReadonlySet<string>, dx: number): GraphNode[] {
  return nodes.map((n) => (ids.has(n.id) ? { ...n, position: { x: n.position.x + dx, y: n.position.y } } : n));
}

const isFirstOutput = (edge: GraphEdge) => (edge.sourceHandle ?? '0') === '0';

/**
 * A new layer after `afterId`, fed by its first output. When `afterId` already feeds other
 * layers, the new one is spliced in between and what follows moves right to make room, so
 * connections keep flowing left to right. An Input (which takes nothing) goes in free space below.
 */
export function addLayerAfter(graph: Graph, type: string, afterId: string, sizeOf: SizeOf = estimatedSize): Added {
  const after = graph.nodes.find((n) => n.id === afterId);
  const spec = getLayerSpec(type);
  if (!after || !spec) return addLayer(graph, type, { x: 0, y: 0 }, sizeOf);
  const afterSize = sizeOf(after.id);
  if (spec.inputs.max === 0) return addLayer(graph, type, { x: after.position.x, y: after.position.y + afterSize.height + GAP.y }, sizeOf);

  const at = { x: after.position.x + afterSize.width + GAP.x, y: after.position.y };
  const node = newNode(graph, type, at);
  const slot = spec.inputs.slots?.[0];
  const feed = makeEdge({ source: afterId, target: node.id, targetHandle: slot });
  const outgoing = graph.edges.filter((e) => e.source === afterId && isFirstOutput(e));
  if (outgoing.length === 0) {
    node.position = freeSpot(occupiedBoxes(graph, sizeOf), at, sizeOf(node.id));
    return { graph: joinBlockOf({ ...graph, nodes: [...graph.nodes, node], edges: [...graph.edges, feed] }, afterId, node.id), id: node.id };
  }
  const moved = downstreamOf(graph, afterId);
  const rewired = outgoing.map((e) => makeEdge({ source: node.id, target: e.target, targetHandle: e.targetHandle }));
  const next = {
    ...graph,
    nodes: [...shiftRight(graph.nodes, moved, sizeOf(node.id).width + GAP.x), node],
    edges: [...graph.edges.filter((e) => !outgoing.includes(e)), feed, ...rewired],
  };
  return { graph: joinBlockOf(next, afterId, node.id), id: node.id };
}

/**
 * A new layer on every connection into `targetId` (Insert Flatten before a Dense): it takes
 * the target's place, and the target with everything after it moves one column right.
 */
export function insertBefore(graph: Graph, targetId: string, type: string, params?: Record<string, ParamValue>, sizeOf: SizeOf = estimatedSize): Added | null {
  const target = graph.nodes.find((n) => n.id === targetId);
  if (!target || !getLayerSpec(type)) return null;
  const node = newNode(graph, type, target.position, params);
  const incoming = graph.edges.filter((e) => e.target === targetId);
  const moved = new Set([targetId, ...downstreamOf(graph, targetId)]);
  const next = {
    ...graph,
    nodes: [...shiftRight(graph.nodes, moved, sizeOf(node.id).width + GAP.x), node],
    edges: [
      ...graph.edges.filter((e) => e.target !== targetId),
      ...incoming.map((e) => makeEdge({ source: e.source, sourceHandle: e.sourceHandle, target: node.id })),
      makeEdge({ source: node.id, target: targetId, targetHandle: incoming[0]?.targetHandle }),
    ],
  };
  return { graph: joinBlockOf(next, targetId, node.id), id: node.id };
}

/** Removes layers with every connection they have, and connections by id, in one change. */
export function removeElements(graph: Graph, nodeIds: readonly string[], edgeIds: readonly string[] = []): Graph {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  if (!graph.nodes.some((n) => nodes.has(n.id)) && !graph.edges.some((e) => edges.has(e.id))) return graph;
  // A block keeps the layers left in it; one left empty goes with its last layer.
  return pruneBlocks({
    ...graph,
    nodes: graph.nodes.filter((n) => !nodes.has(n.id)),
    edges: graph.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
  });
}

export function moveNodes(graph: Graph, positions: Readonly<Record<string, Point>>): Graph {
  let changed = false;
  const nodes = graph.nodes.map((n) => {
    const to = positions[n.id];
    if (!to || (to.x === n.position.x && to.y === n.position.y)) return n;
    changed = true;
    return { ...n, position: { x: to.x, y: to.y } };
  });
  return changed ? { ...graph, nodes } : graph;
}

/** A new connection; a loop onto the same layer, an unknown layer or a repeat changes nothing. */
export function connect(graph: Graph, c: Connection): Graph {
  if (c.source === c.target) return graph;
  const ids = idTaken(graph);
  if (!ids(c.source) || !ids(c.target)) return graph;
  const edge = makeEdge(c);
  const same = (e: GraphEdge) =>
    e.source === edge.source && e.target === edge.target && (e.sourceHandle ?? '0') === (edge.sourceHandle ?? '0') && (e.targetHandle ?? null) === (edge.targetHandle ?? null);
  if (graph.edges.some((e) => e.id === edge.id || same(e))) return graph;
  return { ...graph, edges: [...graph.edges, edge] };
}

function updateNode(graph: Graph, nodeId: string, change: (node: GraphNode) => GraphNode): Graph {
  const index = graph.nodes.findIndex((n) => n.id === nodeId);
  if (index < 0) return graph;
  const next = change(graph.nodes[index]!);
  if (next === graph.nodes[index]) return graph;
  const nodes = [...graph.nodes];
  nodes[index] = next;
  return { ...graph, nodes };
}

export function setParam(graph: Graph, nodeId: string, name: string, value: ParamValue): Graph {
  return updateNode(graph, nodeId, (n) => (Object.is(n.params[name], value) ? n : { ...n, params: { ...n.params, [name]: value } }));
}

/** Sets or clears (empty text) a layer's display name, which is also its Keras name on export. */
export function renameNode(graph: Graph, nodeId: string, name: string): Graph {
  const trimmed = name.trim();
  return updateNode(graph, nodeId, (n) => {
    if ((n.name ?? '') === trimmed) return n;
    const { name: _old, ...rest } = n;
    return trimmed ? { ...rest, name: trimmed } : rest;
  });
}

/** Freezes layers (their weights stay as they are while the rest trains) or lets them train again. */
export function setFrozen(graph: Graph, nodeIds: readonly string[], frozen: boolean): Graph {
  let next = graph;
  for (const id of nodeIds) {
    next = updateNode(next, id, (n) => {
      if ((n.frozen ?? false) === frozen) return n;
      const { frozen: _old, ...rest } = n;
      return frozen ? { ...rest, frozen: true } : rest;
    });
  }
  return next;
}

/** Carries out a diagnostic's one-click repair. */
export function applyFix(graph: Graph, nodeId: string, fix: Fix, sizeOf: SizeOf = estimatedSize): Graph {
  if (fix.kind === 'insert-before') return insertBefore(graph, nodeId, fix.layerType, fix.params, sizeOf)?.graph ?? graph;
  return setParam(graph, fix.nodeId ?? nodeId, fix.param, fix.value);
}

/** Arranges the whole network left to right by its data flow. */
export function layout(graph: Graph): Graph {
  if (graph.nodes.length === 0) return graph;
  return moveNodes(graph, Object.fromEntries(layoutGraph(graph).nodes.map((n) => [n.id, n.position])));
}
