import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltin } from '../../../../electron/data/builtins.js';
import { loadCsv } from '../../../../electron/data/csv.js';
import { InputError, type LoadedDataset, type Split, type TableEncoder, type TextEncoder } from '../../../../electron/data/dataset.js';
import { loadImdb } from '../../../../electron/data/imdb.js';
import { loadBostonHousing, loadIris } from '../../../../electron/data/tabular.js';
import { csvSourceSchema } from '../../../../shared/data/source.js';

const FIXTURES = path.resolve(__dirname, '../../../fixtures/insight');
const PENGUINS = path.join(FIXTURES, 'inputs-penguins.csv');
const FEATURES = ['island', 'bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];

function penguins(settings: Record<string, unknown> = {}): Promise<LoadedDataset> {
  return loadCsv(csvSourceSchema.parse({ kind: 'csv', path: PENGUINS, target: 'species', features: FEATURES, ...settings }));
}

function tableOf(data: LoadedDataset): TableEncoder {
  expect(data.encoder?.kind).toBe('table');
  return data.encoder as TableEncoder;
}

/** Every example of both splits, its file cells encoded through the encoder, against the loader's own features, bit for bit. */
function expectRowsEncodeAsLoaded(data: LoadedDataset): number {
  const encoder = tableOf(data);
  const width = data.inputShape[0]!;
  let checked = 0;
  for (const part of ['train', 'test'] as const) {
    const split: Split = data[part];
    for (let i = 0; i < split.count; i++) {
      const encoded = encoder.encodeRow(encoder.cells(part, i));
      expect(encoded.length).toBe(width);
      const loaded = split.features([i]);
      if (Buffer.compare(Buffer.from(encoded.buffer), Buffer.from(loaded.buffer)) !== 0) {
        expect({ part, i, encoded: Array.from(encoded) }).toEqual({ part, i, encoded: Array.from(loaded) });
      }
      checked++;
    }
  }
  return checked;
}

describe('a CSV table encoder', () => {
  let oneHot: LoadedDataset;
  beforeAll(async () => {
    oneHot = await penguins({ missing: 'mean' });
  });

  it('encodes every row of the file exactly as the loader did: standardized numbers, one-hot islands, missing cells filled with the mean', () => {
    expect(oneHot.inputShape).toEqual([3 + 4]);
    expect(expectRowsEncodeAsLoaded(oneHot)).toBe(60);
  });

  it('encodes rows the same with categories as indices, numbers as they are, and the most frequent value for missing cells', async () => {
    const data = await penguins({ categories: 'index', standardize: false, missing: 'most-frequent' });
    expect(data.inputShape).toEqual([5]);
    expect(expectRowsEncodeAsLoaded(data)).toBe(60);
  });

  it('reads a decimal comma in a semicolon file as the loader does', async () => {
    const text = ['a;b;label', ...Array.from({ length: 20 }, (_, i) => `${i},5;${(i * 7) % 5},25;${i % 2 ? 'yes' : 'no'}`)].join('\n');
    const data = await loadCsv(csvSourceSchema.parse({ kind: 'csv', path: 'comma.csv' }), { text });
    expect(expectRowsEncodeAsLoaded(data)).toBe(20);
    const encoder = tableOf(data);
    expect(Array.from(encoder.encodeRow({ a: '3,5', b: '1,25' }))).toEqual(Array.from(encoder.encodeRow({ a: '3.5', b: '1.25' })));
  });

  it('names the column and why when a typed cell is wrong', () => {
    const encoder = tableOf(oneHot);
    const row = { island: 'Dream', bill_length_mm: '40', bill_depth_mm: '18', flipper_length_mm: '190', body_mass_g: '3700' };
    expect(() => encoder.encodeRow(row)).not.toThrow();
    expect(() => encoder.encodeRow({ ...row, bill_length_mm: 'abc' })).toThrow(new InputError("bill_length_mm: 'abc' is not a number"));
    expect(() => encoder.encodeRow({ ...row, island: 'Atlantis' })).toThrow(new InputError("island: 'Atlantis' is not one of Biscoe, Dream, Torgersen"));
    expect(() => encoder.encodeRow({ ...row, island: 'Atlantis' })).toThrow(InputError);
  });

  it('fills a missing field by the loader\'s rule, or asks for it when training left such rows out', async () => {
    const encoder = tableOf(oneHot);
    const row = { island: 'Dream', bill_length_mm: '40', bill_depth_mm: '18', flipper_length_mm: '190', body_mass_g: '3700' };
    const { bill_length_mm: _, ...without } = row;
    const mean = encoder.fields.find((f) => f.name === 'bill_length_mm')!.typical;
    // The mean fills in, standardized to 0.
    expect(encoder.encodeRow(without)[3]).toBe(0);
    expect(encoder.encodeRow({ ...row, bill_length_mm: 'NA' })[3]).toBe(0);
    expect(encoder.encodeRow({ ...row, bill_length_mm: mean })[3]).toBeCloseTo(0, 4);
    const dropping = tableOf(await penguins());
    expect(() => dropping.encodeRow(without)).toThrow(/^bill_length_mm: a value is needed/);
    expect(() => dropping.encodeRow({ ...row, island: '?' })).toThrow(/^island: a value is needed/);
  });

  it('gives the form one field per feature column in its own units, and group columns including unused ones', () => {
    const encoder = tableOf(oneHot);
    expect(encoder.fields.map((f) => f.name)).toEqual(FEATURES);
    const island = encoder.fields[0]!;
    expect(island.type).toBe('category');
    expect([...island.values!].sort()).toEqual(['Biscoe', 'Dream', 'Torgersen']);
    const cells = (name: string) =>
      (['train', 'test'] as const).flatMap((part) => Array.from({ length: oneHot[part].count }, (_, i) => encoder.cells(part, i)[name]!));
    const trainIslands = Array.from({ length: oneHot.train.count }, (_, i) => encoder.cells('train', i).island!).filter((c) => c !== '?');
    const counts = new Map<string, number>();
    for (const c of trainIslands) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.get(island.typical)).toBe(Math.max(...counts.values()));

    const mass = encoder.fields.find((f) => f.name === 'body_mass_g')!;
    const trainMass = Array.from({ length: oneHot.train.count }, (_, i) => Number(encoder.cells('train', i).body_mass_g)).filter((v) => v > 0);
    expect(mass).toMatchObject({ type: 'number', min: Math.min(...trainMass), max: Math.max(...trainMass) });
    expect(Number(mass.typical)).toBeCloseTo(trainMass.reduce((a, b) => a + b, 0) / trainMass.length, 1);

    expect(cells('sex').filter((c) => c === 'male').length).toBeGreaterThan(10);
    expect(encoder.groupColumns).toEqual(['species', 'island', 'sex', 'year']);
    expect(encoder.targetNames).toEqual(['species']);
    expect(() => encoder.cells('test', oneHot.test.count)).toThrow(InputError);
  });
});

describe('the built-in tables\' encoders', () => {
  it('Boston house prices: rows encode as loaded, and a predicted value decodes back to $1000s', async () => {
    const data = await loadBostonHousing();
    expect(expectRowsEncodeAsLoaded(data)).toBe(506);
    const encoder = tableOf(data);
    expect(encoder.targetNames).toEqual(['medv']);
    expect(encoder.groupColumns).toContain('chas');
    expect(encoder.groupColumns).not.toContain('crim');
    const standardized = data.train.values!.subarray(0, 5);
    const decoded = encoder.decodeValues(standardized);
    for (let i = 0; i < 5; i++) expect(decoded[i]).toBeCloseTo(Number(encoder.cells('train', i).medv), 3);
  });

  it('Iris: rows encode as loaded, and a measurement that is not a number is named', async () => {
    const data = await loadIris();
    expect(expectRowsEncodeAsLoaded(data)).toBe(150);
    const encoder = tableOf(data);
    expect(encoder.fields.map((f) => f.type)).toEqual(['number', 'number', 'number', 'number']);
    expect(encoder.decodeValues(Float32Array.of(0.5))[0]).toBe(0.5);
    expect(encoder.groupColumns).toContain('species');
    const row = encoder.cells('test', 0);
    expect(() => encoder.encodeRow({ ...row, 'petal width (cm)': 'wide' })).toThrow("petal width (cm): 'wide' is not a number");
  });

  it('Two spirals: points typed as numbers encode as the generated ones', async () => {
    const data = await loadBuiltin({ kind: 'builtin', id: 'spirals', size: 200, noise: 0.2 });
    expect(expectRowsEncodeAsLoaded(data)).toBe(200);
    expect(tableOf(data).cells('train', 0).class).toBe(data.classes![data.train.labels![0]!]);
  });
});

describe('the IMDB text encoder', () => {
  let data: LoadedDataset;
  let texts: string[];
  beforeAll(async () => {
    const file = path.join(FIXTURES, 'inputs-reviews.json');
    texts = (JSON.parse(await readFile(file, 'utf8')) as { t: string }[]).map((r) => r.t);
    data = await loadImdb({ vocabulary: 14, length: 8, train: 10, test: 4 }, file);
  });

  it('encodes each review as the loader did: the same words, vocabulary, length and padding at the end', () => {
    const encoder = data.encoder as TextEncoder;
    expect(encoder.kind).toBe('text');
    const encoded = texts.map((t) => Array.from(encoder.encode(t).ids).join(','));
    for (const part of ['train', 'test'] as const) {
      for (let i = 0; i < data[part].count; i++) {
        expect(encoded).toContain(Array.from(data[part].features([i])).join(','));
      }
    }
  });

  it('shows each position\'s token, <unk> for words outside the vocabulary, nothing for padding', () => {
    const encoder = data.encoder as TextEncoder;
    const { ids, tokens } = encoder.encode('Great<br />zebra');
    expect(ids.length).toBe(8);
    expect(tokens).toEqual(['great', '<unk>', '', '', '', '', '', '']);
    expect(Array.from(ids.subarray(1))).toEqual([1, 0, 0, 0, 0, 0, 0]);
    expect(encoder.decode(ids)).toEqual(['great', '<unk>']);
    expect(encoder.encode('a b c d e f g h i j').tokens.filter((t) => t !== '').length).toBe(8);
  });
});
