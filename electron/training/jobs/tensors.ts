import type * as tf from '@tensorflow/tfjs';
import type { ImageBatch } from '../../../shared/api/contract.js';
import { toImageBatch as pixelsToBatch } from '../../data/images/batch.js';

/** Pixels in [0, 1] (or [-1, 1] when `signed`) to the 8-bit, base64 form samples travel in. */
export async function toImageBatch(images: tf.Tensor, signed = false): Promise<ImageBatch> {
  const [count, height, width, channels = 1] = images.shape as number[];
  const values = await images.data();
  return pixelsToBatch(signed ? values.map((v) => (v + 1) / 2) : values, count!, height!, width!, channels);
}
