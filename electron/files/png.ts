import { deflateSync } from 'node:zlib';
import type { ImageBatch } from '../../shared/api/contract.js';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One PNG chunk: length, type, data and CRC. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit grayscale or RGB PNG of `width × height` pixels, row after row. */
export function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3): Buffer {
  const stride = width * channels;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0;
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = channels === 1 ? 0 : 2;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', new Uint8Array(0))]);
}

/** Lays a batch of images out in a grid with a one-pixel gap, each pixel `scale` times larger. */
export function gridPng(batch: ImageBatch, columns = Math.ceil(Math.sqrt(batch.count)), scale = 2): Buffer {
  const { count, height: h, width: w, channels: c } = batch;
  const source = Buffer.from(batch.pixels, 'base64');
  const rows = Math.ceil(count / columns);
  const cell = { w: (w + 1) * scale, h: (h + 1) * scale };
  const width = columns * cell.w;
  const height = rows * cell.h;
  const out = new Uint8Array(width * height * c).fill(40);
  for (let i = 0; i < count; i++) {
    const ox = (i % columns) * cell.w;
    const oy = Math.floor(i / columns) * cell.h;
    for (let y = 0; y < h * scale; y++) {
      for (let x = 0; x < w * scale; x++) {
        const from = ((i * h + Math.floor(y / scale)) * w + Math.floor(x / scale)) * c;
        const to = ((oy + y) * width + ox + x) * c;
        for (let k = 0; k < c; k++) out[to + k] = source[from + k]!;
      }
    }
  }
  return encodePng(out, width, height, c);
}
