import * as tf from '@tensorflow/tfjs';
import type { ImageClassificationSplit } from '../../data/mnist.js';

/** A split of a dataset as numbered examples, each batch built on demand from typed arrays. */
export interface ExampleSource {
  readonly count: number;
  batch(indices: ArrayLike<number>): { x: tf.Tensor; y: tf.Tensor };
}

/** The chosen images of a split, one after another, as a (n, ...shape) tensor. */
export function imageBatch(split: ImageClassificationSplit, shape: readonly number[], indices: ArrayLike<number>, map?: (pixel: number) => number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const pixels = new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) pixels.set(split.images.subarray(indices[i]! * size, (indices[i]! + 1) * size), i * size);
  if (map) for (let i = 0; i < pixels.length; i++) pixels[i] = map(pixels[i]!);
  return tf.tensor(pixels, [indices.length, ...shape]);
}

/** Labelled images: one-hot targets, or class indices for sparse losses. */
export function labelledImages(split: ImageClassificationSplit, shape: readonly number[], numClasses: number, sparse: boolean): ExampleSource {
  return {
    count: split.count,
    batch(indices) {
      const n = indices.length;
      const targets = new Float32Array(sparse ? n : n * numClasses);
      for (let i = 0; i < n; i++) {
        const label = split.labels[indices[i]!]!;
        if (sparse) targets[i] = label;
        else targets[i * numClasses + label] = 1;
      }
      return { x: imageBatch(split, shape, indices), y: sparse ? tf.tensor(targets, [n]) : tf.tensor(targets, [n, numClasses]) };
    },
  };
}

/** Images that are their own targets: autoencoders. */
export function selfTargetImages(split: ImageClassificationSplit, shape: readonly number[]): ExampleSource {
  return {
    count: split.count,
    batch(indices) {
      const x = imageBatch(split, shape, indices);
      return { x, y: x.clone() };
    },
  };
}

export interface TextWindowOptions {
  /** Characters the model reads at once. */
  length: number;
  /** Characters between the starts of consecutive windows. */
  stride: number;
  vocabulary: number;
  /** (?, length, vocabulary) one-hot inputs instead of (?, length) character ids. */
  oneHotInput: boolean;
  /** Predict the next character at every position, (?, length), instead of once after the window. */
  everyStep: boolean;
  sparse: boolean;
}

/** Windows of a text, each followed by what comes next: a character-level language model's data. */
export function textWindows(ids: Uint8Array, options: TextWindowOptions): ExampleSource {
  const { length, stride, vocabulary: v } = options;
  const count = Math.max(0, Math.floor((ids.length - length - 1) / stride) + 1);
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
