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
import { ancestorsOf, BLOCK_PADDING, blockNodeId, layersIn } from '../../shared/graph/blocks.js';
import { estimatedSize } from '../../shared/graph/placement.js';
import type { Graph, GraphEdge, GraphNode, Params } from '../../shared/graph/types.js';

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

/** What a connection draws besides its line: the shape it carries, on one connection of each output. */
export interface ShapeEdgeData extends Record<string, unknown> {
  labelled: boolean;
}

function flowEdge(edge: GraphEdge, selected: boolean, labelled: boolean): Edge<ShapeEdgeData> {
  const hit = edgeCache.get(edge.id);
  if (hit && hit.edge === edge && hit.selected === selected && hit.labelled === labelled) return hit.flow as Edge<ShapeEdgeData>;
  const flow: Edge<ShapeEdgeData> = { id: edge.id, type: 'shape', source: edge.source, target: edge.target, sourceHandle: edge.sourceHandle ?? null, targetHandle: edge.targetHandle ?? null, selected, data: { labelled } };
  edgeCache.set(edge.id, { edge, selected, labelled, flow });
  return flow;
}

function prune<T>(cache: Map<string, T>, keep: ReadonlySet<string>): void {
  for (const id of cache.keys()) if (!keep.has(id)) cache.delete(id);
}

export type CanvasNode = LayerFlowNode | BlockFlowNode;

/** Each expanded block's frame, around its layers as drawn now (inner blocks' frames inside outer ones). */
function blockFrames(graph: Graph, at: (node: GraphNode) => Point, measured: Readonly<Record<string, Size>>): BlockFlowNode[] {
  const frames: BlockFlowNode[] = [];
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  // Outer blocks first, so inner frames are drawn over them.
  const blocks = [...(graph.blocks ?? [])].sort((a, b) => ancestorsOf(graph, a.id).length - ancestorsOf(graph, b.id).length);
  for (const block of blocks) {
    const layers = layersIn(graph, block.id).map((id) => byId.get(id)!);
    if (layers.length === 0) continue;
    // A frame holding another frame grows by a margin, so the inner one's title bar stays inside it.
    const holdsFrame = blocks.some((b) => block.members.includes(b.id) && layersIn(graph, b.id).length > 0);
    let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    for (const layer of layers) {
      const p = at(layer);
      const size = measured[layer.id] ?? estimatedSize(layer.id);
      left = Math.min(left, p.x);
      top = Math.min(top, p.y);
      right = Math.max(right, p.x + size.width);
      bottom = Math.max(bottom, p.y + size.height);
    }
    const grow = holdsFrame ? BLOCK_PADDING.side : 0;
    const x = left - BLOCK_PADDING.side - grow;
    const y = top - BLOCK_PADDING.top - grow;
    const width = right - left + 2 * (BLOCK_PADDING.side + grow);
    const height = bottom - top + BLOCK_PADDING.top + BLOCK_PADDING.bottom + 2 * grow;
    frames.push({ id: blockNodeId(block.id), type: 'block', position: { x, y }, data: { name: block.name, repeat: block.repeat ?? 1, width, height }, width, height, selectable: false, draggable: false, connectable: false, focusable: false, zIndex: -1 });
  }
  return frames;
}

export function useFlowNodes(): CanvasNode[] {
  const graph = useGraphStore((s) => s.graph);
  const nodes = graph.nodes;
  const selected = useGraphStore((s) => s.selection.nodes);
  const measured = useGraphStore((s) => s.measured);
  const dragging = useGraphStore((s) => s.dragging);
  return useMemo(() => {
    const chosen = new Set(selected);
    prune(nodeCache, new Set(nodes.map((n) => n.id)));
    const at = (n: GraphNode) => dragging?.[n.id] ?? n.position;
    const layers = nodes.map((n) => flowNode(n, chosen.has(n.id), measured[n.id], at(n)));
    return graph.blocks?.length ? [...blockFrames(graph, at, measured), ...layers] : layers;
  }, [graph, nodes, selected, measured, dragging]);
}

export function useFlowEdges(): Edge<ShapeEdgeData>[] {
  const edges = useGraphStore((s) => s.graph.edges);
  const selected = useGraphStore((s) => s.selection.edges);
  return useMemo(() => {
    const chosen = new Set(selected);
    prune(edgeCache, new Set(edges.map((e) => e.id)));
    // Connections leaving one output carry one tensor: its shape is said once, where it leaves.
    const said = new Set<string>();
    return edges.map((e) => {
      const output = `${e.source}\u0000${e.sourceHandle ?? '0'}`;
      const labelled = !said.has(output);
      said.add(output);
      return flowEdge(e, chosen.has(e.id), labelled);
    });
  }, [edges, selected]);
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
  // A block's frame follows its layers: nothing done to the frame itself is an edit.
  const changes = all.filter((c) => !('id' in c) || !c.id.startsWith('block:'));
  const state = useGraphStore.getState();
  let measured = state.measured;
  let selection: Selection = state.selection;
  const moving: Record<string, Point> = {};
  const landed: Record<string, Point> = {};
  const removed: string[] = [];
  for (const change of changes) {
    switch (change.type) {
      case 'dimensions': {
        const size = change.dimensions;
        const old = measured[change.id];
        if (size && (!old || old.width !== size.width || old.height !== size.height)) measured = { ...measured, [change.id]: { width: size.width, height: size.height } };
        break;
      }
      case 'select':
        selection = { ...selection, nodes: toggled(selection.nodes, change.id, change.selected) };
        break;
      case 'position':
        if (change.dragging && change.position) moving[change.id] = change.position;
        else if (change.position) landed[change.id] = change.position;
        break;
      case 'remove':
        removed.push(change.id);
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
