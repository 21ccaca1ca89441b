import { createContext, useContext, useMemo } from 'react';
import { useCurrentReport } from './dataStore';
import { useGraphStore } from './graphStore';
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
 * The image shape comes from the dataset's report: null until it has arrived.
 */
export function useComputedGan(inference: Inference): GanView | null {
  const task = useGraphStore((s) => s.meta.training.task);
  const report = useCurrentReport();
  const generatorInput = useGraphStore((s) => s.meta.training.gan?.generatorInput);
  const discriminatorInput = useGraphStore((s) => s.meta.training.gan?.discriminatorInput);
  return useMemo(() => {
    if (task !== 'gan' || !report) return null;
    if (report.samples === 0) {
      return { split: { ok: false, problems: [`${report.name} could not be read, so the GAN has no images to learn from: see the Data tab.`] }, roles: new Map() };
    }
    if (report.kind !== 'images') {
      const kind = { table: 'a table', sequence: 'a time series', text: 'text', corpus: 'text', images: 'images' }[report.kind];
      return { split: { ok: false, problems: [`A GAN here learns to make images, and ${report.name} is ${kind}: pick an image dataset such as MNIST.`] }, roles: new Map() };
    }
    const roles = generatorInput && discriminatorInput ? { generatorInput, discriminatorInput } : undefined;
    const split = splitGan(useGraphStore.getState().graph, inference, report.inputShape, roles);
    const byNode = new Map<string, GanRole>();
    if (split.ok) {
      for (const id of split.generator.nodes) byNode.set(id, 'generator');
      for (const id of split.discriminator.nodes) byNode.set(id, 'discriminator');
    }
    return { split, roles: byNode };
  }, [inference, task, report, generatorInput, discriminatorInput]);
}

export const GanContext = createContext<GanView | null>(null);

/** The GAN split, or null when the task is not a GAN (or the dataset's report has not arrived). */
export function useGan(): GanView | null {
  return useContext(GanContext);
}
