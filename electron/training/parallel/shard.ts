import * as tf from '@tensorflow/tfjs';
import { objective } from '../jobs/supervised.js';

/** What one shard of a batch gives back: its part of the gradient, and its part of the batch's loss and accuracy. */
export interface ShardResult {
  /** One gradient per trainable weight, in `model.trainableWeights` order. */
  grads: tf.Tensor[];
  /** This shard's share of the batch's loss: its mean loss plus the penalties, times its share of the rows. */
  loss: number;
  /** The same share of the batch's accuracy, where the model measures one. */
  acc: number | null;
}

/**
 * The gradient of one shard's share of a batch's objective. `trainOnBatch` minimises the mean
 * loss over the batch plus the weight penalties; split into shards of n_k rows out of n, that
 * objective is the sum over shards of (n_k / n)·(the shard's mean loss + the penalties), so the
 * shards' gradients summed are the whole batch's gradient: one large step, not several small ones.
 * The model is compiled (its loss and metric functions are tfjs's own) and runs in training mode.
 */
export function shardGradients(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, share: number, withAccuracy: boolean): ShardResult {
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let acc: tf.Scalar | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const { total, predicted } = objective(model, x, y, true);
    if (withAccuracy) {
      const metric = model.metricsTensors[0]![0];
      acc = tf.keep(tf.mul(tf.mean(metric(y, predicted[0]!)), share)) as tf.Scalar;
    }
    return tf.mul(total, share) as tf.Scalar;
  }, weights);
  const result: ShardResult = { grads: weights.map((w) => grads[w.name]!), loss: value.dataSync()[0]!, acc: null };
  value.dispose();
  if (acc) {
    result.acc = (acc as tf.Scalar).dataSync()[0]!;
    (acc as tf.Scalar).dispose();
  }
  return result;
}

/** Row ranges of a batch of `rows` split into at most `parts` shards, as even as they can be: the first shards take the extra rows. */
export function shardRows(rows: number, parts: number): Array<[start: number, end: number]> {
  const count = Math.max(1, Math.min(parts, rows));
  const base = Math.floor(rows / count);
  const extra = rows % count;
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (let k = 0; k < count; k++) {
    const end = start + base + (k < extra ? 1 : 0);
    ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

/** Where each weight of a model lies in one flat Float32Array: trainable weights first, in `trainableWeights` order. */
export interface WeightLayout {
  shapes: number[][];
  offsets: number[];
  /** How many of the weights, from the first, are trainable. */
  trainable: number;
  /** Floats in all the weights; `trainableSize` in the trainable ones. */
  size: number;
  trainableSize: number;
}

/** The model's weights, trainable first: the order a layout numbers them in. */
export function layoutWeights(model: tf.LayersModel): tf.LayerVariable[] {
  return [...model.trainableWeights, ...model.nonTrainableWeights];
}

export function weightLayout(model: tf.LayersModel): WeightLayout {
  const weights = layoutWeights(model);
  const shapes = weights.map((w) => [...w.shape] as number[]);
  const offsets: number[] = [];
  let size = 0;
  let trainableSize = 0;
  shapes.forEach((shape, i) => {
    offsets.push(size);
    size += shape.reduce((a, b) => a * b, 1);
    if (i < model.trainableWeights.length) trainableSize = size;
  });
  return { shapes, offsets, trainable: model.trainableWeights.length, size, trainableSize };
}

/** Writes the first `count` weights into `into`, at their layout's offsets. */
export function writeWeights(weights: readonly tf.LayerVariable[], layout: WeightLayout, into: Float32Array, count: number): void {
  for (let i = 0; i < count; i++) into.set(weights[i]!.read().dataSync() as Float32Array, layout.offsets[i]);
}

/** Sets the first `count` weights from `from`, at their layout's offsets; the values are copied. */
export function readWeights(weights: readonly tf.LayerVariable[], layout: WeightLayout, from: Float32Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const offset = layout.offsets[i]!;
    const size = layout.shapes[i]!.reduce((a, b) => a * b, 1);
    const value = tf.tensor(from.slice(offset, offset + size), layout.shapes[i]!);
    weights[i]!.write(value);
    value.dispose();
  }
}
