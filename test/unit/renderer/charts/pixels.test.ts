import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeImages, drawGrid, firstImages, fitScale, gridColumns } from '../../../../renderer/charts/pixels.js';

const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');

describe('sample pixels', () => {
  it('decodes base64 to bytes', () => {
    expect([...decodeBase64(b64([0, 127, 255]))]).toEqual([0, 127, 255]);
  });

  it('refuses a batch whose byte count does not match its shape, saying why', () => {
    const bad = decodeImages({ count: 2, height: 2, width: 2, channels: 1, pixels: b64([1, 2, 3]) });
    expect(bad).toEqual({ error: expect.stringContaining('need 8 bytes, not 3') });
  });

  it('lays images out row-major and scales each pixel into a square, nearest neighbour', () => {
    // Two 1×2 grey images: [10, 20] and [30, 40].
    const images = decodeImages({ count: 2, height: 1, width: 2, channels: 1, pixels: b64([10, 20, 30, 40]) });
    if ('error' in images) throw new Error(images.error);
    const grid = drawGrid(images, { columns: 2, scale: 2, gap: 1, background: [0, 0, 0] });
    expect([grid.width, grid.height]).toEqual([9, 2]);
    const red = (x: number, y: number) => grid.data[(y * grid.width + x) * 4];
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((x) => red(x, 0))).toEqual([10, 10, 20, 20, 0, 30, 30, 40, 40]);
    expect(red(6, 1)).toBe(30);
    expect(grid.data[3]).toBe(255);
  });

  it('keeps colour images in colour', () => {
    const images = decodeImages({ count: 1, height: 1, width: 1, channels: 3, pixels: b64([200, 100, 50]) });
    if ('error' in images) throw new Error(images.error);
    expect([...drawGrid(images, { columns: 1, scale: 1, gap: 0 }).data]).toEqual([200, 100, 50, 255]);
  });

  it('picks a near-square grid and the largest whole scale that fits', () => {
    expect(gridColumns(16, 8)).toBe(4);
    expect(gridColumns(64, 8)).toBe(8);
    expect(gridColumns(3, 8)).toBe(2);
    expect(fitScale(300, 4, 28, 2)).toBe(2);
    expect(fitScale(50, 4, 28, 2)).toBe(1);
  });
});

describe('a grid of the first few samples', () => {
  it('takes the first images only', () => {
    const images = decodeImages({ count: 3, height: 1, width: 1, channels: 1, pixels: b64([1, 2, 3]) });
    if ('error' in images) throw new Error(images.error);
    const two = firstImages(images, 2);
    expect([two.count, ...two.pixels]).toEqual([2, 1, 2]);
    expect(firstImages(images, 10).count).toBe(3);
  });
});
