import type * as tf from '@tensorflow/tfjs';
import type { ImageBatch } from '../../../shared/api/contract.js';

/** Pixels in [0, 1] (or [-1, 1] when `signed`) to the 8-bit, base64 form samples travel in. */
export async function toImageBatch(images: tf.Tensor, signed = false): Promise<ImageBatch> {
  const [count, height, width, channels = 1] = images.shape as number[];
  const values = await images.data();
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = signed ? (values[i]! + 1) / 2 : values[i]!;
    bytes[i] = Math.round(Math.min(1, Math.max(0, v)) * 255);
  }
  return { count: count!, height: height!, width: width!, channels: channels === 3 ? 3 : 1, pixels: Buffer.from(bytes).toString('base64') };
}
