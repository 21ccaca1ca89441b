/**
 * Automatic layout with ELK's layered algorithm: layers in ranks along the flow, fewest
 * crossings, connections as straight as it can make them. An expanded block is a compound
 * node, so its members stay together inside its frame; a collapsed block is one node, its
 * members laid out among themselves and kept under it.
 */
import ElkBundled from 'elkjs/lib/elk.bundled.js';
import type { ELK, ElkNode, ElkPort, LayoutOptions as ElkOptions } from 'elkjs/lib/elk.bundled.js';
import { BLOCK_PADDING, blockNodeId } from './blocks.js';
import type { Point, Size } from './placement.js';
import type { Graph, GraphBlock, GraphEdge, GraphNode } from './types.js';
import { getLayerSpec, withDefaults } from '../layers/registry.js';

export type LayoutDirection = 'RIGHT' | 'DOWN';

export interface LayoutOptions {
  /** Which way data flows: left to right (the default) or top to bottom. */
  direction?: LayoutDirection;
  /** A layer's drawn size by its id, or a collapsed block's by `blockNodeId(block.id)`. */
  sizeOf: (id: string) => Size;
  /** The shape label drawn on a connection, or null where it has none. */
  edgeLabelOf?: (edge: GraphEdge) => Size | null;
}

type ElkConstructor = new () => ELK;
// A CommonJS module: Node hands its exports over as the default import, TypeScript's NodeNext reading expects them under `default`.
const Elk = ((ElkBundled as unknown as { default?: ElkConstructor }).default ?? ElkBundled) as unknown as ElkConstructor;

/** Room kept clear around every label, on top of the label itself. */
const LABEL_MARGIN = 10;
/** Least room between two layers side by side in one rank, and between ranks. */
const MIN_GAP = { cross: 40, main: 60 } as const;

/** Where a connection meets a drawn node, as a fraction of its side: the canvas spreads handles evenly. */
const spread = (index: number, count: number) => (index + 1) / (count + 1);

interface Context {
  graph: Graph;
  direction: LayoutDirection;
  sizeOf: (id: string) => Size;
  labelOf: (edge: GraphEdge) => Size | null;
  layers: Map<string, GraphNode>;
  blocks: Map<string, GraphBlock>;
  /** The block each layer or block sits in directly. */
  parent: Map<string, string>;
  /** Whether a block holds any layer, its inner blocks' included. */
  holdsLayers: Map<string, boolean>;
  spacing: ElkOptions;
  elk: ELK;
}

/** One end of a connection as drawn in a scope: the node it meets and its port there. */
interface End {
  node: string;
  port: string;
  /** The expanded blocks around that node, outermost first, inside the scope. */
  frames: string[];
}

/**
 * The graph with every layer placed; nothing else changes. Deterministic: the same graph and
 * sizes always get the same positions. The layout keeps the top-left corner the layers had.
 */
export async function autoLayout(graph: Graph, options: LayoutOptions): Promise<Graph> {
  if (graph.nodes.length === 0) return graph;
  const ctx = context(graph, options);
  const placed = await layoutScope(ctx, null);
  const corner = topLeft(graph.nodes.map((n) => n.position));
  const laid = topLeft([...placed.values()]);
  const dx = corner.x - laid.x;
  const dy = corner.y - laid.y;
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const at = placed.get(n.id);
      return at ? { ...n, position: { x: Math.round(at.x + dx), y: Math.round(at.y + dy) } } : n;
    }),
  };
}

function context(graph: Graph, options: LayoutOptions): Context {
  const direction = options.direction ?? 'RIGHT';
  const layers = new Map(graph.nodes.map((n) => [n.id, n]));
  const blocks = new Map((graph.blocks ?? []).map((b) => [b.id, b]));
  const parent = new Map<string, string>();
  for (const block of graph.blocks ?? []) {
    for (const member of block.members) if (!parent.has(member) && (layers.has(member) || blocks.has(member))) parent.set(member, block.id);
  }
  // A block listed inside itself, however deep, is read as standing on its own.
  for (const block of blocks.keys()) {
    const seen = new Set([block]);
    for (let at = parent.get(block); at !== undefined; at = parent.get(at)) {
      if (seen.has(at)) {
        parent.delete(block);
        break;
      }
      seen.add(at);
    }
  }
  const holdsLayers = new Map<string, boolean>();
  for (const id of layers.keys()) for (let at = parent.get(id); at !== undefined && !holdsLayers.get(at); at = parent.get(at)) holdsLayers.set(at, true);
  const labelOf = options.edgeLabelOf ?? (() => null);
  const ctx: Context = { graph, direction, sizeOf: options.sizeOf, labelOf, layers, blocks, parent, holdsLayers, spacing: {}, elk: new Elk() };
  ctx.spacing = spacingFor(ctx);
  return ctx;
}

/**
 * Gaps wide enough for the labels the canvas draws halfway along each connection: between
 * ranks, a label and its margins, plus the slack of a narrow layer centred in a wide rank and
 * the frame's side around a block's first layer; across a rank, room for two labels side by side.
 */
function spacingFor(ctx: Context): ElkOptions {
  const down = ctx.direction === 'DOWN';
  const main = (s: Size) => (down ? s.height : s.width);
  const cross = (s: Size) => (down ? s.width : s.height);
  let labelMain = 0;
  let labelCross = 0;
  for (const edge of ctx.graph.edges) {
    const label = ctx.labelOf(edge);
    if (!label) continue;
    labelMain = Math.max(labelMain, main(label));
    labelCross = Math.max(labelCross, cross(label));
  }
  const sizes = [...ctx.layers.keys()].map(ctx.sizeOf);
  for (const [id, block] of ctx.blocks) if (block.collapsed && ctx.holdsLayers.get(id)) sizes.push(ctx.sizeOf(blockNodeId(id)));
  const mains = sizes.map(main);
  const crosses = sizes.map(cross);
  const slack = (Math.max(...mains) - Math.min(...mains)) / 2;
  const frameSide = down ? BLOCK_PADDING.top : BLOCK_PADDING.side;
  const hasLabels = labelMain > 0;
  const betweenLayers = hasLabels ? Math.max(MIN_GAP.main, labelMain + 2 * LABEL_MARGIN + slack + frameSide) : MIN_GAP.main;
  const nodeNode = hasLabels ? Math.max(MIN_GAP.cross, 2 * (labelCross + LABEL_MARGIN) - Math.min(...crosses)) : MIN_GAP.cross;
  const edgeNode = hasLabels ? Math.max(MIN_GAP.cross / 2, labelCross / 2 + LABEL_MARGIN) : MIN_GAP.cross / 2;
  const edgeEdge = hasLabels ? Math.max(MIN_GAP.cross / 4, labelCross + LABEL_MARGIN) : MIN_GAP.cross / 4;
  return {
    'elk.spacing.nodeNode': String(Math.ceil(nodeNode)),
    'elk.layered.spacing.nodeNodeBetweenLayers': String(Math.ceil(betweenLayers)),
    'elk.spacing.edgeNode': String(Math.ceil(edgeNode)),
    'elk.spacing.edgeEdge': String(Math.ceil(edgeEdge)),
    'elk.layered.spacing.edgeNodeBetweenLayers': String(Math.ceil(betweenLayers / 2)),
    'elk.layered.spacing.edgeEdgeBetweenLayers': String(Math.ceil(edgeEdge)),
  };
}

/** Whether any block is drawn expanded, as a frame around its layers: a compound node for ELK. */
function hasFrames(ctx: Context): boolean {
  for (const [id, block] of ctx.blocks) if (!block.collapsed && ctx.holdsLayers.get(id)) return true;
  return false;
}

function graphOptions(ctx: Context): ElkOptions {
  return {
    'elk.algorithm': 'layered',
    'elk.direction': ctx.direction,
    'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
    // The graph's own order breaks ties, where no block is drawn as a frame: ELK 0.12's
    // model-order comparator fails on nodes inside compound nodes.
    ...(hasFrames(ctx) ? {} : { 'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES', 'elk.layered.crossingMinimization.forceNodeModelOrder': 'false' }),
    ...ctx.spacing,
  };
}

/**
 * Positions of every layer in a scope (the whole graph, or the inside of one collapsed block),
 * in the scope's own coordinates.
 */
async function layoutScope(ctx: Context, scope: string | null): Promise<Map<string, Point>> {
  const top = scope === null ? topLevel(ctx) : ctx.blocks.get(scope)!.members.filter((m) => ctx.parent.get(m) === scope);
  const collapsed: string[] = [];
  const ports = portsIn(ctx, scope);
  const children = top.map((id) => elkNode(ctx, id, ports, collapsed)).filter((n): n is ElkNode => n !== null);
  const root: ElkNode = {
    id: '\u001froot',
    layoutOptions: { ...graphOptions(ctx), 'elk.hierarchyHandling': 'INCLUDE_CHILDREN', 'elk.padding': '[top=0,left=0,bottom=0,right=0]' },
    children,
    edges: [],
  };
  const containers = new Map<string, ElkNode>([[root.id, root]]);
  const collect = (node: ElkNode) => {
    if (node.children?.length) {
      containers.set(node.id, node);
      node.children.forEach(collect);
    }
  };
  children.forEach(collect);
  for (const edge of ports.edges) {
    const depth = commonPrefix(edge.from.frames, edge.to.frames);
    const container = depth === 0 ? root : containers.get(blockNodeId(edge.from.frames[depth - 1]!))!;
    container.edges!.push({ id: edge.id, sources: [edge.from.port], targets: [edge.to.port] });
  }

  const laid = await ctx.elk.layout(root);
  const positions = new Map<string, Point>();
  const nodeAt = new Map<string, Point>();
  const read = (node: ElkNode, origin: Point) => {
    const at = { x: origin.x + (node.x ?? 0), y: origin.y + (node.y ?? 0) };
    nodeAt.set(node.id, at);
    if (ctx.layers.has(node.id)) positions.set(node.id, at);
    for (const child of node.children ?? []) read(child, at);
  };
  for (const child of laid.children ?? []) read(child, { x: 0, y: 0 });

  for (const block of collapsed) {
    const inside = await layoutScope(ctx, block);
    if (inside.size === 0) continue;
    const at = nodeAt.get(blockNodeId(block))!;
    const corner = topLeft([...inside.values()]);
    for (const [id, p] of inside) positions.set(id, { x: p.x - corner.x + at.x, y: p.y - corner.y + at.y });
  }
  return positions;
}

function topLevel(ctx: Context): string[] {
  const blocks = [...ctx.blocks.keys()].filter((id) => !ctx.parent.has(id));
  const layers = [...ctx.layers.keys()].filter((id) => !ctx.parent.has(id));
  // Blocks first in the order of their first layer, so the model order ELK keeps follows the graph.
  return [...layers, ...blocks].sort((a, b) => firstIndex(ctx, a) - firstIndex(ctx, b));
}

function firstIndex(ctx: Context, id: string): number {
  let first = Infinity;
  ctx.graph.nodes.forEach((n, i) => {
    if (i < first && isWithin(ctx, n.id, id)) first = i;
  });
  return first;
}

function isWithin(ctx: Context, layer: string, id: string): boolean {
  for (let at: string | undefined = layer; at !== undefined; at = ctx.parent.get(at)) if (at === id) return true;
  return false;
}

function commonPrefix(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

interface ScopeEdges {
  edges: { id: string; from: End; to: End }[];
}

/** A layer's handles as the canvas draws them: one per named input or output, else one each side. */
function handlesOf(node: GraphNode): { slots: readonly string[] | null; outputs: number; takesInput: boolean } {
  const spec = getLayerSpec(node.type);
  if (!spec) return { slots: null, outputs: 1, takesInput: true };
  const names = spec.outputNames?.(withDefaults(spec, node.params)) ?? ['output'];
  return { slots: spec.inputs.slots ?? null, outputs: Math.max(1, names.length), takesInput: spec.inputs.max > 0 };
}

const portId = (node: string, side: 'in' | 'out', index: number) => `${node}\u001f${side}\u001f${index}`;

/**
 * Each connection of the graph as drawn in a scope: its ends are the layers it joins, or the
 * collapsed block a layer is hidden in. Connections inside one drawn node are left out.
 */
function portsIn(ctx: Context, scope: string | null): ScopeEdges {
  const result: ScopeEdges = { edges: [] };
  const seen = new Set<string>();
  for (const edge of ctx.graph.edges) {
    const source = ctx.layers.get(edge.source);
    const target = ctx.layers.get(edge.target);
    if (!source || !target) continue;
    const from = drawnIn(ctx, source.id, scope);
    const to = drawnIn(ctx, target.id, scope);
    if (!from || !to || from.node === to.node) continue;
    const out = from.node === source.id ? outputIndex(edge, handlesOf(source).outputs) : 0;
    const inp = to.node === target.id ? inputIndex(edge, handlesOf(target).slots) : 0;
    const key = `${from.node}\u001f${out}\u001f${to.node}\u001f${inp}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.edges.push({
      id: `\u001fedge\u001f${result.edges.length}`,
      from: { ...from, port: portId(from.node, 'out', out) },
      to: { ...to, port: portId(to.node, 'in', inp) },
    });
  }
  return result;
}

function outputIndex(edge: GraphEdge, outputs: number): number {
  const index = Number(edge.sourceHandle ?? 0);
  return Number.isInteger(index) && index >= 0 && index < outputs ? index : 0;
}

/** The slot a connection is drawn into: the one it names, else the first (React Flow's handle for no id). */
function inputIndex(edge: GraphEdge, slots: readonly string[] | null): number {
  if (!slots || !edge.targetHandle) return 0;
  const index = slots.indexOf(edge.targetHandle);
  return index >= 0 ? index : 0;
}

/** The node a layer is drawn as inside a scope, and the expanded blocks around it there. */
function drawnIn(ctx: Context, layer: string, scope: string | null): Omit<End, 'port'> | null {
  const chain: string[] = [];
  let at: string | null = ctx.parent.get(layer) ?? null;
  while (at !== null && at !== scope) {
    chain.push(at);
    at = ctx.parent.get(at) ?? null;
  }
  if (at !== scope) return null;
  chain.reverse();
  const hidden = chain.findIndex((b) => ctx.blocks.get(b)!.collapsed);
  if (hidden >= 0) return { node: blockNodeId(chain[hidden]!), frames: chain.slice(0, hidden) };
  return { node: layer, frames: chain };
}

function elkNode(ctx: Context, id: string, scopeEdges: ScopeEdges, collapsed: string[]): ElkNode | null {
  const layer = ctx.layers.get(id);
  if (layer) {
    const handles = handlesOf(layer);
    const inputs = handles.slots ? handles.slots.length : handles.takesInput ? 1 : 0;
    return leaf(ctx, id, ctx.sizeOf(id), Math.max(inputs, 1), handles.outputs);
  }
  const block = ctx.blocks.get(id);
  if (!block || !ctx.holdsLayers.get(id)) return null;
  const nodeId = blockNodeId(id);
  if (block.collapsed) {
    collapsed.push(id);
    return leaf(ctx, nodeId, ctx.sizeOf(nodeId), 1, 1);
  }
  const members = block.members.filter((m) => ctx.parent.get(m) === id);
  const children = members.map((m) => elkNode(ctx, m, scopeEdges, collapsed)).filter((n): n is ElkNode => n !== null);
  const { top, side, bottom } = BLOCK_PADDING;
  return {
    id: nodeId,
    layoutOptions: { ...graphOptions(ctx), 'elk.padding': `[top=${top},left=${side},bottom=${bottom},right=${side}]` },
    children,
    edges: [],
  };
}

/** A drawn node with its handles as fixed ports: inputs spread on the side data comes from, outputs opposite. */
function leaf(ctx: Context, id: string, size: Size, inputs: number, outputs: number): ElkNode {
  const down = ctx.direction === 'DOWN';
  const port = (side: 'in' | 'out', index: number, count: number): ElkPort => {
    const along = spread(index, count);
    const x = down ? size.width * along : side === 'in' ? 0 : size.width;
    const y = down ? (side === 'in' ? 0 : size.height) : size.height * along;
    const elkSide = down ? (side === 'in' ? 'NORTH' : 'SOUTH') : side === 'in' ? 'WEST' : 'EAST';
    return { id: portId(id, side, index), x, y, width: 0, height: 0, layoutOptions: { 'elk.port.side': elkSide, 'elk.port.index': String(index) } };
  };
  return {
    id,
    width: size.width,
    height: size.height,
    layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
    ports: [...Array.from({ length: inputs }, (_, i) => port('in', i, inputs)), ...Array.from({ length: outputs }, (_, i) => port('out', i, outputs))],
  };
}

function topLeft(points: readonly Point[]): Point {
  let x = Infinity;
  let y = Infinity;
  for (const p of points) {
    x = Math.min(x, p.x);
    y = Math.min(y, p.y);
  }
  return Number.isFinite(x) ? { x, y } : { x: 0, y: 0 };
}

