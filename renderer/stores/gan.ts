import { createContext, useContext, useMemo } from 'react';
import { DATASET_INFO } from './datasets';
import { toGraph, useGraphStore } from './graphStore';
import type { Inference } from '../../shared/graph/infer';
import { splitGan, type GanSplit } from '../../shared/training/gan';

export type GanRole = 'generator' | 'discriminator';

export interface GanView {
  split: GanSplit;
  roles: ReadonlyMap<string, GanRole>;
}

/**
 * Which layers are the generator's and which the discriminator's, when the task is a GAN.
 * Derived from the graph on every structural edit and never stored, so it cannot drift.
 */
export function useComputedGan(inference: Inference): GanView | null {
  const task = useGraphStore((s) => s.meta.training.task);
  const dataset = useGraphStore((s) => s.meta.training.dataset);
  const generatorInput = useGraphStore((s) => s.meta.training.gan?.generatorInput);
  const discriminatorInput = useGraphStore((s) => s.meta.training.gan?.discriminatorInput);
  return useMemo(() => {
    if (task !== 'gan') return null;
    const shape = DATASET_INFO[dataset].imageShape;
    if (!shape) {
      return { split: { ok: false, problems: [`A GAN here learns to make images, and ${DATASET_INFO[dataset].label} is text: pick MNIST digits as the dataset.`] }, roles: new Map() };
    }
    const { nodes, edges } = useGraphStore.getState();
    const roles = generatorInput && discriminatorInput ? { generatorInput, discriminatorInput } : undefined;
    const split = splitGan(toGraph(nodes, edges), inference, shape, roles);
    const byNode = new Map<string, GanRole>();
    if (split.ok) {
      for (const id of split.generator.nodes) byNode.set(id, 'generator');
      for (const id of split.discriminator.nodes) byNode.set(id, 'discriminator');
    }
    return { split, roles: byNode };
  }, [inference, task, dataset, generatorInput, discriminatorInput]);
}

export const GanContext = createContext<GanView | null>(null);

/** The GAN split, or null when the task is not a GAN. */
export function useGan(): GanView | null {
  return useContext(GanContext);
}
