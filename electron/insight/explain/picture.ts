import * as tf from '@tensorflow/tfjs';
import type { ImageBatch } from '../../../shared/api/images.js';
import type { HeatMap } from '../../../shared/api/insight.js';
import { toImageBatch } from '../drawing.js';
import type { PreparedInput, Session } from '../session.js';

/**
 * The input as a picture to draw a heat map over, and heat maps made of gradients: an image as
 * the network sees it, any other input (a table row, a sequence) as its values in grey.
 */

/** How one input's values lie: an image's rows, columns and channels; a sequence's steps and features; a row's values in one line. */
export interface Grid {
  height: number;
  width: number;
  depth: number;
}

/**
 * The grid of a batch of one: its own (height, width, channels) or (steps, features), else a
 * flat image laid out in the dataset's image shape (a network that reads 784 pixels of MNIST),
 * else one line.
 */
export function gridOf(session: Session, tensor: tf.Tensor): Grid {
  const shape = tensor.shape.slice(1);
  const size = shape.reduce((a, b) => a * b, 1);
  if (shape.length >= 3) return { height: shape[0]!, width: shape[1]!, depth: size / (shape[0]! * shape[1]!) };
  const [h, w, c = 1] = session.data.inputShape;
  if (session.info.input === 'images' && h !== undefined && w !== undefined && h * w * c === size) return { height: h, width: w, depth: c };
  if (shape.length === 2) return { height: shape[0]!, width: shape[1]!, depth: 1 };
  return { height: 1, width: size, depth: 1 };
}

/** Whether the input is a picture of 1 or 3 channels in [0, 1]. */
export function isImage(session: Session, tensor: tf.Tensor): boolean {
  const { depth } = gridOf(session, tensor);
  return session.info.input === 'images' && (depth === 1 || depth === 3);
}

/** The input as the heat map is drawn over it: the picture the network saw, or the values scaled into grey. */
export function pictureOf(session: Session, prepared: PreparedInput): ImageBatch {
  const { tensor } = prepared;
  const { height, width, depth } = gridOf(session, tensor);
  if (prepared.seen && prepared.seen.height === height && prepared.seen.width === width) return prepared.seen;
  if (isImage(session, tensor)) return toImageBatch(tensor.dataSync(), 1, height, width, depth);
  const grey = tf.tidy(() => {
    const values = tf.mean(tf.reshape(tensor, [height, width, depth]), -1);
    const low = tf.min(values);
    const range = tf.maximum(tf.sub(tf.max(values), low), 1e-12);
    return Float32Array.from(tf.div(tf.sub(values, low), range).dataSync());
  });
  return toImageBatch(grey, 1, height, width, 1);
}

/** |gradient| on the input's grid, the mean over a batch of copies, the largest over an image's channels. */
export function gradientHeat(grid: Grid, gradient: tf.Tensor): tf.Tensor2D {
  const magnitude = tf.mean(tf.abs(gradient), 0);
  return tf.max(tf.reshape(magnitude, [grid.height, grid.width, grid.depth]), -1) as tf.Tensor2D;
}

/** Non-negative values scaled so the largest is 1; all zero stays zero. */
export function toHeatMap(values: tf.Tensor2D): HeatMap {
  const [height, width] = values.shape;
  const scaled = tf.tidy(() => tf.div(values, tf.maximum(tf.max(values), 1e-12)).dataSync());
  return { height, width, values: Array.from(scaled) };
}
