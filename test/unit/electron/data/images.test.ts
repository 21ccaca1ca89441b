import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeImage, imageFormat, type DecodedImage } from '../../../../electron/data/images/decode.js';
import { toTensorPixels } from '../../../../electron/data/images/resize.js';
import { encodePng, pngChunk } from '../../../../electron/files/png.js';

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** Applies PNG filter `type` to a raw scanline, as an encoder would. */
function filterRow(type: number, row: Uint8Array, prev: Uint8Array | null, bpp: number): Uint8Array {
  const out = new Uint8Array(row.length + 1);
  out[0] = type;
  for (let i = 0; i < row.length; i++) {
    const left = i >= bpp ? row[i - bpp]! : 0;
    const up = prev ? prev[i]! : 0;
    const upLeft = prev && i >= bpp ? prev[i - bpp]! : 0;
    const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][type]!;
    out[i + 1] = (row[i]! - predictor) & 0xff;
  }
  return out;
}

interface PngSpec {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  /** Raw (unfiltered) scanlines, already packed. */
  rows: Uint8Array[];
  /** Filter type per row; cycles through all five when absent. */
  filters?: number[];
  palette?: number[];
  trns?: number[];
  bpp?: number;
}

/** A PNG written by hand, for the colour types and depths encodePng does not write. */
function png(spec: PngSpec): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(spec.width, 0);
  header.writeUInt32BE(spec.height, 4);
  header[8] = spec.depth;
  header[9] = spec.colorType;
  const bpp = spec.bpp ?? 1;
  const filtered = spec.rows.map((row, y) => filterRow(spec.filters?.[y] ?? y % 5, row, y > 0 ? spec.rows[y - 1]! : null, bpp));
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', header)];
  if (spec.palette) parts.push(pngChunk('PLTE', Uint8Array.from(spec.palette)));
  if (spec.trns) parts.push(pngChunk('tRNS', Uint8Array.from(spec.trns)));
  parts.push(pngChunk('IDAT', deflateSync(Buffer.concat(filtered))), pngChunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}

const rowsOf = (bytes: number[], stride: number): Uint8Array[] =>
  Array.from({ length: bytes.length / stride }, (_, y) => Uint8Array.from(bytes.slice(y * stride, (y + 1) * stride)));

describe('decodeImage: PNG', () => {
  it('decodes 8-bit gray and RGB written by encodePng', () => {
    const gray = Uint8Array.from({ length: 6 * 5 }, (_, i) => (i * 37) % 256);
    expect(decodeImage(encodePng(gray, 6, 5, 1), 'gray.png')).toEqual({ width: 6, height: 5, channels: 1, data: gray });
    const rgb = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 53 + 7) % 256);
    expect(decodeImage(encodePng(rgb, 4, 3, 3), 'rgb.png')).toEqual({ width: 4, height: 3, channels: 3, data: rgb });
  });

  it('undoes all five row filters on RGBA (colour type 6)', () => {
    const pixels = Array.from({ length: 3 * 5 * 4 }, (_, i) => (i * 97 + 11) % 256);
    const image = decodeImage(png({ width: 3, height: 5, depth: 8, colorType: 6, rows: rowsOf(pixels, 12), bpp: 4 }), 'rgba.png');
    expect(image.channels).toBe(4);
    expect(Array.from(image.data)).toEqual(pixels);
  });

  it('reads a 4-bit palette with transparency', () => {
    const palette = [255, 0, 0, 0, 255, 0, 0, 0, 255];
    // 3 pixels per row at 4 bits: indices 0,1,2 and 2,1,0, padded to whole bytes.
    const rows = [Uint8Array.from([0x01, 0x20]), Uint8Array.from([0x21, 0x00])];
    const image = decodeImage(png({ width: 3, height: 2, depth: 4, colorType: 3, rows, palette, trns: [128] }), 'palette.png');
    expect(image.channels).toBe(4);
    expect(Array.from(image.data)).toEqual([255, 0, 0, 128, 0, 255, 0, 255, 0, 0, 255, 255, 0, 0, 255, 255, 0, 255, 0, 255, 255, 0, 0, 128]);
  });

  it('reads an 8-bit palette without transparency as RGB', () => {
    const image = decodeImage(png({ width: 2, height: 1, depth: 8, colorType: 3, rows: [Uint8Array.from([1, 0])], palette: [10, 20, 30, 40, 50, 60] }), 'p8.png');
    expect(image).toEqual({ width: 2, height: 1, channels: 3, data: Uint8Array.from([40, 50, 60, 10, 20, 30]) });
  });

  it('scales 1- and 2-bit gray to 0–255', () => {
    const one = decodeImage(png({ width: 10, height: 1, depth: 1, colorType: 0, rows: [Uint8Array.from([0b10110000, 0b01000000])] }), 'bits.png');
    expect(Array.from(one.data)).toEqual([255, 0, 255, 255, 0, 0, 0, 0, 0, 255]);
    const two = decodeImage(png({ width: 4, height: 1, depth: 2, colorType: 0, rows: [Uint8Array.from([0b00011011])] }), 'two.png');
    expect(Array.from(two.data)).toEqual([0, 85, 170, 255]);
  });

  it('reads 16-bit gray and RGB, rounding to 8 bits', () => {
    const gray = decodeImage(png({ width: 2, height: 2, depth: 16, colorType: 0, rows: rowsOf([0xff, 0xff, 0x00, 0x00, 0x80, 0x80, 0x01, 0x00], 4), bpp: 2 }), 'g16.png');
    expect(gray).toEqual({ width: 2, height: 2, channels: 1, data: Uint8Array.from([255, 0, 128, 1]) });
    const rgb = decodeImage(png({ width: 1, height: 2, depth: 16, colorType: 2, rows: rowsOf([0xff, 0xff, 0x12, 0x34, 0, 0, 0x7f, 0xff, 0x40, 0x00, 0xff, 0x00], 6), bpp: 6 }), 'c16.png');
    expect(Array.from(rgb.data)).toEqual([255, 18, 0, 127, 64, 254]);
  });

  it('turns gray with alpha, and a transparent gray key, into RGBA', () => {
    const ga = decodeImage(png({ width: 2, height: 1, depth: 8, colorType: 4, rows: [Uint8Array.from([100, 255, 200, 0])], bpp: 2 }), 'ga.png');
    expect(ga.channels).toBe(4);
    expect(Array.from(ga.data)).toEqual([100, 100, 100, 255, 200, 200, 200, 0]);
    const keyed = decodeImage(png({ width: 3, height: 1, depth: 8, colorType: 0, rows: [Uint8Array.from([7, 8, 7])], trns: [0, 7] }), 'key.png');
    expect(Array.from(keyed.data)).toEqual([7, 7, 7, 0, 8, 8, 8, 255, 7, 7, 7, 0]);
  });

  it('reads an interlaced (Adam7) image', () => {
    const width = 9;
    const height = 7;
    const value = (x: number, y: number): number => (y * width + x) * 3;
    const passes = [
      [0, 0, 8, 8],
      [4, 0, 8, 8],
      [0, 4, 4, 8],
      [2, 0, 4, 4],
      [0, 2, 2, 4],
      [1, 0, 2, 2],
      [0, 1, 1, 2],
    ];
    const raw: Uint8Array[] = [];
    for (const [x0, y0, dx, dy] of passes) {
      for (let y = y0!; y < height; y += dy!) {
        const row: number[] = [0];
        for (let x = x0!; x < width; x += dx!) row.push(value(x, y));
        if (row.length > 1) raw.push(Uint8Array.from(row));
      }
    }
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header[8] = 8;
    header[12] = 1;
    const file = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', header),
      pngChunk('IDAT', deflateSync(Buffer.concat(raw))),
      pngChunk('IEND', new Uint8Array(0)),
    ]);
    const image = decodeImage(file, 'adam7.png');
    expect(Array.from(image.data)).toEqual(Array.from({ length: width * height }, (_, i) => value(i % width, Math.floor(i / width))));
  });

  it('explains files that are not images or are damaged, naming them', () => {
    expect(() => decodeImage(Buffer.from('meow meow meow'), 'cat.txt')).toThrow('cat.txt is not a PNG or JPEG image.');
    const good = encodePng(new Uint8Array(64).fill(9), 8, 8, 1);
    expect(() => decodeImage(good.subarray(0, 40), 'cut.png')).toThrow('cut.png is a PNG image that is cut short; save or copy it again.');
    const damaged = Buffer.from(good);
    damaged.fill(0x55, 41, 50);
    expect(() => decodeImage(damaged, 'bad.png')).toThrow(/^bad\.png is a damaged PNG image: its pixel data is/);
    expect(() => decodeImage(Buffer.from([0xff, 0xd8, 0xff, 0x01, 2, 3, 4, 5, 6]), 'bad.jpg')).toThrow(/^bad\.jpg is not a readable JPEG image \(.+\); the file may be damaged/);
  });

  it('chooses the format by its first bytes, not the name', () => {
    expect(imageFormat(encodePng(new Uint8Array(1), 1, 1, 1))).toBe('png');
    expect(imageFormat(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(imageFormat(Buffer.from('GIF89a'))).toBeNull();
  });
});

describe('decodeImage: JPEG', () => {
  it('decodes a JPEG written by jpeg-js as RGB', () => {
    const width = 16;
    const height = 16;
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) rgba.set([200, 100, 50, 255], i * 4);
    const encoded = jpeg.encode({ data: rgba, width, height }, 95).data;
    const image = decodeImage(encoded, 'photo.jpeg');
    expect([image.width, image.height, image.channels]).toEqual([16, 16, 3]);
    const centre = (8 * width + 8) * 3;
    const [r, g, b] = image.data.subarray(centre, centre + 3);
    expect(Math.abs(r! - 200)).toBeLessThanOrEqual(3);
    expect(Math.abs(g! - 100)).toBeLessThanOrEqual(3);
    expect(Math.abs(b! - 50)).toBeLessThanOrEqual(3);
  });
});

const pixelsOf = (image: DecodedImage, height: number, width: number, color: 'gray' | 'rgb'): number[] => {
  const out = new Float32Array(height * width * (color === 'gray' ? 1 : 3));
  toTensorPixels(image, height, width, color, out, 0);
  return Array.from(out);
};

describe('toTensorPixels', () => {
  it('averages a 4×4 checkerboard to mid-gray at 2×2', () => {
    const data = Uint8Array.from({ length: 16 }, (_, i) => ((i % 4) + Math.floor(i / 4)) % 2 === 0 ? 0 : 255);
    expect(pixelsOf({ width: 4, height: 4, channels: 1, data }, 2, 2, 'gray')).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('leaves an image of the same size as it is', () => {
    const data = Uint8Array.from({ length: 5 * 3 * 3 }, (_, i) => (i * 29) % 256);
    const out = pixelsOf({ width: 5, height: 3, channels: 3, data }, 3, 5, 'rgb');
    expect(out.map((v) => Math.round(v * 255))).toEqual(Array.from(data));
    expect(out[1]).toBeCloseTo(data[1]! / 255, 6);
  });

  it('averages each covered block when shrinking by more than 2×', () => {
    // 8×8 with quadrants 0, 64, 128, 255 shrunk to 2×2.
    const data = Uint8Array.from({ length: 64 }, (_, i) => [0, 64, 128, 255][(Math.floor(i / 32) << 1) | (i % 8 >= 4 ? 1 : 0)]!);
    const out = pixelsOf({ width: 8, height: 8, channels: 1, data }, 2, 2, 'gray');
    expect(out.map((v) => Math.round(v * 255))).toEqual([0, 64, 128, 255]);
    // A one-pixel line still counts in its block.
    const line = new Uint8Array(64);
    for (let x = 0; x < 8; x++) line[3 * 8 + x] = 255;
    expect(pixelsOf({ width: 8, height: 8, channels: 1, data: line }, 2, 2, 'gray')[0]).toBeCloseTo(0.25, 6);
  });

  it('interpolates between pixel centres when enlarging', () => {
    const out = pixelsOf({ width: 2, height: 1, channels: 1, data: Uint8Array.from([0, 255]) }, 1, 4, 'gray');
    expect(out).toEqual([0, 0.25, 0.75, 1]);
  });

  it('converts colour: luma for gray, repeated gray for RGB, transparency over black', () => {
    const red = { width: 1, height: 1, channels: 3 as const, data: Uint8Array.from([255, 0, 0]) };
    expect(pixelsOf(red, 1, 1, 'gray')[0]).toBeCloseTo(0.299, 6);
    const white = { width: 1, height: 1, channels: 3 as const, data: Uint8Array.from([255, 255, 255]) };
    expect(pixelsOf(white, 1, 1, 'gray')[0]).toBeCloseTo(1, 6);
    expect(pixelsOf({ width: 1, height: 1, channels: 1, data: Uint8Array.from([51]) }, 1, 1, 'rgb')).toEqual([0.2, 0.2, 0.2].map((v) => Math.fround(v)));
    const rgba = { width: 2, height: 1, channels: 4 as const, data: Uint8Array.from([255, 255, 255, 0, 255, 0, 0, 255]) };
    expect(pixelsOf(rgba, 1, 2, 'rgb')).toEqual([0, 0, 0, 1, 0, 0]);
  });

  it('writes from an offset and refuses an array that is too small', () => {
    const out = new Float32Array(6).fill(9);
    toTensorPixels({ width: 1, height: 1, channels: 1, data: Uint8Array.from([255]) }, 2, 2, 'gray', out, 2);
    expect(Array.from(out)).toEqual([9, 9, 1, 1, 1, 1]);
    expect(() => toTensorPixels({ width: 1, height: 1, channels: 1, data: Uint8Array.from([255]) }, 2, 2, 'gray', out, 3)).toThrow('There is room for 3 values but a 2×2 image needs 4.');
  });
});
