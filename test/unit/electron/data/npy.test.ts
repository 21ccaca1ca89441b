import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classCounts } from '../../../../electron/data/dataset.js';
import { tasksFor } from '../../../../electron/data/inspect.js';
import { loadNpy, parseNpy, type NpySource } from '../../../../electron/data/npy.js';
import { npySourceSchema } from '../../../../shared/data/source.js';

/** A .npy file as NumPy writes it: magic, version, header length, a padded dict literal, then the raw values. */
function npy(descr: string, shape: number[], body: ArrayBufferView, { version = 1, fortran = false } = {}): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const prefix = version === 1 ? 10 : 12;
  const total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const header = `${dict.padEnd(total - prefix - 1, ' ')}\n`;
  const head = Buffer.alloc(prefix);
  head.set([0x93, ...Buffer.from('NUMPY')], 0);
  head[6] = version;
  if (version === 1) head.writeUInt16LE(header.length, 8);
  else head.writeUInt32LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(body.buffer, body.byteOffset, body.byteLength)]);
}

describe('parseNpy', () => {
  it('reads every supported dtype, unsigned bytes as bytes and the rest as 32-bit floats', () => {
    const cases: [string, ArrayBufferView, number[]][] = [
      ['<f4', Float32Array.of(1.5, -2, 0.25), [1.5, -2, 0.25]],
      ['<f8', Float64Array.of(1e-3, 7, -0.5), [Math.fround(1e-3), 7, -0.5]],
      ['|i1', Int8Array.of(-128, 0, 127), [-128, 0, 127]],
      ['<i1', Int8Array.of(-1, 2, 3), [-1, 2, 3]],
      ['<i2', Int16Array.of(-30_000, 5, 30_000), [-30_000, 5, 30_000]],
      ['<i4', Int32Array.of(-7, 0, 2_000_000), [-7, 0, 2_000_000]],
      ['<i8', BigInt64Array.of(-3n, 2n ** 40n, 9n), [-3, 2 ** 40, 9]],
      ['|u1', Uint8Array.of(0, 128, 255), [0, 128, 255]],
      ['<u1', Uint8Array.of(1, 2, 3), [1, 2, 3]],
      ['<u2', Uint16Array.of(0, 65_535, 9), [0, 65_535, 9]],
      ['<u4', Uint32Array.of(4_000_000_000, 1, 2), [4_000_000_000, 1, 2]],
      ['|b1', Uint8Array.of(1, 0, 1), [1, 0, 1]],
    ];
    for (const [descr, body, expected] of cases) {
      const array = parseNpy(npy(descr, [3], body), 'a.npy');
      expect(array.shape, descr).toEqual([3]);
      expect(Array.from(array.data), descr).toEqual(expected);
      expect(array.data, descr).toBeInstanceOf(descr.endsWith('u1') ? Uint8Array : Float32Array);
    }
  });

  it('reads format versions 2 and 3, shapes of any rank, and data that does not start on a 4-byte boundary', () => {
    const values = Float32Array.from({ length: 6 }, (_, i) => i / 2);
    expect(parseNpy(npy('<f4', [2, 3], values, { version: 2 }), 'b.npy').shape).toEqual([2, 3]);
    expect(parseNpy(npy('<f4', [1, 2, 3], values, { version: 3 }), 'b.npy').shape).toEqual([1, 2, 3]);
    expect(parseNpy(npy('<f4', [], Float32Array.of(4)), 'b.npy')).toEqual({ shape: [], data: Float32Array.of(4) });
    const shifted = Buffer.concat([Buffer.alloc(1), npy('<f4', [6], values)]).subarray(1);
    expect(Array.from(parseNpy(shifted, 'b.npy').data)).toEqual(Array.from(values));
  });

  it('refuses Fortran order, big-endian numbers, Python objects and other files, naming the file', () => {
    const body = Float32Array.of(1, 2, 3, 4);
    expect(() => parseNpy(npy('<f4', [2, 2], body, { fortran: true }), 'x.npy')).toThrow('x.npy is stored in Fortran (column-major) order');
    expect(() => parseNpy(npy('>f4', [4], body), 'x.npy')).toThrow("x.npy stores big-endian numbers (dtype >f4); NetCanvas reads little-endian ones: save it with arr.astype('<f4').");
    expect(() => parseNpy(npy('|O', [2], new Uint8Array(16)), 'x.npy')).toThrow('x.npy holds Python objects (dtype |O), not numbers');
    expect(() => parseNpy(npy('<U3', [2], new Uint8Array(24)), 'x.npy')).toThrow('x.npy holds numbers of dtype <U3, which NetCanvas cannot read');
    expect(() => parseNpy(Buffer.from('a,b\n1,2\n'), 'x.npy')).toThrow('x.npy is not a NumPy .npy file');
    expect(() => parseNpy(npy('<f4', [5], body), 'x.npy')).toThrow('x.npy is cut short: its header promises (5,) values of dtype <f4 (20 bytes), but it holds 16.');
  });
});

describe('loadNpy', () => {
  let dir = '';
  const file = (name: string) => path.join(dir, name);
  const source = (x: string, labels?: string, testFraction?: number): NpySource =>
    npySourceSchema.parse({ kind: 'npy', path: file(x), ...(labels ? { labels: file(labels) } : {}), ...(testFraction === undefined ? {} : { testFraction }) });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nc-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a table with whole-number labels as classes', async () => {
    const x = Float32Array.from({ length: 100 * 3 }, (_, i) => i % 7);
    await writeFile(file('x.npy'), npy('<f4', [100, 3], x));
    await writeFile(file('y.npy'), npy('<i8', [100], BigInt64Array.from({ length: 100 }, (_, i) => BigInt(i % 4))));
    const data = await loadNpy(source('x.npy', 'y.npy'));
    expect(data.kind).toBe('table');
    expect(data.inputShape).toEqual([3]);
    expect(data.classes).toEqual(['0', '1', '2', '3']);
    expect(data.train.count).toBe(80);
    expect(data.test.count).toBe(20);
    expect(classCounts(data.train, 4).reduce((a, b) => a + b, 0)).toBe(80);
    expect(data.columns.map((c) => c.name)).toEqual(['column 1', 'column 2', 'column 3', 'label']);
    const all = await loadNpy(source('x.npy', 'y.npy', 0));
    expect(Array.from(all.train.features([1]))).toEqual([3, 4, 5]);
    expect(all.preview(2)).toEqual({
      kind: 'table',
      columns: ['column 1', 'column 2', 'column 3', 'label'],
      rows: [
        ['0', '1', '2', '0'],
        ['3', '4', '5', '1'],
      ],
    });
  });

  it('reads other labels as values to fit', async () => {
    await writeFile(file('x.npy'), npy('<f8', [10, 2], Float64Array.from({ length: 20 }, (_, i) => i)));
    await writeFile(file('y.npy'), npy('<f4', [10, 2], Float32Array.from({ length: 20 }, (_, i) => i / 4)));
    const data = await loadNpy(source('x.npy', 'y.npy', 0));
    expect(data.target).toEqual({ kind: 'values', size: 2 });
    expect(data.classes).toBeNull();
    expect(Array.from(data.train.values!.subarray(0, 4))).toEqual([0, 0.25, 0.5, 0.75]);
  });

  it('reads byte images scaled to [0, 1], and images without labels as one class', async () => {
    const pixels = Uint8Array.from({ length: 20 * 4 * 5 }, (_, i) => (i * 37) % 256);
    await writeFile(file('images.npy'), npy('|u1', [20, 4, 5], pixels));
    const data = await loadNpy(source('images.npy', undefined, 0.25));
    expect(data.kind).toBe('images');
    expect(data.inputShape).toEqual([4, 5, 1]);
    expect(data.classes).toEqual(['all']);
    expect(data.train.count).toBe(15);
    expect(Array.from(data.train.labels!)).toEqual(new Array(15).fill(0));
    const all = data.train.features(Array.from({ length: 15 }, (_, i) => i));
    expect(Math.max(...all)).toBeLessThanOrEqual(1);
    expect(Math.max(...all)).toBeGreaterThan(0.9);
    const preview = data.preview(2);
    expect(preview.kind === 'images' && preview.labels).toEqual(['all', 'all']);
  });

  it('reads colour images already in [0, 1]', async () => {
    await writeFile(file('rgb.npy'), npy('<f4', [6, 2, 2, 3], Float32Array.from({ length: 72 }, (_, i) => i / 71)));
    await writeFile(file('rgb-labels.npy'), npy('|u1', [6], Uint8Array.of(0, 1, 0, 1, 0, 1)));
    const data = await loadNpy(source('rgb.npy', 'rgb-labels.npy', 0));
    expect(data.inputShape).toEqual([2, 2, 3]);
    expect(data.train.features([5])[11]).toBeCloseTo(1, 6);
  });

  it('refuses labels that do not match the examples, tables without labels, and arrays that are not images', async () => {
    await writeFile(file('x.npy'), npy('<f4', [100, 2], new Float32Array(200)));
    await writeFile(file('labels.npy'), npy('<i4', [90], new Int32Array(90)));
    await expect(loadNpy(source('x.npy', 'labels.npy'))).rejects.toThrow('labels.npy has 90 labels for 100 examples in x.npy.');
    await expect(loadNpy(source('x.npy'))).rejects.toThrow('x.npy is a table of numbers without labels');
    await writeFile(file('wide.npy'), npy('<f4', [2, 2, 2, 5], new Float32Array(40)));
    await expect(loadNpy(source('wide.npy'))).rejects.toThrow(
      'wide.npy has shape (2, 2, 2, 5), which NetCanvas cannot read: it reads tables (examples, features), sequences (examples, steps, features) and images (examples, height, width) or (examples, height, width, channels) with 1 or 3 channels.',
    );
    await writeFile(file('five.npy'), npy('<f4', [2, 1, 1, 1, 3], new Float32Array(6)));
    await expect(loadNpy(source('five.npy'))).rejects.toThrow('five.npy has shape (2, 1, 1, 1, 3), which NetCanvas cannot read');
    await expect(loadNpy(source('nothing.npy'))).rejects.toThrow(/^nothing\.npy could not be read \(ENOENT\)/);
  });

  it('keeps byte images as bytes read as value / 255, and reads images of only 0 and 1 as black and white', async () => {
    const pixels = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 7) % 256);
    await writeFile(file('bytes.npy'), npy('|u1', [4, 3, 3], pixels));
    const data = await loadNpy(source('bytes.npy', undefined, 0));
    expect(Array.from(data.train.features([1]))).toEqual(Array.from(pixels.subarray(9, 18), (v) => Math.fround(v / 255)));
    const mask = Uint8Array.from({ length: 2 * 5 * 5 }, (_, i) => i % 2);
    await writeFile(file('mask.npy'), npy('|b1', [2, 5, 5], mask));
    const masks = await loadNpy(source('mask.npy', undefined, 0));
    expect(masks.kind).toBe('images');
    expect(Array.from(masks.train.features([0, 1]))).toEqual(Array.from(mask));
  });

  it('reads one-hot labels as classes', async () => {
    await writeFile(file('x.npy'), npy('<f4', [6, 2], Float32Array.from({ length: 12 }, (_, i) => i)));
    const hot = [0, 2, 1, 2, 0, 1].flatMap((c) => [0, 1, 2].map((k): number => (k === c ? 1 : 0)));
    await writeFile(file('onehot.npy'), npy('<f4', [6, 3], Float32Array.from(hot)));
    const data = await loadNpy(source('x.npy', 'onehot.npy', 0));
    expect(data.target).toEqual({ kind: 'classes' });
    expect(data.classes).toEqual(['0', '1', '2']);
    expect(Array.from(data.train.labels!)).toEqual([0, 2, 1, 2, 0, 1]);
    hot[0] = 0.5;
    await writeFile(file('soft.npy'), npy('<f4', [6, 3], Float32Array.from(hot)));
    expect((await loadNpy(source('x.npy', 'soft.npy', 0))).target).toEqual({ kind: 'values', size: 3 });
  });

  it('reads three axes of fractions as sequences, and of whole numbers 0–255 as images', async () => {
    await writeFile(file('series.npy'), npy('<f4', [10, 5, 2], Float32Array.from({ length: 100 }, (_, i) => Math.sin(i))));
    await writeFile(file('next.npy'), npy('<f4', [10], Float32Array.from({ length: 10 }, (_, i) => i / 3)));
    await writeFile(file('kinds.npy'), npy('<i4', [10], Int32Array.from({ length: 10 }, (_, i) => i % 2)));
    const regression = await loadNpy(source('series.npy', 'next.npy', 0.2));
    expect([regression.kind, regression.inputShape, regression.target]).toEqual(['sequence', [5, 2], { kind: 'values', size: 1 }]);
    expect(tasksFor(regression)).toEqual(['regress']);
    expect(regression.train.count + regression.test.count).toBe(10);
    const all = await loadNpy(source('series.npy', 'next.npy', 0));
    expect(Array.from(all.train.features([1]))).toEqual(Array.from({ length: 10 }, (_, i) => Math.fround(Math.sin(10 + i))));
    const preview = all.preview(1);
    expect(preview.kind === 'table' && preview.columns.slice(0, 3)).toEqual(['step 1 feature 1', 'step 1 feature 2', 'step 2 feature 1']);
    const classified = await loadNpy(source('series.npy', 'kinds.npy'));
    expect([classified.kind, classified.classes]).toEqual(['sequence', ['0', '1']]);
    expect(tasksFor(classified)).toEqual(['classify']);
    await expect(loadNpy(source('series.npy'))).rejects.toThrow('series.npy is 10 sequences of 5 steps of 2 numbers without labels: choose a labels .npy file');

    await writeFile(file('gray.npy'), npy('<f8', [3, 6, 6], Float64Array.from({ length: 108 }, (_, i) => (i * 5) % 256)));
    const gray = await loadNpy(source('gray.npy', undefined, 0));
    expect([gray.kind, gray.inputShape]).toEqual(['images', [6, 6, 1]]);
    expect(gray.train.features([0])[1]).toBe(Math.fround(5 / 255));
  });

  it('refuses images stored channels first, as PyTorch does, saying how to transpose them', async () => {
    await writeFile(file('torch.npy'), npy('<f4', [2, 3, 8, 8], new Float32Array(2 * 3 * 64)));
    await expect(loadNpy(source('torch.npy'))).rejects.toThrow(
      'torch.npy has shape (2, 3, 8, 8): images with the channels before height and width, as PyTorch stores them. Save them channels last, x.transpose(0, 2, 3, 1), for (examples, height, width, channels).',
    );
    await writeFile(file('small.npy'), npy('<f4', [2, 1, 4, 3], new Float32Array(24)));
    expect((await loadNpy(source('small.npy'))).inputShape).toEqual([1, 4, 3]);
  });
});
