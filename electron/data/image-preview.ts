import type { DatasetPreview } from '../../shared/data/report.js';
import { augments, type Augmentation } from '../../shared/data/source.js';
import { augmentImages } from './augment.js';
import { seededRandom } from './random.js';
import type { Split } from './dataset.js';

/** The seed of the augmentation shown in a preview, so the same settings always show the same images. */
const PREVIEW_SEED = 7;

/**
 * Which examples a preview shows: one of each class in turn (the first of every class, then
 * the second, …) so that every class appears; evenly through the split when it has no labels.
 */
function previewIndices(split: Split, count: number): number[] {
  const n = Math.min(count, split.count);
  const labels = split.labels;
  if (!labels) return Array.from({ length: n }, (_, i) => Math.floor((i * split.count) / n));
  const byClass = new Map<number, number[]>();
  labels.forEach((label, i) => {
    const list = byClass.get(label) ?? [];
    if (list.length < n) list.push(i);
    byClass.set(label, list);
  });
  const queues = [...byClass.entries()].sort(([a], [b]) => a - b).map(([, list]) => list);
  const picked: number[] = [];
  for (let round = 0; picked.length < n; round++) {
    for (const list of queues) if (round < list.length && picked.length < n) picked.push(list[round]!);
  }
  return picked;
}

const toBase64 = (pixels: Float32Array): string => Buffer.from(Uint8Array.from(pixels, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255))).toString('base64');

/**
 * Up to `count` training images to look at, spread across the classes, as 8-bit pixels; with
 * the same images augmented (a fixed seed unless `random` is given) when augmentation is on.
 * `shape` is one example's (height, width) or (height, width, channels) with 1 or 3 channels.
 * Every image loader's preview is this.
 */
export function imagePreview(
  split: Split,
  shape: readonly number[],
  classes: readonly string[] | null,
  count: number,
  augmentation: Augmentation | null,
  random: () => number = seededRandom(PREVIEW_SEED),
): DatasetPreview {
  const [height = 0, width = 0, channels = 1] = shape;
  if (shape.length < 2 || shape.length > 3 || (channels !== 1 && channels !== 3)) {
    throw new Error(`Images of shape [${shape.join(', ')}] cannot be shown: an image is height × width with 1 or 3 channels.`);
  }
  const indices = previewIndices(split, Math.max(0, count));
  const pixels = split.features(indices);
  const labels = indices.map((i) => {
    const label = split.labels?.[i];
    return label === undefined ? '' : (classes?.[label] ?? String(label));
  });
  const augmented = augments(augmentation) ? toBase64(augmentImages(pixels, indices.length, [height, width, channels], augmentation, random)) : null;
  return { kind: 'images', count: indices.length, height, width, channels, pixels: toBase64(pixels), labels, augmented };
}
