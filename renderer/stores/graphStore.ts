import {
  addEdge,
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
} from '@xyflow/react';
import { create } from 'zustand';
import type { Fix } from '../../shared/graph/diagnostics';
import type { Graph, GraphEdge, ParamValue, Params } from '../../shared/graph/types';
import { defaultParams, getLayerSpec } from '../../shared/layers/registry';
import { CURRENT_SCHEMA_VERSION, trainingDefaultsSchema, type Project, type TrainingDefaults } from '../../shared/project/schema';

export interface LayerData extends Record<string, unknown> {
  type: string;
  params: Params;
  name?: string;
}

export type LayerFlowNode = Node<LayerData, 'layer'>;

type ProjectMeta = Pick<Project, 'name' | 'description' | 'training' | 'expected'>;

const EMPTY_META: ProjectMeta = {
  name: 'Untitled network',
  description: '',
  // The project schema holds the one set of training defaults.
  training: trainingDefaultsSchema.parse({ dataset: 'mnist' }),
};

interface GraphState {
  nodes: LayerFlowNode[];
  edges: Edge[];
  meta: ProjectMeta;
  onNodesChange(changes: NodeChange<LayerFlowNode>[]): void;
  onEdgesChange(changes: EdgeChange[]): void;
  onConnect(connection: Connection): void;
  addLayer(type: string, position: { x: number; y: number }): string;
  setParam(nodeId: string, name: string, value: ParamValue): void;
  /** Puts a new layer of `type` on every connection into `nodeId`. */
  insertBefore(nodeId: string, type: string, params?: Record<string, ParamValue>): void;
  /** Carries out a diagnostic's one-click fix. */
  applyFix(nodeId: string, fix: Fix): void;
  removeNode(nodeId: string): void;
  /** Changes the project's training defaults (task, dataset, GAN roles), saved with the project. */
  setTraining(patch: Partial<TrainingDefaults>): void;
  loadProject(project: Project): void;
  /** Counts loaded projects, so the canvas can fit a newly loaded network into view. */
  loadCount: number;
}

let counter = 0;
function freshId(type: string, taken: (id: string) => boolean): string {
  let id: string;
  do id = `${type.toLowerCase()}_${++counter}`;
  while (taken(id));
  return id;
}

export const useGraphStore = create<GraphState>()((set, get) => ({
  nodes: [],
  edges: [],
  meta: EMPTY_META,
  onNodesChange: (changes) => set({ nodes: applyNodeChanges(changes, get().nodes) }),
  onEdgesChange: (changes) => set({ edges: applyEdgeChanges(changes, get().edges) }),
  onConnect: (connection) => {
    if (connection.source === connection.target) return;
    const id = ['e', connection.source, connection.sourceHandle ?? '0', connection.target, connection.targetHandle ?? 'in'].join('_');
    set({ edges: addEdge({ ...connection, id, type: 'shape' }, get().edges) });
  },
  addLayer: (type, position) => {
    const spec = getLayerSpec(type);
    if (!spec) throw new Error(`Unknown layer type ${type}`);
    const id = freshId(type, (candidate) => get().nodes.some((n) => n.id === candidate));
    const node: LayerFlowNode = { id, type: 'layer', position, data: { type, params: defaultParams(spec) } };
    set({ nodes: [...get().nodes.map((n) => ({ ...n, selected: false })), { ...node, selected: true }] });
    return id;
  },
  setParam: (nodeId, name, value) =>
    set({
      nodes: get().nodes.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, params: { ...n.data.params, [name]: value } } } : n)),
    }),
  applyFix: (nodeId, fix) => {
    if (fix.kind === 'insert-before') get().insertBefore(nodeId, fix.layerType, fix.params);
    else get().setParam(fix.nodeId ?? nodeId, fix.param, fix.value);
  },
  insertBefore: (nodeId, type, params) => {
    const { nodes, edges } = get();
    const target = nodes.find((n) => n.id === nodeId);
    const spec = getLayerSpec(type);
    if (!target || !spec) return;
    const id = freshId(type, (candidate) => nodes.some((n) => n.id === candidate));
    const incoming = edges.filter((e) => e.target === nodeId);
    const inserted: LayerFlowNode = {
      id,
      type: 'layer',
      position: { x: target.position.x - 40, y: target.position.y + 140 },
      data: { type, params: { ...defaultParams(spec), ...params } },
    };
    set({
      nodes: [...nodes, inserted],
      edges: [
        ...edges.filter((e) => e.target !== nodeId),
        ...incoming.map((e) => ({ ...e, id: `e_${e.source}_${id}`, target: id, targetHandle: null })),
        { id: `e_${id}_${nodeId}`, source: id, target: nodeId, type: 'shape' },
      ],
    });
  },
  removeNode: (nodeId) =>
    set({
      nodes: get().nodes.filter((n) => n.id !== nodeId),
      edges: get().edges.filter((e) => e.source !== nodeId && e.target !== nodeId),
    }),
  setTraining: (patch) => set({ meta: { ...get().meta, training: { ...get().meta.training, ...patch } } }),
  loadCount: 0,
  loadProject: (project) =>
    set({
      loadCount: get().loadCount + 1,
      nodes: project.graph.nodes.map((n) => ({
        id: n.id,
        type: 'layer',
        position: n.position,
        data: { type: n.type, params: n.params, ...(n.name ? { name: n.name } : {}) },
      })),
      edges: project.graph.edges.map(toFlowEdge),
      meta: { name: project.name, description: project.description, training: project.training, expected: project.expected },
    }),
}));

function toFlowEdge(e: GraphEdge): Edge {
  return { id: e.id, type: 'shape', source: e.source, target: e.target, sourceHandle: e.sourceHandle ?? null, targetHandle: e.targetHandle ?? null };
}

function fromFlowEdge(e: Edge): GraphEdge {
  return {
    id: e.id,
    source: e.source,
    target: e.target,
    ...(e.sourceHandle ? { sourceHandle: e.sourceHandle } : {}),
    ...(e.targetHandle ? { targetHandle: e.targetHandle } : {}),
  };
}

export function toGraph(nodes: readonly LayerFlowNode[], edges: readonly Edge[]): Graph {
  return {
    nodes: nodes.map((n) => ({ id: n.id, type: n.data.type, params: n.data.params, position: n.position, ...(n.data.name ? { name: n.data.name } : {}) })),
    edges: edges.map(fromFlowEdge),
  };
}

export function toProject(state: Pick<GraphState, 'nodes' | 'edges' | 'meta'>): Project {
  const { expected, ...meta } = state.meta;
  return { schemaVersion: CURRENT_SCHEMA_VERSION, ...meta, ...(expected ? { expected } : {}), graph: toGraph(state.nodes, state.edges) };
}
