import type { DatasetId, Project } from '../../shared/project/schema.js';
import { inferGraph } from '../../shared/graph/infer.js';
import { loadMnist, type ImageClassificationData } from '../data/mnist.js';
import { loadMobyDick, type TextData } from '../data/text.js';
import { languageModelShape } from '../training/jobs/create.js';
import { labelledImages, selfTargetImages, textWindows, type ExampleSource } from '../training/jobs/examples.js';
import { seededRandom, shuffled } from '../training/jobs/tensors.js';
import type { ResolvedRunConfig } from '../training/run-config.js';

/** A template's dataset, loaded once for every template that trains on it. */
export type BenchData = { kind: 'images'; images: ImageClassificationData } | { kind: 'text'; text: TextData };

export async function loadBenchData(dataset: DatasetId): Promise<BenchData> {
  return dataset === 'moby-dick' ? { kind: 'text', text: await loadMobyDick() } : { kind: 'images', images: await loadMnist() };
}

export function imagesOf(data: BenchData, task: string): ImageClassificationData {
  if (data.kind !== 'images') throw new Error(`the ${task} task needs an image dataset such as MNIST`);
  return data.images;
}

function textOf(data: BenchData): TextData {
  if (data.kind !== 'text') throw new Error('the language-model task needs a text dataset such as Moby-Dick');
  return data.text;
}

function languageModelWindows(project: Project, text: TextData, sparse: boolean): ExampleSource {
  const shape = languageModelShape(inferGraph(project.graph), text.alphabet.length);
  return textWindows(text.ids.subarray(0, text.testStart), { ...shape, stride: 1, sparse });
}

/** The training examples the Trainer makes for a supervised task (all of the training split: nothing is validated here). */
export function trainingExamples(project: Project, config: ResolvedRunConfig, data: BenchData): ExampleSource {
  const sparse = config.loss === 'sparseCategoricalCrossentropy';
  switch (config.task) {
    case 'classify': {
      const images = imagesOf(data, config.task);
      return labelledImages(images.train, images.imageShape, images.numClasses, sparse);
    }
    case 'autoencode': {
      const images = imagesOf(data, config.task);
      return selfTargetImages(images.train, images.imageShape);
    }
    case 'language-model':
      return languageModelWindows(project, textOf(data), sparse);
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
