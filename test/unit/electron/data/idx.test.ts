import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIdx } from '../../../../electron/data/idx.js';
import { loadMnist, mnistDirectory } from '../../../../electron/data/mnist.js';

describe('IDX files', () => {
  it('reads the real MNIST training labels', async () => {
    const file = path.join(mnistDirectory(), 'train-labels-idx1-ubyte');
    const labels = parseIdx(await readFile(file), file);
    expect(labels.dims).toEqual([60_000]);
    expect(Math.max(...labels.data)).toBe(9);
  });

  it('rejects a file that is not IDX, and one cut short, naming the file', () => {
    expect(() => parseIdx(new Uint8Array([1, 2, 3, 4, 5]), 'x.idx')).toThrow('x.idx: not an IDX file (bad magic number).');
    const truncated = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 10, 1, 2]);
    expect(() => parseIdx(truncated, 'y.idx')).toThrow(/y\.idx: IDX data is cut short: header promises 10 bytes/);
  });
});

describe('loadMnist', () => {
  it('loads 60,000 training and 10,000 test images scaled to [0, 1]', async () => {
    const data = await loadMnist();
    expect(data.train.count).toBe(60_000);
    expect(data.test.count).toBe(10_000);
    const pixels = data.train.features(Array.from({ length: 100 }, (_, i) => i));
    expect(pixels.length).toBe(100 * 784);
    expect(Math.max(...pixels)).toBe(1);
    expect(Math.min(...pixels)).toBe(0);
  });

  it('explains a missing data folder', async () => {
    await expect(loadMnist('/nonexistent/mnist')).rejects.toThrow(
      '/nonexistent/mnist is missing train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (ENOENT).',
    );
  });
});
