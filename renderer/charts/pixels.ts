import type { ImageBatch } from '../../shared/api/contract.js';

/** Images as bytes: `count × height × width × channels`, row after row. */
export interface DecodedImages {
  count: number;
  height: number;
  width: number;
  channels: 1 | 3;
  pixels: Uint8Array;
}

export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The batch's pixels, or a sentence saying why they cannot be drawn. */
export function decodeImages(batch: ImageBatch): DecodedImages | { error: string } {
  let pixels: Uint8Array;
  try {
    pixels = decodeBase64(batch.pixels);
  } catch {
    return { error: 'The samples arrived damaged (their pixels are not base64).' };
  }
  const expected = batch.count * batch.height * batch.width * batch.channels;
  if (expected <= 0 || pixels.length !== expected) {
    return { error: `The samples arrived damaged: ${batch.count} images of ${batch.height}×${batch.width}×${batch.channels} need ${expected} bytes, not ${pixels.length}.` };
  }
  return { count: batch.count, height: batch.height, width: batch.width, channels: batch.channels, pixels };
}

export interface GridOptions {
  columns: number;
  /** Each image pixel becomes a `scale × scale` square: nearest neighbour, digits stay crisp. */
  scale: number;
  /** Screen pixels between images. */
  gap: number;
  /** RGB of the gaps. */
  background?: readonly [number, number, number];
}

/** Columns for a grid of `count` images: near square, at most `maxColumns` across. */
export function gridColumns(count: number, maxColumns: number): number {
  return Math.max(1, Math.min(maxColumns, count, Math.ceil(Math.sqrt(count))));
}

/** The largest whole-number scale at which `columns` images of `width` fit in `available` pixels. */
export function fitScale(available: number, columns: number, width: number, gap: number, maxScale = 8): number {
  const perImage = (available - gap * (columns - 1)) / columns;
  return Math.max(1, Math.min(maxScale, Math.floor(perImage / width)));
}

/** The images laid out in a grid as RGBA bytes, ready for `ImageData`. */
export function drawGrid(images: DecodedImages, options: GridOptions): { width: number; height: number; data: Uint8ClampedArray<ArrayBuffer> } {
  const { count, height: h, width: w, channels, pixels } = images;
  const { columns, scale, gap } = options;
  const rows = Math.ceil(count / columns);
  const cellW = w * scale;
  const cellH = h * scale;
  const width = columns * cellW + (columns - 1) * gap;
  const height = rows * cellH + (rows - 1) * gap;
  const data = new Uint8ClampedArray(width * height * 4);
  const [br, bg, bb] = options.background ?? [255, 255, 255];
  for (let i = 0; i < data.length; i += 4) {
    data[i] = br;
    data[i + 1] = bg;
    data[i + 2] = bb;
    data[i + 3] = 255;
  }
  for (let n = 0; n < count; n++) {
    const left = (n % columns) * (cellW + gap);
    const top = Math.floor(n / columns) * (cellH + gap);
    for (let y = 0; y < cellH; y++) {
      const sy = Math.floor(y / scale);
      let out = ((top + y) * width + left) * 4;
      for (let x = 0; x < cellW; x++, out += 4) {
        const src = ((n * h + sy) * w + Math.floor(x / scale)) * channels;
        const r = pixels[src]!;
        data[out] = r;
        data[out + 1] = channels === 3 ? pixels[src + 1]! : r;
        data[out + 2] = channels === 3 ? pixels[src + 2]! : r;
      }
    }
  }
  return { width, height, data };
}

/** The first `n` images of a batch, sharing its bytes. */
export function firstImages(images: DecodedImages, n: number): DecodedImages {
  const count = Math.max(0, Math.min(n, images.count));
  const size = images.height * images.width * images.channels;
  return { ...images, count, pixels: images.pixels.subarray(0, count * size) };
}
