import { inflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';

/** An image's 8-bit pixels, row after row, `channels` bytes each: gray, RGB, or RGB with alpha. */
export interface DecodedImage {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array;
}

/** The image formats NetCanvas reads. */
export type ImageFormat = 'png' | 'jpeg';

/** Bytes from the start of a file that are enough for `imageFormat` to tell the format. */
export const MAGIC_BYTES = 8;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

/** Images larger than this many pixels are refused rather than risk running out of memory. */
const MAX_PIXELS = 100_000_000;

const startsWith = (bytes: Uint8Array, signature: number[]): boolean => bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);

/** Which image format a file's first bytes announce, or null when neither PNG nor JPEG. */
export function imageFormat(head: Uint8Array): ImageFormat | null {
  if (startsWith(head, PNG_SIGNATURE)) return 'png';
  if (startsWith(head, JPEG_SIGNATURE)) return 'jpeg';
  return null;
}

/** Decodes a PNG or JPEG file's bytes, chosen by its first bytes; `file` names it in errors. */
export function decodeImage(bytes: Uint8Array, file: string): DecodedImage {
  switch (imageFormat(bytes)) {
    case 'png':
      return decodePng(bytes, file);
    case 'jpeg':
      return decodeJpeg(bytes, file);
    case null:
      throw new Error(`${file} is not a PNG or JPEG image.`);
  }
}

function decodeJpeg(bytes: Uint8Array, file: string): DecodedImage {
  let image: { width: number; height: number; data: Uint8Array };
  try {
    image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 512 });
  } catch (err) {
    throw new Error(`${file} is not a readable JPEG image (${(err as Error).message}); the file may be damaged or cut short.`);
  }
  if (image.width === 0 || image.height === 0) throw new Error(`${file} is a JPEG image without any pixels; the file may be damaged or cut short.`);
  return { width: image.width, height: image.height, channels: 3, data: image.data };
}

interface PngHeader {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  interlaced: boolean;
}

interface PngChunks {
  header: PngHeader;
  compressed: Buffer;
  palette: Uint8Array | null;
  transparency: Uint8Array | null;
}

/** Samples per pixel of each PNG colour type, and the bit depths it allows. */
const COLOR_TYPES: Record<number, { samples: number; depths: number[] }> = {
  0: { samples: 1, depths: [1, 2, 4, 8, 16] },
  2: { samples: 3, depths: [8, 16] },
  3: { samples: 1, depths: [1, 2, 4, 8] },
  4: { samples: 2, depths: [8, 16] },
  6: { samples: 4, depths: [8, 16] },
};

function readChunks(bytes: Uint8Array, file: string): PngChunks {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idat: Uint8Array[] = [];
  let header: PngHeader | null = null;
  let palette: Uint8Array | null = null;
  let transparency: Uint8Array | null = null;
  let at = PNG_SIGNATURE.length;
  for (;;) {
    if (at + 8 > bytes.length) throw new Error(`${file} is a PNG image that is cut short; save or copy it again.`);
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (data.length < length) throw new Error(`${file} is a PNG image that is cut short; save or copy it again.`);
    at += 12 + length;
    if (type === 'IHDR') header = readHeader(data, file);
    else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') transparency = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    if (!header) throw new Error(`${file} is a damaged PNG image: it does not begin with its size (IHDR).`);
  }
  if (!header || idat.length === 0) throw new Error(`${file} is a damaged PNG image: it has no pixel data.`);
  if (header.colorType === 3 && !palette) throw new Error(`${file} is a damaged PNG image: it uses a palette but has none (PLTE).`);
  return { header, compressed: Buffer.concat(idat), palette, transparency };
}

function readHeader(data: Uint8Array, file: string): PngHeader {
  if (data.length < 13) throw new Error(`${file} is a damaged PNG image: its header (IHDR) is too short.`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const header = { width: view.getUint32(0), height: view.getUint32(4), depth: data[8]!, colorType: data[9]!, interlaced: data[12] === 1 };
  const kind = COLOR_TYPES[header.colorType];
  if (!kind || !kind.depths.includes(header.depth)) {
    throw new Error(`${file} is a PNG image with colour type ${header.colorType} at ${header.depth} bits, which is not valid PNG.`);
  }
  if (header.width === 0 || header.height === 0) throw new Error(`${file} is a PNG image without any pixels.`);
  if (header.width * header.height > MAX_PIXELS) {
    throw new Error(`${file} is ${header.width}×${header.height} pixels, more than NetCanvas reads (100 megapixels); make it smaller first.`);
  }
  return header;
}

/** One Adam7 pass: where its first pixel sits and the steps between its pixels. */
interface Pass {
  x: number;
  y: number;
  dx: number;
  dy: number;
}

const ADAM7: Pass[] = [
  { x: 0, y: 0, dx: 8, dy: 8 },
  { x: 4, y: 0, dx: 8, dy: 8 },
  { x: 0, y: 4, dx: 4, dy: 8 },
  { x: 2, y: 0, dx: 4, dy: 4 },
  { x: 0, y: 2, dx: 2, dy: 4 },
  { x: 1, y: 0, dx: 2, dy: 2 },
  { x: 0, y: 1, dx: 1, dy: 2 },
];
const WHOLE: Pass[] = [{ x: 0, y: 0, dx: 1, dy: 1 }];

const passSize = (size: number, start: number, step: number): number => Math.max(0, Math.ceil((size - start) / step));

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undoes the PNG row filters of `rows` rows of `stride` bytes starting at `at`, in place; returns where the next pass starts. */
function unfilter(raw: Buffer, at: number, rows: number, stride: number, bpp: number, file: string): number {
  for (let y = 0; y < rows; y++) {
    const filter = raw[at]!;
    const row = at + 1;
    const prev = row - stride - 1;
    const up = (i: number): number => (y > 0 ? raw[prev + i]! : 0);
    const left = (i: number): number => (i >= bpp ? raw[row + i - bpp]! : 0);
    switch (filter) {
      case 0:
        break;
      case 1:
        for (let i = bpp; i < stride; i++) raw[row + i] = raw[row + i]! + raw[row + i - bpp]!;
        break;
      case 2:
        if (y > 0) for (let i = 0; i < stride; i++) raw[row + i] = raw[row + i]! + raw[prev + i]!;
        break;
      case 3:
        for (let i = 0; i < stride; i++) raw[row + i] = raw[row + i]! + ((left(i) + up(i)) >> 1);
        break;
      case 4:
        for (let i = 0; i < stride; i++) raw[row + i] = raw[row + i]! + paeth(left(i), up(i), y > 0 && i >= bpp ? raw[prev + i - bpp]! : 0);
        break;
      default:
        throw new Error(`${file} is a damaged PNG image: a row has filter type ${filter}, which does not exist.`);
    }
    at = row + stride;
  }
  return at;
}

/** Reads sample `i` of a row of samples `depth` bits each. */
function sample(raw: Buffer, row: number, i: number, depth: number): number {
  if (depth === 8) return raw[row + i]!;
  if (depth === 16) return (raw[row + 2 * i]! << 8) | raw[row + 2 * i + 1]!;
  const bit = i * depth;
  return (raw[row + (bit >> 3)]! >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
}

/** Turns one pixel's samples into 8-bit output values. */
type PixelWriter = (samples: number[], out: Uint8Array, at: number) => void;

function pixelWriter(chunks: PngChunks, file: string): { channels: 1 | 3 | 4; write: PixelWriter } {
  const { depth, colorType } = chunks.header;
  const trns = chunks.transparency;
  const to8 = depth === 16 ? (v: number) => Math.round(v / 257) : depth === 8 ? (v: number) => v : (v: number) => (v * 255) / ((1 << depth) - 1);
  const key = (i: number): number => (trns && trns.length >= 2 * i + 2 ? (trns[2 * i]! << 8) | trns[2 * i + 1]! : -1);
  const rgb = (out: Uint8Array, at: number, r: number, g: number, b: number): void => {
    out[at] = to8(r);
    out[at + 1] = to8(g);
    out[at + 2] = to8(b);
  };
  switch (colorType) {
    case 0: {
      const gray = key(0);
      if (gray < 0) return { channels: 1, write: (s, out, at) => void (out[at] = to8(s[0]!)) };
      return {
        channels: 4,
        write: (s, out, at) => {
          rgb(out, at, s[0]!, s[0]!, s[0]!);
          out[at + 3] = s[0] === gray ? 0 : 255;
        },
      };
    }
    case 2: {
      const [r, g, b] = [key(0), key(1), key(2)];
      if (r < 0) return { channels: 3, write: (s, out, at) => rgb(out, at, s[0]!, s[1]!, s[2]!) };
      return {
        channels: 4,
        write: (s, out, at) => {
          rgb(out, at, s[0]!, s[1]!, s[2]!);
          out[at + 3] = s[0] === r && s[1] === g && s[2] === b ? 0 : 255;
        },
      };
    }
    case 3: {
      const palette = chunks.palette!;
      const colors = Math.floor(palette.length / 3);
      return {
        channels: trns ? 4 : 3,
        write: (s, out, at) => {
          const i = s[0]!;
          if (i >= colors) throw new Error(`${file} is a damaged PNG image: a pixel uses colour ${i} of a palette of ${colors}.`);
          out[at] = palette[3 * i]!;
          out[at + 1] = palette[3 * i + 1]!;
          out[at + 2] = palette[3 * i + 2]!;
          if (trns) out[at + 3] = i < trns.length ? trns[i]! : 255;
        },
      };
    }
    case 4:
      return {
        channels: 4,
        write: (s, out, at) => {
          rgb(out, at, s[0]!, s[0]!, s[0]!);
          out[at + 3] = to8(s[1]!);
        },
      };
    default:
      return {
        channels: 4,
        write: (s, out, at) => {
          rgb(out, at, s[0]!, s[1]!, s[2]!);
          out[at + 3] = to8(s[3]!);
        },
      };
  }
}

function decodePng(bytes: Uint8Array, file: string): DecodedImage {
  const chunks = readChunks(bytes, file);
  const { width, height, depth, colorType, interlaced } = chunks.header;
  const samples = COLOR_TYPES[colorType]!.samples;
  const bitsPerPixel = samples * depth;
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const passes = interlaced ? ADAM7 : WHOLE;
  const sizes = passes.map((p) => ({ ...p, w: passSize(width, p.x, p.dx), h: passSize(height, p.y, p.dy) })).filter((p) => p.w > 0 && p.h > 0);
  const expected = sizes.reduce((n, p) => n + p.h * (1 + Math.ceil((p.w * bitsPerPixel) / 8)), 0);
  let raw: Buffer;
  try {
    raw = inflateSync(chunks.compressed, { maxOutputLength: expected });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'Z_BUF_ERROR' ? 'its pixel data is cut short' : code === 'ERR_BUFFER_TOO_LARGE' ? 'it holds more pixel data than its size says' : 'its pixel data is damaged';
    throw new Error(`${file} is a damaged PNG image: ${why}.`);
  }
  if (raw.length < expected) throw new Error(`${file} is a damaged PNG image: its pixel data is cut short.`);
  const { channels, write } = pixelWriter(chunks, file);
  const data = new Uint8Array(width * height * channels);
  const pixel = new Array<number>(samples);
  /** 8-bit rows that already are the output's pixels (gray, RGB or RGBA without a transparent key) are copied whole. */
  const copies = depth === 8 && samples === channels;
  let at = 0;
  for (const pass of sizes) {
    const stride = Math.ceil((pass.w * bitsPerPixel) / 8);
    const start = at;
    at = unfilter(raw, at, pass.h, stride, bpp, file);
    for (let y = 0; y < pass.h; y++) {
      const row = start + y * (stride + 1) + 1;
      const outRow = (pass.y + y * pass.dy) * width;
      if (copies && pass.dx === 1) {
        data.set(raw.subarray(row, row + stride), outRow * channels);
        continue;
      }
      for (let x = 0; x < pass.w; x++) {
        for (let k = 0; k < samples; k++) pixel[k] = sample(raw, row, x * samples + k, depth);
        write(pixel, data, (outRow + pass.x + x * pass.dx) * channels);
      }
    }
  }
  return { width, height, channels, data };
}
