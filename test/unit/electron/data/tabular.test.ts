import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classCounts, type Split } from '../../../../electron/data/dataset.js';
import { bostonHousingFile, IRIS_CLASSES, loadBostonHousing, loadIris } from '../../../../electron/data/tabular.js';

function column(split: Split, width: number, j: number): number[] {
  const all = split.features(Array.from({ length: split.count }, (_, i) => i));
  return Array.from({ length: split.count }, (_, i) => all[i * width + j]!);
}

const meanStd = (xs: number[]): [number, number] => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return [mean, Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length)];
};

describe('Iris', () => {
  it('has 150 flowers in 3 balanced species, 40 of each to train on and 10 to test', async () => {
    const data = await loadIris();
    expect(data.kind).toBe('table');
    expect(data.inputShape).toEqual([4]);
    expect(data.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(IRIS_CLASSES).toEqual(data.classes);
    expect(data.train.count + data.test.count).toBe(150);
    expect(classCounts(data.train, 3)).toEqual([40, 40, 40]);
    expect(classCounts(data.test, 3)).toEqual([10, 10, 10]);
    expect(data.columns.map((c) => `${c.name}:${c.role}`)).toEqual([
      'sepal length (cm):feature',
      'sepal width (cm):feature',
      'petal length (cm):feature',
      'petal width (cm):feature',
      'species:target',
    ]);
  });

  it('standardizes the measurements with the training flowers, and splits the same way each time', async () => {
    const data = await loadIris();
    for (let j = 0; j < 4; j++) {
      const [mean, std] = meanStd(column(data.train, 4, j));
      expect(mean).toBeCloseTo(0, 5);
      expect(std).toBeCloseTo(1, 5);
    }
    const again = await loadIris();
    expect(Array.from(again.test.features([0, 1, 2]))).toEqual(Array.from(data.test.features([0, 1, 2])));
    expect(data.preview(1)).toEqual({
      kind: 'table',
      columns: ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)', 'species'],
      rows: [expect.arrayContaining(['setosa'])],
    });
  });
});

describe('Boston house prices', () => {
  it('has 506 districts with 13 standardized measures and the median value to fit', async () => {
    const data = await loadBostonHousing();
    expect(data.name).toBe('Boston house prices');
    expect(data.kind).toBe('table');
    expect(data.target).toEqual({ kind: 'values', size: 1 });
    expect(data.classes).toBeNull();
    expect(data.inputShape).toEqual([13]);
    expect(data.train.count + data.test.count).toBe(506);
    expect(data.test.count).toBe(101);
    expect(data.problems).toEqual([]);
    expect(data.columns.filter((c) => c.role === 'feature')).toHaveLength(13);
    expect(data.columns.find((c) => c.role === 'target')).toMatchObject({ name: 'medv', type: 'number' });
    const [mean, std] = meanStd(Array.from(data.train.values!));
    expect(mean).toBeCloseTo(0, 5);
    expect(std).toBeCloseTo(1, 5);
    const [rmMean, rmStd] = meanStd(column(data.train, 13, 5));
    expect(rmMean).toBeCloseTo(0, 5);
    expect(rmStd).toBeCloseTo(1, 5);
  });

  it('reads the table from the installed package, and names the file when it is gone', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nc-'));
    const copy = path.join(dir, 'data.csv');
    await copyFile(bostonHousingFile(), copy);
    expect((await loadBostonHousing(copy)).train.count).toBe(405);
    await rm(dir, { recursive: true, force: true });
    await expect(loadBostonHousing(copy)).rejects.toThrow(/^data\.csv could not be read \(ENOENT\)/);
  });
});
