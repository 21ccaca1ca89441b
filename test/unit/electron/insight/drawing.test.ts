import { describe, expect, it } from 'vitest';
import type { DecodedImage } from '../../../../electron/data/images/decode.js';
import { InputError } from '../../../../electron/data/dataset.js';
import { centreOfMass, fitImage, imageFromBatch, mnistDigit, MNIST_CENTRE, MNIST_FIELD, toImageBatch } from '../../../../electron/insight/drawing.js';
import { MAX_INPUT_PIXELS } from '../../../../shared/api/insight.js';

/** A dark pad of width × height with white rectangles painted on it, in `channels` channels. */
function pad(width: number, height: number, strokes: { x: number; y: number; w: number; h: number; level?: number }[], channels: 1 | 3 = 1): DecodedImage {
  const data = new Uint8Array(width * height * channels);
  for (const s of strokes) {
    for (let y = s.y; y < s.y + s.h; y++) for (let x = s.x; x < s.x + s.w; x++) data.fill(s.level ?? 255, (y * width + x) * channels, (y * width + x + 1) * channels);
  }
  return { width, height, channels, data };
}

/** The rows and columns with any value above zero. */
function extent(pixels: Float32Array, size: number): { height: number; width: number } {
  const rows = new Set<number>();
  const columns = new Set<number>();
  pixels.forEach((v, i) => {
    if (v > 0) {
      rows.add(Math.floor(i / size));
      columns.add(i % size);
    }
  });
  return { height: Math.max(...rows) - Math.min(...rows) + 1, width: Math.max(...columns) - Math.min(...columns) + 1 };
}

describe("MNIST's procedure for a drawing", () => {
  it("puts the centre of mass where MNIST's digits have it: the middle of pixel (14, 14)", () => {
    expect(MNIST_CENTRE).toBe(14.5);
  });

  it('moves a bar drawn off-centre to the middle by its mass, scaled so its longer side is 20 pixels', () => {
    // A tall bar near the top left corner of a 280 × 200 pad.
    const digit = mnistDigit(pad(280, 200, [{ x: 20, y: 10, w: 24, h: 120 }]));
    expect(digit.length).toBe(MNIST_FIELD * MNIST_FIELD);
    const centre = centreOfMass(digit, MNIST_FIELD, MNIST_FIELD)!;
    expect(Math.abs(centre.y - 14.5)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(centre.x - 14.5)).toBeLessThanOrEqual(0.5);
    const { height, width } = extent(digit, MNIST_FIELD);
    expect(height).toBe(20);
    expect(width).toBe(4);
    expect(Math.min(...digit)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...digit)).toBe(1);
  });

  it('centres by mass, not by the box: an upside-down T, whose foot pulls its mass low, sits higher than its box would', () => {
    // The mass is below the middle of the box, so the box is placed high.
    const digit = mnistDigit(pad(100, 100, [
      { x: 38, y: 10, w: 8, h: 60 },
      { x: 10, y: 66, w: 60, h: 4 },
    ]));
    const centre = centreOfMass(digit, MNIST_FIELD, MNIST_FIELD)!;
    expect(Math.abs(centre.y - 14.5)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(centre.x - 14.5)).toBeLessThanOrEqual(0.5);
    const rows = Array.from({ length: MNIST_FIELD }, (_, y) => digit.subarray(y * MNIST_FIELD, (y + 1) * MNIST_FIELD).some((v) => v > 0));
    const firstRow = rows.indexOf(true);
    const lastRow = rows.lastIndexOf(true);
    expect(lastRow - firstRow + 1).toBe(20);
    // A box centred in the field would start at row 4 or 5.
    expect(firstRow).toBeLessThan(3);
  });

  it('keeps all of a very lopsided drawing in the field', () => {
    const digit = mnistDigit(pad(100, 100, [
      { x: 10, y: 10, w: 2, h: 80 },
      { x: 10, y: 70, w: 80, h: 20 },
    ]));
    const rows = Array.from({ length: MNIST_FIELD }, (_, y) => digit.subarray(y * MNIST_FIELD, (y + 1) * MNIST_FIELD).some((v) => v > 0));
    expect(rows.indexOf(true)).toBe(0);
    expect(rows.lastIndexOf(true)).toBe(19);
  });

  it('keeps the aspect ratio, anti-aliases edges between pixels, and reads colour drawings as gray', () => {
    const bar = mnistDigit(pad(300, 300, [{ x: 40, y: 100, w: 200, h: 40 }], 3));
    expect(extent(bar, MNIST_FIELD)).toEqual({ width: 20, height: 4 });
    // A plus of bars 35 pixels wide in a 200-pixel box: 3.5 pixels wide once scaled.
    const plus = mnistDigit(pad(300, 300, [
      { x: 40, y: 100, w: 200, h: 35 },
      { x: 120, y: 20, w: 35, h: 200 },
    ], 3));
    expect(extent(plus, MNIST_FIELD)).toEqual({ width: 20, height: 20 });
    const levels = new Set(Array.from(plus).filter((v) => v > 0 && v < 1).map((v) => v.toFixed(2)));
    expect(levels.size).toBeGreaterThan(0);
  });

  it('makes a faint thin stroke as white as MNIST pen strokes', () => {
    const digit = mnistDigit(pad(400, 400, [{ x: 100, y: 50, w: 3, h: 300, level: 128 }]));
    expect(Math.max(...digit)).toBe(1);
  });

  it('refuses an empty pad with a message', () => {
    expect(() => mnistDigit(pad(50, 50, []))).toThrow(InputError);
    expect(() => mnistDigit(pad(50, 50, []))).toThrow(/nothing is drawn/);
  });
});

describe('pictures for the network', () => {
  it('fits an image to the input size and colours', () => {
    const image = pad(10, 10, [{ x: 0, y: 0, w: 5, h: 10 }], 3);
    const gray = fitImage(image, 4, 4, 1);
    expect(Array.from(gray.subarray(0, 4))).toEqual([1, 1, 0, 0]);
    const rgb = fitImage(image, 2, 2, 3);
    expect(Array.from(rgb)).toEqual([1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0]);
    expect(() => fitImage(image, 2, 2, 2)).toThrow(InputError);
  });

  it('carries pixels to 8-bit batches and back, refusing batches that are not one picture of an allowed size', () => {
    const pixels = Float32Array.from({ length: 2 * 3 }, (_, i) => i / 5);
    const batch = toImageBatch(pixels, 1, 2, 3, 1);
    expect(batch).toMatchObject({ count: 1, height: 2, width: 3, channels: 1 });
    const back = imageFromBatch(batch, 'drawing');
    expect(Array.from(back.data)).toEqual([0, 51, 102, 153, 204, 255]);
    expect(() => imageFromBatch({ ...batch, count: 2 }, 'drawing')).toThrow('drawing: one picture is needed, not 2');
    expect(() => imageFromBatch({ ...batch, width: 4 }, 'image')).toThrow(/^image: 4 × 2 pixels of 1 channel are 8 bytes, but the picture holds 6/);
    const side = Math.ceil(Math.sqrt(MAX_INPUT_PIXELS)) + 1;
    expect(() => imageFromBatch({ ...batch, width: side, height: side }, 'image')).toThrow(/more than the 1,048,576 a picture may have/);
    expect(() => toImageBatch(pixels, 1, 2, 2, 1)).toThrow();
  });
});
