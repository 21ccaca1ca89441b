import * as tf from '@tensorflow/tfjs';
import type { Explanation } from '../../../shared/api/insight.js';
import { toImageBatch } from '../drawing.js';
import { InputError, type PreparedInput, type Session } from '../session.js';
import { lastHiddenLayer, lastSpatialLayer, layerOf } from './layers.js';
import { forward } from './network.js';

/**
 * A layer's output for the input: a convolution's channels as grey images (each scaled on its
 * own, so a weak channel's pattern shows too), a dense layer's units, a sequence's steps by
 * features as one heat map.
 */

export const MAX_MAPS = 64;
export const MAX_VALUES = 512;

/** Each row of `values` (rows × size) scaled into [0, 1] on its own; a constant row is 0. */
function eachScaled(values: Float32Array, rows: number, size: number): Float32Array {
  const out = new Float32Array(rows * size);
  for (let r = 0; r < rows; r++) {
    let low = Infinity;
    let high = -Infinity;
    for (let i = 0; i < size; i++) {
      const v = values[r * size + i]!;
      if (v < low) low = v;
      if (v > high) high = v;
    }
    const range = high - low;
    if (range > 0) for (let i = 0; i < size; i++) out[r * size + i] = (values[r * size + i]! - low) / range;
  }
  return out;
}

export function activations(session: Session, prepared: PreparedInput, node: string | undefined): Explanation {
  const chosen = node ?? lastSpatialLayer(session)?.id ?? lastHiddenLayer(session)?.id;
  if (!chosen) throw new InputError('This network has no layer to look at but its input.');
  const { name, node: id } = layerOf(session, chosen);
  return tf.tidy(() => {
    const output = forward(session.model, prepared.tensor).outputs.get(name)!;
    const shape = output.shape.slice(1);
    if (shape.length === 3) {
      const [height, width, channels] = shape as [number, number, number];
      const shown = Math.min(channels, MAX_MAPS);
      // Channel after channel, each (height × width).
      const planes = tf.transpose(tf.slice(tf.reshape(output, [height * width, channels]), [0, 0], [-1, shown]));
      const maps = toImageBatch(eachScaled(Float32Array.from(planes.dataSync()), shown, height * width), shown, height, width, 1);
      return { kind: 'activations' as const, layer: id, shape, maps, hidden: channels - shown };
    }
    if (shape.length === 2) {
      const [steps, features] = shape as [number, number];
      const shown = Math.min(features, MAX_VALUES);
      const part = tf.slice(tf.reshape(output, [steps, features]), [0, 0], [-1, shown]);
      const values = eachScaled(Float32Array.from(part.dataSync()), 1, steps * shown);
      return { kind: 'activations' as const, layer: id, shape, sequence: { height: steps, width: shown, values: Array.from(values) }, hidden: features - shown };
    }
    const flat = output.dataSync();
    const shown = Math.min(flat.length, MAX_VALUES);
    return { kind: 'activations' as const, layer: id, shape, values: Array.from(flat.subarray(0, shown)), hidden: flat.length - shown };
  });
}
