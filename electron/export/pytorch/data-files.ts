import { gzipSync } from 'node:zlib';
import { DataAccess, readSourceFile } from '../../data/access.js';
import { loadBuiltin } from '../../data/builtins.js';
import { loadCsv, looksLikeHeader, parseDelimited } from '../../data/csv.js';
import { loadImageFolder } from '../../data/image-folder.js';
import { loadNpy } from '../../data/npy.js';
import type { LoadedDataset, Split } from '../../data/dataset.js';
import { loadTextFiles } from '../../data/text-files.js';
import { type BuiltinDatasetId, type DatasetSource, type SourceOf } from '../../../shared/data/source.js';
import type { ExportFile } from '../model.js';
import { encodeNpy } from '../npy.js';

/**
 * The data train.py reads. Built-in datasets that are not plain files are written into the
 * export's `data/` folder through NetCanvas's own loaders, so train.py sees exactly what a
 * run saw; a user's file or folder is read by train_data.py from its path, with what
 * NetCanvas found in it (column types, classes, tokens) recorded in `spec`.
 */
export interface TrainingData {
  /** What train_data.py reads: its `kind` and where. */
  spec: Record<string, unknown>;
  files: ExportFile[];
  /** Classes of a classes target, when known at export. */
  numClasses: number | null;
  /** One sentence for the README on where the data comes from. */
  note: string;
}

/** Built-in data written once per process: MNIST's files take a few seconds to pack. */
const builtinCache = new Map<string, Promise<TrainingData>>();

export function trainingData(source: DatasetSource): Promise<TrainingData> {
  if (source.kind !== 'builtin') return userData(source);
  const key = JSON.stringify(source);
  let pending = builtinCache.get(key);
  if (!pending) {
    pending = builtinData(source);
    pending.catch(() => builtinCache.delete(key));
    builtinCache.set(key, pending);
  }
  return pending;
}

/** Bytes the files hold, in words: "11.2 MB". */
export function sizeInWords(files: readonly ExportFile[]): string {
  const bytes = files.reduce((n, f) => n + (typeof f.data === 'string' ? Buffer.byteLength(f.data) : f.data.byteLength), 0);
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const everyRow = (split: Split) => Array.from({ length: split.count }, (_, i) => i);

/** An IDX file of unsigned bytes, gzipped, as MNIST ships. */
function idxFile(data: Uint8Array, dims: readonly number[]): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  view.setUint8(2, 0x08);
  view.setUint8(3, dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  const whole = new Uint8Array(header.length + data.length);
  whole.set(header);
  whole.set(data, header.length);
  // The fastest level: MNIST packs in a fraction of a second, a little larger than the package's own files.
  return gzipSync(whole, { level: 1 });
}

/** Pixels in [0, 1] back to the bytes they were read from (b / 255 rounds back exactly). */
function pixelBytes(split: Split): Uint8Array {
  const values = split.features(everyRow(split));
  // A plain loop: Uint8Array.from with a map function takes seconds over MNIST's 47 million values.
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = Math.round(values[i]! * 255);
  return bytes;
}

function imagesAsIdx(id: BuiltinDatasetId, data: LoadedDataset): ExportFile[] {
  const [h, w] = data.inputShape as [number, number, number];
  const files: ExportFile[] = [];
  for (const [prefix, split] of [['train', data.train], ['t10k', data.test]] as const) {
    files.push({ path: `data/${id}/${prefix}-images-idx3-ubyte.gz`, data: idxFile(pixelBytes(split), [split.count, h, w]) });
    files.push({ path: `data/${id}/${prefix}-labels-idx1-ubyte.gz`, data: idxFile(Uint8Array.from(split.labels!), [split.count]) });
  }
  return files;
}

/** A prepared table as NetCanvas feeds it: the encoded columns, then the class or value to predict. */
function tableCsv(split: Split, width: number): string {
  const header = [...Array.from({ length: width }, (_, j) => `x${j}`), 'target'].join(',');
  const x = split.features(everyRow(split));
  const lines = [header];
  for (let i = 0; i < split.count; i++) {
    const target = split.labels ? split.labels[i]! : split.values![i]!;
    lines.push([...Array.from(x.subarray(i * width, (i + 1) * width), String), String(target)].join(','));
  }
  return `${lines.join('\n')}\n`;
}

function arrays(id: BuiltinDatasetId, data: LoadedDataset): ExportFile[] {
  const files: ExportFile[] = [];
  for (const [name, split] of [['train', data.train], ['test', data.test]] as const) {
    files.push({ path: `data/${id}/x_${name}.npy`, data: encodeNpy(split.features(everyRow(split)), [split.count, ...data.inputShape]) });
    const y = split.labels ? encodeNpy(Int32Array.from(split.labels), [split.count]) : encodeNpy(Float32Array.from(split.values!), [split.count, split.values!.length / Math.max(1, split.count)]);
    files.push({ path: `data/${id}/y_${name}.npy`, data: y });
  }
  return files;
}

async function builtinData(source: SourceOf<'builtin'>): Promise<TrainingData> {
  const data = await loadBuiltin(source);
  const id = source.id;
  const numClasses = data.classes?.length ?? null;
  const target = data.target.kind === 'values' ? 'values' : 'classes';
  if (data.kind === 'images') {
    return { spec: { kind: 'idx', path: `data/${id}`, testFraction: 0 }, files: imagesAsIdx(id, data), numClasses, note: `${data.name}: its training and test images as IDX files, as NetCanvas reads them.` };
  }
  if (data.kind === 'corpus') {
    const corpus = data.corpus!;
    const text = Array.from(corpus.ids, (i) => corpus.tokens[i]!).join(corpus.joiner);
    const vocabulary = JSON.stringify({ tokens: corpus.tokens, testStart: corpus.testStart, stride: corpus.stride });
    return {
      spec: { kind: 'prepared-corpus', text: `data/${id}/text.txt`, vocabulary: `data/${id}/vocabulary.json` },
      files: [
        { path: `data/${id}/text.txt`, data: text },
        { path: `data/${id}/vocabulary.json`, data: vocabulary },
      ],
      numClasses: null,
      note: `${data.name}: the text NetCanvas trains on, and its characters in id order with where the held-out part begins (vocabulary.json).`,
    };
  }
  if (id === 'iris' || id === 'boston-housing') {
    const width = data.inputShape[0]!;
    return {
      spec: { kind: 'prepared-table', train: `data/${id}/train.csv`, test: `data/${id}/test.csv`, target },
      files: [
        { path: `data/${id}/train.csv`, data: tableCsv(data.train, width) },
        { path: `data/${id}/test.csv`, data: tableCsv(data.test, width) },
      ],
      numClasses,
      note: `${data.name}: its training and test rows as NetCanvas feeds them (standardized columns, then the ${target === 'classes' ? 'class number' : 'value'} to predict).`,
    };
  }
  const vocabulary = data.kind === 'text' && data.vocabulary ? ' (word ids; 0 pads, 1 is a word outside the vocabulary)' : '';
  return {
    spec: { kind: 'prepared-arrays', trainX: `data/${id}/x_train.npy`, trainY: `data/${id}/y_train.npy`, testX: `data/${id}/x_test.npy`, testY: `data/${id}/y_test.npy`, target },
    files: arrays(id, data),
    numClasses,
    note: `${data.name}: its training and test examples as NumPy arrays${vocabulary}, exactly as NetCanvas generated or read them.`,
  };
}

/** Names in a sentence, the first 20 of a longer list with how many there are. */
const listed = (names: readonly string[]): string => (names.length <= 20 ? names.join(', ') : `${names.slice(0, 20).join(', ')}, … (${names.length} in all)`);

const unavailable = (reason: string): TrainingData => ({ spec: { kind: 'unavailable', reason }, files: [], numClasses: null, note: reason });

async function userData(source: Exclude<DatasetSource, { kind: 'builtin' }>): Promise<TrainingData> {
  const note = `Read from ${source.path} (give another place with --data).`;
  try {
    switch (source.kind) {
      case 'idx':
        return { spec: { kind: 'idx', path: source.path, labels: source.labels ?? null, testFraction: source.testFraction }, files: [], numClasses: null, note };
      case 'csv':
        return { ...(await csvRecipe(source)), note };
      case 'text': {
        const data = await loadTextFiles(source);
        const spec = { kind: 'text', path: source.path, level: source.level, stride: source.stride, testFraction: source.testFraction, tokens: data.corpus!.tokens };
        return { spec, files: [], numClasses: null, note: `${note} Its ${source.level === 'char' ? 'characters' : 'words'} get the ids NetCanvas gave them, recorded in train_config.json.` };
      }
      case 'npy': {
        const data = await loadNpy(source);
        const spec = { kind: 'npy', path: source.path, labels: source.labels ?? null, testFraction: source.testFraction };
        const labels = source.labels ? ` and its targets from ${source.labels} (found beside the --data file when moved with it)` : '';
        return { spec, files: [], numClasses: data.classes?.length ?? null, note: `Its inputs are read from ${source.path}${labels}; give another place with --data.` };
      }
      case 'image-folder': {
        const data = await loadImageFolder(source);
        const spec = { kind: 'image-folder', path: source.path, size: source.size, color: source.color, testFraction: source.testFraction, classes: data.classes };
        return { spec, files: [], numClasses: data.classes!.length, note: `${note} Its classes, in the order of the network's outputs: ${listed(data.classes!)}.` };
      }
    }
  } catch (err) {
    return unavailable(`the data at ${source.path} could not be read when this export was written (${(err as Error).message}); export again where it can be read.`);
  }
}

/** What NetCanvas found in a CSV file (delimiter, header, column types, roles, classes), so train_data.py reads it the same way. */
async function csvRecipe(source: SourceOf<'csv'>): Promise<Omit<TrainingData, 'note'>> {
  const bytes = await readSourceFile(source.path, new DataAccess(), 'table');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  const data = await loadCsv(source, { text });
  const parsed = parseDelimited(text, source.delimiter);
  const records = parsed.records;
  const header = source.header ?? looksLikeHeader(records[0]!.cells, records.slice(1, 101).map((r) => r.cells), parsed.delimiter === ';');
  const target = data.columns.findIndex((c) => c.role === 'target');
  const classTarget = data.target.kind === 'classes';
  const recipe = {
    delimiter: parsed.delimiter,
    header,
    columns: data.columns.map((c) => ({ name: c.name, type: c.type, values: c.type === 'category' ? (c.values ?? []) : [] })),
    target,
    features: data.columns.flatMap((c, j) => (c.role === 'feature' ? [j] : [])),
    classTarget,
    codes: classTarget && data.columns[target]!.type === 'number',
    classes: data.classes,
    categories: source.categories,
    standardize: source.standardize,
    missing: source.missing,
    testFraction: source.testFraction,
  };
  return { spec: { kind: 'csv', path: source.path, recipe }, files: [], numClasses: data.classes?.length ?? null };
}
