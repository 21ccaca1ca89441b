import { describe, expect, it } from 'vitest';
import { augmentImages } from '../../../../electron/data/augment.js';
import { seededRandom } from '../../../../electron/data/random.js';
import { augmentationSchema, type Augmentation } from '../../../../shared/data/source.js';

const settings = (a: Partial<Augmentation>): Augmentation => augmentationSchema.parse(a);
const always = (value: number) => () => value;

/** An h × w one-channel image that is zero but for the given pixels. */
function dots(height: number, width: number, on: Array<[number, number]>): Float32Array {
  const image = new Float32Array(height * width);
  for (const [y, x] of on) image[y * width + x] = 1;
  return image;
}

const lit = (image: Float32Array, width: number): Array<[number, number]> =>
  [...image.keys()].filter((i) => image[i]! > 0.999).map((i) => [Math.floor(i / width), i % width]);

describe('augmentImages', () => {
  it('returns the very same pixels when every augmentation is off', () => {
    const pixels = Float32Array.from({ length: 2 * 4 * 4 }, (_, i) => i / 32);
    expect(augmentImages(pixels, 2, [4, 4, 1], settings({}), Math.random)).toBe(pixels);
  });

  it('mirrors left to right exactly, per channel, when the coin says so', () => {
    const width = 4;
    const pixels = Float32Array.from({ length: 3 * width * 2 }, (_, i) => i / 24);
    const flipped = augmentImages(pixels, 1, [3, width, 2], settings({ flip: true }), always(0.25));
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < width; x++) {
        for (let k = 0; k < 2; k++) expect(flipped[(y * width + x) * 2 + k]).toBe(pixels[(y * width + (width - 1 - x)) * 2 + k]);
      }
    }
    expect(augmentImages(pixels, 1, [3, width, 2], settings({ flip: true }), always(0.75))).toEqual(pixels);
  });

  it('shifts a dot by whole pixels up to the fraction of the size, filling with zeros', () => {
    const image = dots(10, 10, [[5, 5]]);
    // shift 0.2 of 10 pixels: a draw of 0.75 is +1 pixel, a draw of 0 is -2 pixels, each way.
    const right = augmentImages(image, 1, [10, 10, 1], settings({ shift: 0.2 }), always(0.75));
    expect(lit(right, 10)).toEqual([[6, 6]]);
    expect(right.reduce((a, b) => a + b, 0)).toBe(1);
    const left = augmentImages(image, 1, [10, 10, 1], settings({ shift: 0.2 }), always(0));
    expect(lit(left, 10)).toEqual([[3, 3]]);
    const edge = augmentImages(dots(10, 10, [[0, 0]]), 1, [10, 10, 1], settings({ shift: 0.2 }), always(0));
    expect(edge.every((v) => v === 0)).toBe(true);
  });

  it('turns a square pattern a quarter turn about its centre', () => {
    const size = 5;
    const channels = 3;
    const pixels = Float32Array.from({ length: size * size * channels }, (_, i) => ((i * 7) % 11) / 10);
    // A draw of 0 is the full -90°: clockwise as shown, so out(y, x) = in(size - 1 - x, y).
    const turned = augmentImages(pixels, 1, [size, size, channels], settings({ rotate: 90 }), always(0));
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let k = 0; k < channels; k++) expect(turned[(y * size + x) * channels + k]).toBeCloseTo(pixels[((size - 1 - x) * size + y) * channels + k]!, 6);
      }
    }
    const top = dots(5, 5, [[0, 2]]);
    expect(lit(augmentImages(top, 1, [5, 5, 1], settings({ rotate: 90 }), always(0)), 5)).toEqual([[2, 4]]);
    expect(lit(augmentImages(top, 1, [5, 5, 1], settings({ rotate: 90 }), always(0.9999999999)), 5)).toEqual([[2, 0]]);
  });

  it('blends between pixels when turning by an odd angle, and fills corners with black', () => {
    const white = new Float32Array(9 * 9).fill(1);
    const turned = augmentImages(white, 1, [9, 9, 1], settings({ rotate: 45 }), always(0));
    expect(turned[4 * 9 + 4]).toBeCloseTo(1, 6);
    expect(turned[0]).toBe(0);
    expect(turned.some((v) => v > 0.01 && v < 0.99)).toBe(true);
  });

  it('adds Gaussian noise of the given spread, kept in [0, 1]', () => {
    const gray = new Float32Array(64 * 64).fill(0.5);
    const noisy = augmentImages(gray, 1, [64, 64, 1], settings({ noise: 0.1 }), seededRandom(3));
    const diffs = Array.from(noisy, (v) => v - 0.5);
    const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
    const std = Math.sqrt(diffs.reduce((a, b) => a + (b - mean) ** 2, 0) / diffs.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(std).toBeGreaterThan(0.09);
    expect(std).toBeLessThan(0.11);
    const strong = augmentImages(gray, 1, [64, 64, 1], settings({ noise: 1 }), seededRandom(4));
    expect(strong.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(strong.filter((v) => v === 0 || v === 1).length).toBeGreaterThan(1000);
    expect(gray.every((v) => v === 0.5)).toBe(true);
  });

  it('gives the same batch for the same seed and a different one for another', () => {
    const pixels = Float32Array.from({ length: 4 * 12 * 12 * 3 }, (_, i) => (i % 13) / 13);
    const all = settings({ flip: true, shift: 0.1, rotate: 15, noise: 0.05 });
    const a = augmentImages(pixels, 4, [12, 12, 3], all, seededRandom(11));
    const b = augmentImages(pixels, 4, [12, 12, 3], all, seededRandom(11));
    const c = augmentImages(pixels, 4, [12, 12, 3], all, seededRandom(12));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toBe(pixels);
  });
});
