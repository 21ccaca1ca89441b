// Draws the app icon, three layers of connected nodes on the toolbar's navy, at the sizes the
// installers take: `npx tsx build/make-icon.ts`. Shapes are distance fields, so every size is
// drawn sharp and anti-aliased rather than scaled from another.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { pngChunk } from '../electron/files/png.js';

type Rgb = readonly [number, number, number];

const NAVY: Rgb = [0x0f, 0x17, 0x2a];
const NAVY_TOP: Rgb = [0x1e, 0x29, 0x3b];
const EDGE: Rgb = [0x64, 0x74, 0x8b];
const ACCENT: Rgb = [0x25, 0x63, 0xeb];
const OK: Rgb = [0x05, 0x96, 0x69];
const RING: Rgb = [0xf8, 0xfa, 0xfc];

/** Node centres by layer, in a unit square: a small network that still reads at 16 pixels. */
const LAYERS = [
  { x: 0.28, ys: [0.33, 0.5, 0.67], fill: ACCENT },
  { x: 0.5, ys: [0.265, 0.4216, 0.5784, 0.735], fill: ACCENT },
  { x: 0.72, ys: [0.41, 0.59], fill: OK },
];
const NODE_R = 0.056;
const RING_W = 0.018;
const EDGE_W = 0.016;
const BODY = { inset: 0.07, radius: 0.2 };

function roundedSquare(x: number, y: number): number {
  const half = 0.5 - BODY.inset - BODY.radius;
  const qx = Math.abs(x - 0.5) - half;
  const qy = Math.abs(y - 0.5) - half;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - BODY.radius;
}

function segment(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}

function render(size: number): Buffer {
  const pixels = new Uint8Array(size * size * 4);
  const edges = LAYERS.slice(1).flatMap((to, i) => LAYERS[i]!.ys.flatMap((ay) => to.ys.map((by) => [LAYERS[i]!.x, ay, to.x, by] as const)));
  const nodes = LAYERS.flatMap((layer) => layer.ys.map((y) => ({ x: layer.x, y, fill: layer.fill })));
  // Coverage of a shape from its signed distance, one pixel of soft edge.
  const cover = (distance: number) => Math.max(0, Math.min(1, 0.5 - distance * size));
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      const alpha = cover(roundedSquare(x, y));
      if (alpha === 0) continue;
      const t = (y - BODY.inset) / (1 - 2 * BODY.inset);
      let rgb: number[] = NAVY_TOP.map((c, k) => c + (NAVY[k]! - c) * Math.max(0, Math.min(1, t)));
      const over = (color: Rgb, amount: number) => {
        if (amount > 0) rgb = rgb.map((c, k) => c + (color[k]! - c) * amount);
      };
      over(EDGE, 0.85 * cover(Math.min(...edges.map((e) => segment(x, y, ...e))) - EDGE_W / 2));
      for (const node of nodes) {
        const d = Math.hypot(x - node.x, y - node.y);
        over(RING, cover(d - NODE_R));
        over(node.fill, cover(d - (NODE_R - RING_W)));
      }
      const at = (py * size + px) * 4;
      pixels.set([...rgb.map(Math.round), Math.round(alpha * 255)], at);
    }
  }
  return encodeRgba(pixels, size, size);
}

/** An 8-bit RGBA PNG; electron/files/png.ts writes the chunks. */
function encodeRgba(pixels: Uint8Array, width: number, height: number): Buffer {
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 6;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(raw, { level: 9 })), pngChunk('IEND', new Uint8Array(0))]);
}

const here = path.dirname(fileURLToPath(import.meta.url));
writeFileSync(path.join(here, 'icons', '1024x1024.png'), render(1024));
writeFileSync(path.join(here, 'icons', '512x512.png'), render(512));
