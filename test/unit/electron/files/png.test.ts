import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng, gridPng } from '../../../../electron/files/png.js';

/** Reads back the size, colour type and raw rows of a PNG this module wrote. */
function decode(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const colour = png[25];
  const idatLength = png.readUInt32BE(33);
  const raw = inflateSync(png.subarray(41, 41 + idatLength));
  return { width, height, colour, raw };
}

describe('PNG files for sample grids', () => {
  it('writes grayscale pixels row by row', () => {
    const { width, height, colour, raw } = decode(encodePng(Uint8Array.from([0, 64, 128, 255, 10, 20]), 3, 2, 1));
    expect([width, height, colour]).toEqual([3, 2, 0]);
    expect(Array.from(raw)).toEqual([0, 0, 64, 128, 0, 255, 10, 20]);
  });

  it('lays images out in a grid with gaps, scaled up', () => {
    const pixels = Buffer.from(Uint8Array.from([255, 0, 0, 255])).toString('base64');
    const { width, height } = decode(gridPng({ count: 4, height: 1, width: 1, channels: 1, pixels }, 2, 3));
    expect([width, height]).toEqual([2 * (1 + 1) * 3, 2 * (1 + 1) * 3]);
  });
});
