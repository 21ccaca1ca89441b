import { toSource, type ProjectDataset } from '../../shared/data/source.js';
import { inferGraph } from '../../shared/graph/infer.js';
import type { Project } from '../../shared/project/schema.js';
import type { LoadedDataset } from '../data/dataset.js';
import { readDataset } from '../data/load.js';
import { languageModelShape } from '../training/jobs/create.js';
import { supervisedExamples, textWindows, type ExampleSource } from '../training/jobs/examples.js';
import { seededRandom, shuffled } from '../data/random.js';
import type { ResolvedRunConfig } from '../training/run-config.js';

/** A template's dataset, loaded once for every template that trains on it. */
export type BenchData = LoadedDataset;

export function loadBenchData(dataset: ProjectDataset): Promise<BenchData> {
  return readDataset(toSource(dataset));
}

/** Which templates share one load: the source with its settings, since IMDB read 80 words long is other data than IMDB read 200 long. */
export function benchDataKey(dataset: ProjectDataset): string {
  return JSON.stringify(toSource(dataset));
}

export function imagesOf(data: BenchData, task: string): BenchData {
  if (data.kind !== 'images') throw new Error(`the ${task} task needs an image dataset such as MNIST`);
  return data;
}

function languageModelWindows(project: Project, data: BenchData, sparse: boolean): ExampleSource {
  const corpus = data.corpus;
  if (!corpus) throw new Error('the language-model task needs a text such as Moby-Dick');
  const shape = languageModelShape(inferGraph(project.graph), corpus.tokens.length);
  return textWindows(corpus.ids.subarray(0, corpus.testStart), { ...shape, stride: corpus.stride, sparse });
}

/** The training examples the Trainer makes for a supervised task (all of the training split: nothing is validated here). */
export function trainingExamples(project: Project, config: ResolvedRunConfig, data: BenchData): ExampleSource {
  const sparse = config.loss === 'sparseCategoricalCrossentropy';
  switch (config.task) {
    case 'classify':
      if (!data.classes) throw new Error('the classify task needs a dataset with classes');
      return supervisedExamples(data.train, data.inputShape, { kind: 'classes', numClasses: data.classes.length, sparse });
    case 'regress':
      if (data.target.kind !== 'values') throw new Error('the regress task needs numbers to predict');
      return supervisedExamples(data.train, data.inputShape, { kind: 'values', size: data.target.size });
    case 'autoencode':
      return supervisedExamples(imagesOf(data, config.task).train, data.inputShape, { kind: 'self', shape: data.inputShape });
    case 'language-model':
      return languageModelWindows(project, data, sparse);
    case 'gan':
      throw new Error('a GAN trains on images through its own job, not on examples');
  }
}

/** Which examples each batch holds: the same for both networks, so neither gets easier batches. */
export interface BatchOrder {
  batchSize: number;
  batch(k: number): Uint32Array;
}

/** A seeded shuffle cut into batches and cycled through, as the Trainer's epochs are. */
export function batchOrder(count: number, batchSize: number, seed: number): BatchOrder {
  const order = shuffled(count, seededRandom(seed));
  const batches = Math.max(1, Math.floor(count / batchSize));
  return { batchSize, batch: (k) => order.subarray((k % batches) * batchSize, ((k % batches) + 1) * batchSize) };
}
