import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { seededRandom } from '../data/random.js';
import { encodePng } from '../files/png.js';
import { writeFileAtomic } from '../files/atomic.js';

/** The classes of the generated image folder, each a shape a small network can learn to tell apart. */
export const BENCH_CLASSES = ['horizontal', 'vertical', 'diagonal', 'antidiagonal', 'ring', 'square', 'plus', 'cross', 'frame', 'dots'] as const;

const SIZE = 28;

/** How bright the shape of class `label` is at (x, y), relative to its centre (cx, cy) and radius r. */
function shape(label: number, x: number, y: number, cx: number, cy: number, r: number): number {
  const dx = x - cx;
  const dy = y - cy;
  const near = (d: number): number => Math.max(0, 1 - Math.abs(d) / 1.5);
  const inside = Math.abs(dx) <= r && Math.abs(dy) <= r;
  switch (BENCH_CLASSES[label]) {
    case 'horizontal':
      return Math.abs(dx) <= r ? near(dy) : 0;
    case 'vertical':
      return Math.abs(dy) <= r ? near(dx) : 0;
    case 'diagonal':
      return inside ? near((dx - dy) / Math.SQRT2) : 0;
    case 'antidiagonal':
      return inside ? near((dx + dy) / Math.SQRT2) : 0;
    case 'ring':
      return near(Math.hypot(dx, dy) - r);
    case 'square':
      return inside ? 1 : 0;
    case 'plus':
      return inside ? Math.max(near(dx), near(dy)) : 0;
    case 'cross':
      return inside ? Math.max(near((dx - dy) / Math.SQRT2), near((dx + dy) / Math.SQRT2)) : 0;
    case 'frame':
      return inside ? Math.max(near(Math.abs(dx) - r), near(Math.abs(dy) - r)) : 0;
    default:
      return Math.max(near(Math.hypot(dx - r / 2, dy - r / 2)), near(Math.hypot(dx + r / 2, dy - r / 2)), near(Math.hypot(dx - r / 2, dy + r / 2)), near(Math.hypot(dx + r / 2, dy + r / 2)));
  }
}

/** One 28×28 gray image of class `label`: its shape moved, sized and dimmed at random, over noise. */
export function benchImage(label: number, random: () => number): Uint8Array {
  const cx = 13.5 + (random() - 0.5) * 8;
  const cy = 13.5 + (random() - 0.5) * 8;
  const r = 5 + random() * 4;
  const brightness = 0.6 + random() * 0.4;
  const pixels = new Uint8Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const v = brightness * shape(label, x, y, cx, cy, r) + (random() - 0.5) * 0.3;
      pixels[y * SIZE + x] = Math.round(Math.min(1, Math.max(0, v)) * 255);
    }
  }
  return pixels;
}

/**
 * Writes `perClass` generated 28×28 gray PNGs of each of the ten BENCH_CLASSES into
 * `dir/<class>/<n>.png`, the same images every time, for benchmarks and checks that need a
 * large image folder.
 */
export async function writeBenchFolder(dir: string, perClass: number): Promise<void> {
  for (let label = 0; label < BENCH_CLASSES.length; label++) {
    const folder = path.join(dir, BENCH_CLASSES[label]!);
    const random = seededRandom(label + 1);
    for (let start = 0; start < perClass; start += 100) {
      const batch = Array.from({ length: Math.min(100, perClass - start) }, () => encodePng(benchImage(label, random), SIZE, SIZE, 1));
      await Promise.all(batch.map((png, i) => writeFileAtomic(path.join(folder, `${start + i}.png`), png)));
    }
  }
}

/** Whether `dir` already holds what writeBenchFolder(dir, perClass) writes, so it can be reused. */
export async function benchFolderComplete(dir: string, perClass: number): Promise<boolean> {
  const counts = await Promise.all(
    BENCH_CLASSES.map((cls) =>
      readdir(path.join(dir, cls)).then(
        (names) => names.filter((n) => n.endsWith('.png')).length,
        () => 0,
      ),
    ),
  );
  return counts.every((n) => n === perClass);
}
