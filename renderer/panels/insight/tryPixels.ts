import { MAX_INPUT_PIXELS } from '../../../shared/api/insight.js';
import type { ImageBatch } from '../../../shared/api/images.js';

/** Bytes as base64, in chunks: `String.fromCharCode(...bytes)` of a whole picture overflows the stack. */
export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/**
 * A canvas's RGBA pixels as gray, `factor` times smaller each way, each pixel the mean of its
 * `factor × factor` block: a pad drawn at 280 CSS pixels sent at 140 keeps its strokes' soft edges.
 */
export function downscaleGray(rgba: Uint8ClampedArray, width: number, height: number, factor: number): { pixels: Uint8Array; width: number; height: number } {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`The scale factor must be a whole number of at least 1, not ${factor}.`);
  if (rgba.length !== width * height * 4) throw new Error(`A ${width}×${height} picture has ${width * height * 4} RGBA bytes, not ${rgba.length}.`);
  const w = Math.floor(width / factor);
  const h = Math.floor(height / factor);
  const pixels = new Uint8Array(w * h);
  const area = factor * factor;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++) {
        let at = ((y * factor + dy) * width + x * factor) * 4;
        for (let dx = 0; dx < factor; dx++, at += 4) sum += 0.299 * rgba[at]! + 0.587 * rgba[at + 1]! + 0.114 * rgba[at + 2]!;
      }
      pixels[y * w + x] = Math.round(sum / area);
    }
  }
  return { pixels, width: w, height: h };
}

/** A canvas's RGBA pixels as RGB bytes, row after row: the colours of a picked picture. */
export function rgbOf(rgba: Uint8ClampedArray): Uint8Array {
  const rgb = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i]!;
    rgb[j + 1] = rgba[i + 1]!;
    rgb[j + 2] = rgba[i + 2]!;
  }
  return rgb;
}

/** One picture as the contract's image batch. */
export function imageBatchOf(pixels: Uint8Array, height: number, width: number, channels: 1 | 3): ImageBatch {
  if (pixels.length !== height * width * channels) throw new Error(`A ${height}×${width}×${channels} picture has ${height * width * channels} bytes, not ${pixels.length}.`);
  return { count: 1, height, width, channels, pixels: toBase64(pixels) };
}

/** Whether anything was drawn: a pad with no stroke brighter than this is left unasked. */
export function hasInk(gray: Uint8Array, threshold = 32): boolean {
  return gray.some((v) => v > threshold);
}

/**
 * The size a picked picture is decoded at: its own when small, else scaled down keeping its
 * proportions to at most `maxSide` a side (the networks take small inputs) and never over the
 * contract's pixel limit.
 */
export function fitWithin(width: number, height: number, maxSide = 256): { width: number; height: number } {
  if (!(width > 0 && height > 0)) throw new Error(`A picture must have a size, not ${width}×${height}.`);
  const scale = Math.min(1, maxSide / Math.max(width, height), Math.sqrt(MAX_INPUT_PIXELS / (width * height)));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** A random example's index of a split of `count`, from a random number in [0, 1). */
export function randomIndex(count: number, random: number): number {
  if (count <= 0) throw new Error('The split has no examples to pick from.');
  return Math.min(count - 1, Math.floor(random * count));
}
