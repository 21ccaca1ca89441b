import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../../../../../renderer/charts/pixels.js';
import { downscaleGray, fitWithin, hasInk, imageBatchOf, randomIndex, rgbOf, toBase64 } from '../../../../../renderer/panels/insight/tryPixels.js';
import { MAX_INPUT_PIXELS } from '../../../../../shared/api/insight.js';

/** An RGBA picture of `width × height` whose pixel (x, y) is gray `value(x, y)`. */
function rgba(width: number, height: number, value: (x: number, y: number) => number): Uint8ClampedArray {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      data.fill(value(x, y), at, at + 3);
      data[at + 3] = 255;
    }
  }
  return data;
}

describe('the drawing pad sent smaller', () => {
  it('makes each pixel the mean of its block, in place', () => {
    // A white square over x 2..3, y 0..1 of a 4×4 picture: the top right pixel at half size.
    const picture = rgba(4, 4, (x, y) => (x >= 2 && y <= 1 ? 255 : 0));
    expect(Array.from(downscaleGray(picture, 4, 4, 2).pixels)).toEqual([0, 255, 0, 0]);
    // A stroke's soft edge: one white pixel of four is a quarter gray.
    expect(Array.from(downscaleGray(rgba(2, 2, (x, y) => (x === 0 && y === 0 ? 255 : 0)), 2, 2, 2).pixels)).toEqual([64]);
  });

  it('reads colours as their brightness', () => {
    const red = new Uint8ClampedArray([255, 0, 0, 255]);
    expect(downscaleGray(red, 1, 1, 1).pixels[0]).toBe(76);
  });

  it('refuses a size its bytes do not have, or a scale that is not whole', () => {
    expect(() => downscaleGray(new Uint8ClampedArray(12), 2, 2, 1)).toThrow(/2×2 picture has 16 RGBA bytes, not 12/);
    expect(() => downscaleGray(rgba(4, 4, () => 0), 4, 4, 1.5)).toThrow(/whole number/);
  });

  it('tells a blank pad from one drawn on', () => {
    expect(hasInk(new Uint8Array(100))).toBe(false);
    const drawn = new Uint8Array(100);
    drawn[57] = 200;
    expect(hasInk(drawn)).toBe(true);
  });
});

describe('a picture as the contract carries it', () => {
  it('keeps its bytes through base64, also past the size one call to fromCharCode takes', () => {
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 7) % 256);
    expect(decodeBase64(toBase64(bytes))).toEqual(bytes);
    const batch = imageBatchOf(bytes.subarray(0, 2 * 3 * 3), 2, 3, 3);
    expect(batch).toMatchObject({ count: 1, height: 2, width: 3, channels: 3 });
    expect(Array.from(decodeBase64(batch.pixels))).toEqual(Array.from(bytes.subarray(0, 18)));
  });

  it('refuses pixels of another size than it says', () => {
    expect(() => imageBatchOf(new Uint8Array(5), 2, 2, 1)).toThrow(/2×2×1 picture has 4 bytes, not 5/);
  });

  it('drops the alpha of a canvas picture', () => {
    expect(Array.from(rgbOf(new Uint8ClampedArray([1, 2, 3, 255, 4, 5, 6, 0])))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('decodes a big picture smaller, in proportion, within the pixel limit', () => {
    expect(fitWithin(28, 28)).toEqual({ width: 28, height: 28 });
    expect(fitWithin(4000, 2000)).toEqual({ width: 256, height: 128 });
    const wide = fitWithin(100_000, 20, 1e9);
    expect(wide.width * wide.height).toBeLessThanOrEqual(MAX_INPUT_PIXELS);
    expect(() => fitWithin(0, 10)).toThrow(/must have a size/);
  });
});

describe('a random test example', () => {
  it('is one of the split, first and last included', () => {
    expect(randomIndex(10, 0)).toBe(0);
    expect(randomIndex(10, 0.999999)).toBe(9);
    expect(randomIndex(10, 0.55)).toBe(5);
    expect(() => randomIndex(0, 0.5)).toThrow(/no examples/);
  });
});
