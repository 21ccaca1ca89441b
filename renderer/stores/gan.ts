import { createContext, useContext, useMemo } from 'react';
import { useCurrentReport } from './dataStore';
import { useGraphStore } from './graphStore';
import type { DatasetReport } from '../../shared/data/report';
import { networkOf } from '../../shared/graph/blocks';
import type { Inference } from '../../shared/graph/infer';
import type { Graph } from '../../shared/graph/types';
import type { TrainingDefaults } from '../../shared/project/schema';
import { splitGan, type GanSplit } from '../../shared/training/gan';

export type GanRole = 'generator' | 'discriminator';

export interface GanView {
  split: GanSplit;
  roles: ReadonlyMap<string, GanRole>;
}

/**
 * Which layers are the generator's and which the discriminator's, when the task is a GAN.
 * Derived from the graph and never stored, so it cannot drift. The image shape comes from
 * the dataset's report: null until it has arrived.
 */
export function ganViewOf(graph: Graph, inference: Inference, training: TrainingDefaults, report: DatasetReport | null): GanView | null {
  if (training.task !== 'gan' || !report) return null;
  if (report.samples === 0) {
    return { split: { ok: false, problems: [`${report.name} could not be read, so the GAN has no images to learn from: see the Data tab.`] }, roles: new Map() };
  }
  if (report.kind !== 'images') {
    const kind = { table: 'a table', sequence: 'a time series', text: 'text', corpus: 'text', images: 'images' }[report.kind];
    return { split: { ok: false, problems: [`A GAN here learns to make images, and ${report.name} is ${kind}: pick an image dataset such as MNIST.`] }, roles: new Map() };
  }
  const split = splitGan(networkOf(graph), inference, report.inputShape, training.gan);
  const byNode = new Map<string, GanRole>();
  if (split.ok) {
    for (const id of split.generator.nodes) byNode.set(id, 'generator');
    for (const id of split.discriminator.nodes) byNode.set(id, 'discriminator');
  }
  return { split, roles: byNode };
}

/** The GAN view of the canvas, recomputed on structural edits and when the roles or data change. */
export function useComputedGan(inference: Inference): GanView | null {
  const training = useGraphStore((s) => s.meta.training);
  const report = useCurrentReport();
  return useMemo(() => ganViewOf(useGraphStore.getState().graph, inference, training, report), [inference, training, report]);
}

export const GanContext = createContext<GanView | null>(null);

/** The GAN split, or null when the task is not a GAN (or the dataset's report has not arrived). */
export function useGan(): GanView | null {
  return useContext(GanContext);
}
