import { createContext, useContext, useMemo } from 'react';
import { toGraph, useGraphStore, type LayerFlowNode } from './graphStore';
import { inferGraph, type Inference } from '../../shared/graph/infer';
import type { Edge } from '@xyflow/react';

/** Everything that changes what inference sees; positions and selection do not. */
function structureKey(nodes: readonly LayerFlowNode[], edges: readonly Edge[]): string {
  return JSON.stringify([nodes.map((n) => [n.id, n.data.type, n.data.params, n.data.name]), edges.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle])]);
}

/** Shapes, counts and diagnostics derived from the graph store; recomputed only on structural edits. */
export function useComputedInference(): Inference {
  const key = useGraphStore((s) => structureKey(s.nodes, s.edges));
  return useMemo(() => {
    const { nodes, edges } = useGraphStore.getState();
    return inferGraph(toGraph(nodes, edges));
  }, [key]);
}

export const InferenceContext = createContext<Inference | null>(null);

export function useInference(): Inference {
  const value = useContext(InferenceContext);
  if (!value) throw new Error('useInference outside InferenceContext');
  return value;
}
