import { createContext, useContext, useMemo } from 'react';
import { useGraphStore } from './graphStore.js';
import { inferNetwork } from '../../shared/graph/blocks.js';
import type { Inference } from '../../shared/graph/infer.js';
import { inferenceKey } from './inferenceKey.js';

/** Shapes, counts and diagnostics derived from the graph store; recomputed only on structural edits. */
export function useComputedInference(): Inference {
  const key = useGraphStore((s) => inferenceKey(s.graph));
  return useMemo(() => inferNetwork(useGraphStore.getState().graph), [key]);
}

export const InferenceContext = createContext<Inference | null>(null);

export function useInference(): Inference {
  const value = useContext(InferenceContext);
  if (!value) throw new Error('useInference outside InferenceContext');
  return value;
}
