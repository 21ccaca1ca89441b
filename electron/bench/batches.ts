import * as tf from '@tensorflow/tfjs';
import type { Project } from '../../shared/project/schema.js';
import type { ImageClassificationData } from '../data/mnist.js';
import { labelledImages, selfTargetImages, type ExampleSource } from '../training/jobs/examples.js';

/** The real batches both networks train on, made once so that making them is not timed. */
export interface FixedBatches {
  xs: tf.Tensor[];
  ys: tf.Tensor[];
  batchSize: number;
  dispose(): void;
}

/** The training split's examples as the Trainer makes them for this task: labelled, or each image its own target. */
export function trainingExamples(data: ImageClassificationData, training: Project['training']): ExampleSource {
  return training.task === 'autoencode'
    ? selfTargetImages(data.train, data.imageShape)
    : labelledImages(data.train, data.imageShape, data.numClasses, training.loss === 'sparseCategoricalCrossentropy');
}

/** `count` consecutive batches from the start of `source` (MNIST's training order is already mixed). */
export function fixedBatches(source: ExampleSource, batchSize: number, count: number): FixedBatches {
  const xs: tf.Tensor[] = [];
  const ys: tf.Tensor[] = [];
  for (let b = 0; b < count; b++) {
    const start = (b * batchSize) % Math.max(1, source.count - batchSize);
    const { x, y } = source.batch(Array.from({ length: batchSize }, (_, i) => start + i));
    xs.push(x);
    ys.push(y);
  }
  return { xs, ys, batchSize, dispose: () => tf.dispose([...xs, ...ys]) };
}
