import type { ImageBatch } from '../../../shared/api/images.js';

/** `count` images of height × width × channels floats in [0, 1] (HWC, one after another) as 8-bit pixels in base64. */
export function toImageBatch(pixels: ArrayLike<number>, count: number, height: number, width: number, channels: number): ImageBatch {
  if (channels !== 1 && channels !== 3) throw new Error(`Images travel with 1 or 3 channels, not ${channels}.`);
  const size = count * height * width * channels;
  if (pixels.length !== size) throw new Error(`${count} images of ${height} × ${width} × ${channels} are ${size} values, not ${pixels.length}.`);
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = Math.round(Math.min(1, Math.max(0, pixels[i]!)) * 255);
  return { count, height, width, channels, pixels: Buffer.from(bytes).toString('base64') };
}
