/**
 * React Flow's view of the document, and its changes turned back into edits. The graph
 * store holds the network as plain data; the node objects React Flow wants are built here,
 * and each is reused while nothing about its layer changes, so only edited layers redraw.
 */
import type { Connection, Edge, EdgeChange, Node, NodeChange } from '@xyflow/react';
import { useMemo } from 'react';
import { connect, dragEnd, dragMove, removeElements, useGraphStore, type Selection } from '../stores/graphStore.js';
import { revealNodeSoon } from './viewport.js';
import type { Point, Size } from '../../shared/graph/placement.js';
import type { BlockFlowNode } from './BlockFrame.js';
import type { CollapsedFlowNode } from './CollapsedBlock.js';
import { ancestorsOf, BLOCK_PADDING, blockNodeId, collapsedPorts, drawnGraph, layersIn, type DrawnEdge, type OutputRef } from '../../shared/graph/blocks.js';
import { COLLAPSED_SIZE, estimatedSize } from '../../shared/graph/placement.js';
import type { Graph, GraphBlock, GraphEdge, GraphNode, Params } from '../../shared/graph/types.js';

export interface LayerData extends Record<string, unknown> {
  type: string;
  params: Params;
  name?: string;
  frozen?: boolean;
}

export type LayerFlowNode = Node<LayerData, 'layer'>;

interface Cached {
  node: GraphNode;
  selected: boolean;
  measured: Size | undefined;
  position: Point;
  flow: LayerFlowNode;
}

const nodeCache = new Map<string, Cached>();
const edgeCache = new Map<string, { edge: GraphEdge; selected: boolean; labelled: boolean; flow: Edge }>();

function flowNode(node: GraphNode, selected: boolean, measured: Size | undefined, position: Point): LayerFlowNode {
  const hit = nodeCache.get(node.id);
  if (hit && hit.node === node && hit.selected === selected && hit.measured === measured && hit.position.x === position.x && hit.position.y === position.y) return hit.flow;
  const sameData = hit && hit.node.type === node.type && hit.node.params === node.params && hit.node.name === node.name && hit.node.frozen === node.frozen;
  const data = sameData ? hit.flow.data : { type: node.type, params: node.params, ...(node.name ? { name: node.name } : {}), ...(node.frozen ? { frozen: true } : {}) };
  const flow: LayerFlowNode = { id: node.id, type: 'layer', position, data, selected, ...(measured ? { measured } : {}) };
  nodeCache.set(node.id, { node, selected, measured, position, flow });
  return flow;
}

const collapsedCache = new Map<string, { block: GraphBlock; layers: string; ports: string; selected: boolean; measured: Size | undefined; position: Point; flow: CollapsedFlowNode }>();

function collapsedNode(id: string, block: GraphBlock, layers: readonly string[], ports: ReturnType<typeof collapsedPorts>, position: Point, selected: boolean, measured: Size | undefined): CollapsedFlowNode {
  const hit = collapsedCache.get(id);
  const layerKey = layers.join('\u0000');
  const portKey = JSON.stringify(ports);
  if (hit && hit.block === block && hit.layers === layerKey && hit.ports === portKey && hit.selected === selected && hit.measured === measured && hit.position.x === position.x && hit.position.y === position.y) return hit.flow;
  const flow: CollapsedFlowNode = {
    id,
    type: 'collapsed',
    position,
    selected,
    data: { blockId: block.id, name: block.name, repeat: block.repeat ?? 1, layers, inputs: ports.inputs, outputs: ports.outputs, ends: ports.ends },
    ...(measured ? { measured } : {}),
  };
  collapsedCache.set(id, { block, layers: layerKey, ports: portKey, selected, measured, position, flow });
  return flow;
}

/** What a connection draws besides its line: the shape it carries, on one connection of each output. */
export interface ShapeEdgeData extends Record<string, unknown> {
  labelled: boolean;
  /** The layer output whose shape it carries: where it leaves a collapsed block, a layer inside. */
  carries: OutputRef;
}

function flowEdge(edge: DrawnEdge, original: GraphEdge, selected: boolean, labelled: boolean): Edge<ShapeEdgeData> {
  const hit = edgeCache.get(edge.id);
  const same = hit && hit.edge === original && hit.selected === selected && hit.labelled === labelled && hit.flow.source === edge.source && hit.flow.target === edge.target && hit.flow.sourceHandle === (edge.sourceHandle ?? null) && hit.flow.targetHandle === (edge.targetHandle ?? null);
  if (same) return hit.flow as Edge<ShapeEdgeData>;
  const flow: Edge<ShapeEdgeData> = { id: edge.id, type: 'shape', source: edge.source, target: edge.target, sourceHandle: edge.sourceHandle ?? null, targetHandle: edge.targetHandle ?? null, selected, data: { labelled, carries: edge.carries } };
  edgeCache.set(edge.id, { edge: original, selected, labelled, flow });
  return flow;
}

function prune<T>(cache: Map<string, T>, keep: ReadonlySet<string>): void {
  for (const id of cache.keys()) if (!keep.has(id)) cache.delete(id);
}

export type CanvasNode = LayerFlowNode | BlockFlowNode | CollapsedFlowNode;

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function boxOf(boxes: readonly Box[]): Box {
  let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
  for (const b of boxes) {
    left = Math.min(left, b.left);
    top = Math.min(top, b.top);
    right = Math.max(right, b.right);
    bottom = Math.max(bottom, b.bottom);
  }
  return { left, top, right, bottom };
}

/** Where a collapsed block is drawn: at the top-left corner of its layers, which move with it. */
function cornerOf(layers: readonly string[], at: (id: string) => Point | undefined): Point {
  let x = Infinity, y = Infinity;
  for (const id of layers) {
    const p = at(id);
    if (!p) continue;
    x = Math.min(x, p.x);
    y = Math.min(y, p.y);
  }
  return Number.isFinite(x) ? { x, y } : { x: 0, y: 0 };
}

/**
 * What the blocks draw, worked out once per change of the blocks or connections rather than
 * on every frame of a drag: which layers show, each collapsed block's layers and handles, and
 * each expanded block's layers, outer blocks first so inner frames are drawn over them.
 */
interface BlockDrawing {
  shown: ReadonlySet<string>;
  collapsed: { block: GraphBlock; layers: string[]; ports: ReturnType<typeof collapsedPorts> }[];
  /** Each expanded block with its direct members drawn (layers, collapsed blocks, inner frames), outer blocks first. */
  frames: { block: GraphBlock; members: string[] }[];
}

function blockDrawing(graph: Graph): BlockDrawing {
  const drawn = drawnGraph(graph);
  const byId = new Map((graph.blocks ?? []).map((b) => [b.id, b]));
  const collapsed = drawn.collapsed.map((id) => {
    return { block: byId.get(id)!, layers: layersIn(graph, id), ports: collapsedPorts(graph, id) };
  });
  const folded = new Set((graph.blocks ?? []).filter((b) => b.collapsed).map((b) => b.id));
  const open = (graph.blocks ?? []).filter((b) => !folded.has(b.id) && !ancestorsOf(graph, b.id).some((a) => folded.has(a)));
  const depth = new Map(open.map((b) => [b.id, ancestorsOf(graph, b.id).length]));
  const layerIds = new Set(graph.nodes.map((n) => n.id));
  const drawnCollapsed = new Set(drawn.collapsed);
  const framed = new Set(open.filter((b) => layersIn(graph, b.id).length > 0).map((b) => b.id));
  const frames = open
    .filter((b) => framed.has(b.id))
    .sort((a, b) => depth.get(a.id)! - depth.get(b.id)!)
    .map((block) => ({ block, members: block.members.filter((m) => layerIds.has(m) || framed.has(m) || drawnCollapsed.has(m)) }));
  return { shown: new Set(drawn.layers), collapsed, frames };
}

/**
 * Each expanded block's frame around what it holds as drawn now: its layers, the collapsed
 * blocks in it and the frames of the blocks in it, with room for its title bar and a margin,
 * as the layout leaves room for them. Inner frames are worked out first, and drawn over outer ones.
 */
function blockFrames(drawing: BlockDrawing, at: (id: string) => Point | undefined, sizeOf: (id: string) => Size, collapsedBoxes: ReadonlyMap<string, Box>): BlockFlowNode[] {
  const frameBoxes = new Map<string, Box>();
  const boxOfMember = (id: string): Box | undefined => {
    const drawn = collapsedBoxes.get(id) ?? frameBoxes.get(id);
    if (drawn) return drawn;
    const p = at(id);
    if (!p) return undefined;
    const size = sizeOf(id);
    return { left: p.x, top: p.y, right: p.x + size.width, bottom: p.y + size.height };
  };
  const frames = new Map<string, BlockFlowNode>();
  for (const { block, members } of [...drawing.frames].reverse()) {
    const boxes = members.flatMap((m) => boxOfMember(m) ?? []);
    if (boxes.length === 0) continue;
    const inner = boxOf(boxes);
    const box = { left: inner.left - BLOCK_PADDING.side, top: inner.top - BLOCK_PADDING.top, right: inner.right + BLOCK_PADDING.side, bottom: inner.bottom + BLOCK_PADDING.bottom };
    frameBoxes.set(block.id, box);
    const x = box.left;
    const y = box.top;
    const width = box.right - box.left;
    const height = box.bottom - box.top;
    const id = blockNodeId(block.id);
    // A frame that has not moved or grown is the same node, so React Flow leaves it be.
    const hit = frameCache.get(id);
    if (hit && hit.block === block && hit.frame.position.x === x && hit.frame.position.y === y && hit.frame.width === width && hit.frame.height === height) {
      frames.set(block.id, hit.frame);
      continue;
    }
    const frame: BlockFlowNode = { id, type: 'block', position: { x, y }, data: { blockId: block.id, name: block.name, repeat: block.repeat ?? 1, width, height }, width, height, selectable: false, draggable: false, connectable: false, focusable: false, zIndex: -1 };
    frameCache.set(id, { block, frame });
    frames.set(block.id, frame);
  }
  return drawing.frames.flatMap(({ block }) => frames.get(block.id) ?? []);
}

const frameCache = new Map<string, { block: GraphBlock; frame: BlockFlowNode }>();

export function useFlowNodes(): CanvasNode[] {
  const nodes = useGraphStore((s) => s.graph.nodes);
  const blocks = useGraphStore((s) => s.graph.blocks);
  const edges = useGraphStore((s) => s.graph.edges);
  const selected = useGraphStore((s) => s.selection.nodes);
  const measured = useGraphStore((s) => s.measured);
  const dragging = useGraphStore((s) => s.dragging);
  // Which layers a block hides and which frames it draws change with the blocks and connections alone.
  const drawing = useMemo(() => (blocks?.length ? blockDrawing(useGraphStore.getState().graph) : null), [blocks, edges]);
  return useMemo(() => {
    const chosen = new Set(selected);
    prune(nodeCache, new Set(nodes.map((n) => n.id)));
    const blockIds = new Set((blocks ?? []).map((b) => blockNodeId(b.id)));
    prune(frameCache, blockIds);
    prune(collapsedCache, blockIds);
    const at = (n: GraphNode) => dragging?.[n.id] ?? n.position;
    if (!drawing) return nodes.map((n) => flowNode(n, chosen.has(n.id), measured[n.id], at(n)));
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const positionOf = (id: string) => {
      const node = byId.get(id);
      return node ? at(node) : undefined;
    };
    const sizeOf = (id: string) => measured[id] ?? estimatedSize(id);
    const layers = nodes.filter((n) => drawing.shown.has(n.id)).map((n) => flowNode(n, chosen.has(n.id), measured[n.id], at(n)));
    const collapsedBoxes = new Map<string, Box>();
    const collapsed = drawing.collapsed.map(({ block, layers: inside, ports }) => {
      const position = cornerOf(inside, positionOf);
      const id = blockNodeId(block.id);
      const size = measured[id] ?? COLLAPSED_SIZE;
      collapsedBoxes.set(block.id, { left: position.x, top: position.y, right: position.x + size.width, bottom: position.y + size.height });
      return collapsedNode(id, block, inside, ports, position, inside.every((l) => chosen.has(l)), measured[id]);
    });
    return [...blockFrames(drawing, positionOf, sizeOf, collapsedBoxes), ...collapsed, ...layers];
  }, [drawing, blocks, nodes, selected, measured, dragging]);
}

export function useFlowEdges(): Edge<ShapeEdgeData>[] {
  // What is drawn depends on the connections and the blocks alone, not on where layers are.
  const edges = useGraphStore((s) => s.graph.edges);
  const blocks = useGraphStore((s) => s.graph.blocks);
  const selected = useGraphStore((s) => s.selection.edges);
  return useMemo(() => {
    const graph = useGraphStore.getState().graph;
    const chosen = new Set(selected);
    prune(edgeCache, new Set(edges.map((e) => e.id)));
    const byId = new Map(edges.map((e) => [e.id, e]));
    // Connections leaving one output carry one tensor: its shape is said once, where it leaves.
    const said = new Set<string>();
    return drawnGraph(graph).edges.map((e) => {
      const output = `${e.source}\u0000${e.sourceHandle ?? '0'}`;
      const labelled = !said.has(output);
      said.add(output);
      return flowEdge(e, byId.get(e.id)!, chosen.has(e.id), labelled);
    });
  }, [edges, blocks, selected]);
}

function toggled(ids: readonly string[], id: string, on: boolean): readonly string[] {
  if (on) return ids.includes(id) ? ids : [...ids, id];
  return ids.includes(id) ? ids.filter((x) => x !== id) : ids;
}

/**
 * Sizes, selection and drags from React Flow. A drag moves layers in an overlay that is not
 * history, and lands in the document as one move when the mouse is released.
 */
export function onNodesChange(all: readonly NodeChange<CanvasNode>[]): void {
  const state = useGraphStore.getState();
  const graph = state.graph;
  // A block's frame follows its layers: nothing done to the frame itself is an edit. A collapsed
  // block stands for its layers: selecting, moving or removing it does that to them.
  const collapsed = new Set((graph.blocks ?? []).filter((b) => b.collapsed).map((b) => blockNodeId(b.id)));
  const changes = all.filter((c) => !('id' in c) || !c.id.startsWith('block:') || collapsed.has(c.id));
  let measured = state.measured;
  let selection: Selection = state.selection;
  const moving: Record<string, Point> = {};
  const landed: Record<string, Point> = {};
  const removed: string[] = [];
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const layersOf = (id: string) => (id.startsWith('block:') ? layersIn(graph, id.slice('block:'.length)) : [id]);
  // A collapsed block moved to a point moves each of its layers by as much.
  const moved = (id: string, to: Point): Record<string, Point> => {
    if (!id.startsWith('block:')) return { [id]: to };
    const from = cornerOf(layersOf(id), (l) => byId.get(l)?.position);
    return Object.fromEntries(layersOf(id).map((l) => {
      const p = byId.get(l)!.position;
      return [l, { x: p.x + to.x - from.x, y: p.y + to.y - from.y }];
    }));
  };
  for (const change of changes) {
    switch (change.type) {
      case 'dimensions': {
        const size = change.dimensions;
        const old = measured[change.id];
        if (size && (!old || old.width !== size.width || old.height !== size.height)) measured = { ...measured, [change.id]: { width: size.width, height: size.height } };
        break;
      }
      case 'select':
        for (const id of layersOf(change.id)) selection = { ...selection, nodes: toggled(selection.nodes, id, change.selected) };
        break;
      case 'position':
        if (change.dragging && change.position) Object.assign(moving, moved(change.id, change.position));
        else if (change.position) Object.assign(landed, moved(change.id, change.position));
        break;
      case 'remove':
        removed.push(...layersOf(change.id));
        break;
      case 'add':
      case 'replace':
        break;
    }
  }
  if (measured !== state.measured || selection !== state.selection) useGraphStore.setState({ measured, selection });
  if (Object.keys(moving).length > 0) dragMove(moving);
  if (Object.keys(landed).length > 0) dragEnd(landed);
  if (removed.length > 0) removeElements(removed);
}

export function onEdgesChange(changes: readonly EdgeChange[]): void {
  let selection = useGraphStore.getState().selection;
  const removed: string[] = [];
  for (const change of changes) {
    if (change.type === 'select') selection = { ...selection, edges: toggled(selection.edges, change.id, change.selected) };
    else if (change.type === 'remove') removed.push(change.id);
  }
  if (selection !== useGraphStore.getState().selection) useGraphStore.setState({ selection });
  if (removed.length > 0) removeElements([], removed);
}

/** A new connection may show a problem with its repair button on the layer it feeds: keep that in sight. */
export function onConnect(connection: Connection): void {
  connect(connection);
  revealNodeSoon(connection.target);
}
