import { createContext, useContext, useMemo } from 'react';
import { useGraphStore } from './graphStore';
import { inferGraph, type Inference } from '../../shared/graph/infer';
import type { Graph } from '../../shared/graph/types';

/** Everything that changes what inference sees; positions and selection do not. */
function structureKey(graph: Graph): string {
  return JSON.stringify([graph.nodes.map((n) => [n.id, n.type, n.params, n.name]), graph.edges.map((e) => [e.id, e.source, e.sourceHandle, e.target, e.targetHandle])]);
}

/** Shapes, counts and diagnostics derived from the graph store; recomputed only on structural edits. */
export function useComputedInference(): Inference {
  const key = useGraphStore((s) => structureKey(s.graph));
  return useMemo(() => inferGraph(useGraphStore.getState().graph), [key]);
}

export const InferenceContext = createContext<Inference | null>(null);

export function useInference(): Inference {
  const value = useContext(InferenceContext);
  if (!value) throw new Error('useInference outside InferenceContext');
  return value;
}
