import * as tf from '@tensorflow/tfjs';
import type { Split } from '../../data/dataset.js';
import { windowCount } from '../../data/text-files.js';

/** A split of a dataset as numbered examples, each batch built on demand from typed arrays. */
export interface ExampleSource {
  readonly count: number;
  batch(indices: ArrayLike<number>): { x: tf.Tensor; y: tf.Tensor };
}

/** Changes a batch's features before they reach the network: image augmentation. */
export type FeatureTransform = (features: Float32Array, count: number) => Float32Array;

/** The chosen examples of a split as a (n, ...shape) tensor. */
export function featureBatch(split: Split, shape: readonly number[], indices: ArrayLike<number>, transform?: FeatureTransform): tf.Tensor {
  const features = split.features(indices);
  return tf.tensor(transform ? transform(features, indices.length) : features, [indices.length, ...shape]);
}

/** What a supervised network is fitted to. */
export type TargetSpec =
  /** The example's class: one-hot, or its index for sparse losses. */
  | { kind: 'classes'; numClasses: number; sparse: boolean }
  /** Two classes as one probability, (n, 1): a sigmoid output with binary cross-entropy. */
  | { kind: 'binary' }
  /** The example's numbers: a regression. */
  | { kind: 'values'; size: number }
  /** The example itself, shaped like the network's output: an autoencoder. */
  | { kind: 'self'; shape: readonly number[] };

/**
 * Examples of a split fitted to their targets. `shape` is the network's Input shape, which
 * may drop the data's trailing axes of 1; `transform` applies to training inputs only.
 */
export function supervisedExamples(split: Split, shape: readonly number[], target: TargetSpec, transform?: FeatureTransform): ExampleSource {
  return {
    count: split.count,
    batch(indices) {
      const n = indices.length;
      const x = featureBatch(split, shape, indices, transform);
      if (target.kind === 'self') return { x, y: x.reshape([n, ...target.shape]) };
      if (target.kind === 'values') {
        const values = new Float32Array(n * target.size);
        for (let i = 0; i < n; i++) values.set(split.values!.subarray(indices[i]! * target.size, (indices[i]! + 1) * target.size), i * target.size);
        return { x, y: tf.tensor(values, [n, target.size]) };
      }
      if (target.kind === 'binary') return { x, y: tf.tensor(Float32Array.from(indices as ArrayLike<number>, (i) => split.labels![i]!), [n, 1]) };
      const { numClasses, sparse } = target;
      const labels = new Float32Array(sparse ? n : n * numClasses);
      for (let i = 0; i < n; i++) {
        const label = split.labels![indices[i]!]!;
        if (sparse) labels[i] = label;
        else labels[i * numClasses + label] = 1;
      }
      return { x, y: sparse ? tf.tensor(labels, [n]) : tf.tensor(labels, [n, numClasses]) };
    },
  };
}

export interface TextWindowOptions {
  /** Tokens the model reads at once. */
  length: number;
  /** Tokens between the starts of consecutive windows. */
  stride: number;
  vocabulary: number;
  /** (?, length, vocabulary) one-hot inputs instead of (?, length) token ids. */
  oneHotInput: boolean;
  /** Predict the next token at every position, (?, length), instead of once after the window. */
  everyStep: boolean;
  sparse: boolean;
}

/** Windows of a text, each followed by what comes next: a language model's data. */
export function textWindows(ids: ArrayLike<number>, options: TextWindowOptions): ExampleSource {
  const { length, stride, vocabulary: v } = options;
  const count = windowCount(ids.length, length, stride);
  const targetSteps = options.everyStep ? length : 1;
  return {
    count,
    batch(indices) {
      const n = indices.length;
      const x = new Float32Array(options.oneHotInput ? n * length * v : n * length);
      const y = new Float32Array(options.sparse ? n * targetSteps : n * targetSteps * v);
      for (let i = 0; i < n; i++) {
        const start = indices[i]! * stride;
        for (let t = 0; t < length; t++) {
          const id = ids[start + t]!;
          if (options.oneHotInput) x[(i * length + t) * v + id] = 1;
          else x[i * length + t] = id;
        }
        for (let t = 0; t < targetSteps; t++) {
          const next = ids[start + (options.everyStep ? t + 1 : length)]!;
          if (options.sparse) y[i * targetSteps + t] = next;
          else y[(i * targetSteps + t) * v + next] = 1;
        }
      }
      const xShape = options.oneHotInput ? [n, length, v] : [n, length];
      // tfjs wants sparse targets of a per-step output with a trailing axis of 1, as Keras does.
      const yShape = options.everyStep ? (options.sparse ? [n, length, 1] : [n, length, v]) : options.sparse ? [n] : [n, v];
      return { x: tf.tensor(x, xShape), y: tf.tensor(y, yShape) };
    },
  };
}

/** Examples `from` (inclusive) to `to` (exclusive) of a source: a validation split held out of training. */
export function slice(source: ExampleSource, from: number, to: number): ExampleSource {
  return {
    count: to - from,
    batch: (indices) => source.batch(Array.from(indices as ArrayLike<number>, (i) => i + from)),
  };
}
