import path from 'node:path';
import type { ColumnInfo, DataProblem, TargetInfo } from '../../shared/data/report.js';
import type { SourceOf } from '../../shared/data/source.js';
import { DatasetError, pickRows, readSourceFile, rowSplit, splitRows, type LoadedDataset } from './dataset.js';

import { imagePreview } from './image-preview.js';

/** NumPy .npy arrays as a project describes them: the inputs, and optionally one target per example. */
export type NpySource = SourceOf<'npy'>;

/** A NumPy array as numbers, in C order. */
export interface NpyArray {
  shape: number[];
  data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

type Numbers = ArrayLike<number> | BigInt64Array;

/** Element types read, by their code without the byte order: bytes per element and a view of raw bytes. */
const DTYPES: Record<string, { bytes: number; view: (buffer: ArrayBuffer) => Numbers }> = {
  f4: { bytes: 4, view: (b) => new Float32Array(b) },
  f8: { bytes: 8, view: (b) => new Float64Array(b) },
  i1: { bytes: 1, view: (b) => new Int8Array(b) },
  i2: { bytes: 2, view: (b) => new Int16Array(b) },
  i4: { bytes: 4, view: (b) => new Int32Array(b) },
  i8: { bytes: 8, view: (b) => new BigInt64Array(b) },
  u1: { bytes: 1, view: (b) => new Uint8Array(b) },
  u2: { bytes: 2, view: (b) => new Uint16Array(b) },
  u4: { bytes: 4, view: (b) => new Uint32Array(b) },
  b1: { bytes: 1, view: (b) => new Uint8Array(b) },
};

/** A shape as NumPy prints it: (100, 28, 28), or (5,) with one axis. */
export function formatNpyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** The element type of a `descr`, or an error saying why NetCanvas cannot read it. */
function dtypeOf(descr: string, file: string): { bytes: number; view: (buffer: ArrayBuffer) => Numbers } {
  const order = descr[0];
  const code = descr.slice(1);
  if (code.startsWith('O') || descr === 'O') {
    throw new Error(`${file} holds Python objects (dtype ${descr}), not numbers: save an array of numbers, e.g. arr.astype('float32').`);
  }
  const type = DTYPES[code];
  if (order === '>' && type && type.bytes > 1) {
    throw new Error(`${file} stores big-endian numbers (dtype ${descr}); NetCanvas reads little-endian ones: save it with arr.astype('<${code}').`);
  }
  if (!type || (order !== '<' && order !== '|' && order !== '=' && order !== '>')) {
    throw new Error(`${file} holds numbers of dtype ${descr}, which NetCanvas cannot read: save it as float32, float64, a signed or unsigned integer type, or bool.`);
  }
  return type;
}

/**
 * Reads a NumPy .npy file (format versions 1 to 3) of little-endian numbers in C order,
 * as 32-bit floats; `file` names it in errors.
 */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error(`${file} is not a NumPy .npy file: it does not start with "\\x93NUMPY".`);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new Error(`${file} uses .npy format version ${major}.${bytes[7]}, which NetCanvas cannot read (versions 1 to 3).`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start) throw new Error(`${file}: the .npy header is cut short.`);
  const dataStart = start + (major === 1 ? view.getUint16(8, true) : view.getUint32(8, true));
  if (bytes.length < dataStart) throw new Error(`${file}: the .npy header is cut short.`);
  const header = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', start, dataStart);

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  if (descr === undefined) {
    const structured = /'descr'\s*:\s*\[/.test(header);
    throw new Error(`${file} ${structured ? 'holds records with named fields, not plain numbers: save one plain array' : 'has no element type (descr) in its header'}.`);
  }
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  if (fortran === undefined) throw new Error(`${file} has no fortran_order in its header.`);
  if (fortran === 'True') {
    throw new Error(`${file} is stored in Fortran (column-major) order; NetCanvas reads C order: save numpy.ascontiguousarray(arr) instead.`);
  }
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (shapeText === undefined) throw new Error(`${file} has no shape in its header.`);
  const axes = shapeText
    .split(',')
    .map((s) => s.trim().replace(/L$/, ''))
    .filter((s) => s !== '');
  if (axes.some((s) => !/^\d+$/.test(s))) throw new Error(`${file} has a shape NetCanvas cannot read: (${shapeText}).`);
  const shape = axes.map(Number);

  const type = dtypeOf(descr, file);
  const count = shape.reduce((a, b) => a * b, 1);
  const byteCount = count * type.bytes;
  if (bytes.length - dataStart < byteCount) {
    throw new Error(`${file} is cut short: its header promises ${formatNpyShape(shape)} values of dtype ${descr} (${byteCount} bytes), but it holds ${bytes.length - dataStart}.`);
  }
  const raw = new ArrayBuffer(byteCount);
  new Uint8Array(raw).set(bytes.subarray(dataStart, dataStart + byteCount));
  const values = type.view(raw);
  if (values instanceof Float32Array) return { shape, data: values };
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = Number(values[i]);
  return { shape, data };
}

/** Reads and parses a .npy file; anything wrong stops the load with the file's name. */
async function readNpy(file: string): Promise<NpyArray> {
  const bytes = await readSourceFile(file);
  try {
    return parseNpy(bytes, path.basename(file));
  } catch (err) {
    const message = (err as Error).message;
    throw new DatasetError(message, [{ file, message }]);
  }
}

/** Classes when there are at most this many (labels 0 to this less one); more whole numbers are values to fit. */
const MAX_CLASSES = 1000;

/** An example's shape as an image's (height, width, channels), or null when it is not one; the pixels are checked separately. */
function imageShape(exampleShape: readonly number[]): [number, number, number] | null {
  const [height = 0, width = 0, channels = 1] = exampleShape;
  if (exampleShape.length === 2) return [height, width, 1];
  if (exampleShape.length === 3 && (channels === 1 || channels === 3)) return [height, width, channels];
  return null;
}

/** Brings pixels into [0, 1]: kept when they are already, 0–255 whole numbers divided by 255; false when they are neither. */
function toUnitPixels(data: Float32Array): boolean {
  let min = Infinity;
  let max = -Infinity;
  let whole = true;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
    if (whole && !Number.isInteger(v)) whole = false;
  }
  if (min >= 0 && max <= 1) return true;
  if (!whole || min < 0 || max > 255) return false;
  for (let i = 0; i < data.length; i++) data[i] = data[i]! / 255;
  return true;
}

const formatValue = (v: number): string => String(Number(v.toPrecision(7)));

/**
 * Reads NumPy arrays: `path` holds the inputs with one example per row of its first axis,
 * (n, d) a table or (n, height, width[, 1 or 3 channels]) images; `labels` holds one target
 * per example, whole numbers from 0 for classes and other numbers for values to fit.
 * Images without labels are one class, "all", for autoencoders and GANs.
 */
export async function loadNpy(source: NpySource): Promise<LoadedDataset> {
  const xName = path.basename(source.path);
  const x = await readNpy(source.path);
  const y = source.labels === undefined ? null : await readNpy(source.labels);
  const yName = source.labels === undefined ? '' : path.basename(source.labels);
  const fail = (file: string, message: string): DatasetError => new DatasetError(message, [{ file, message }]);
  const problems: DataProblem[] = [];

  const count = x.shape[0] ?? 0;
  if (x.shape.length === 0 || count === 0) throw fail(source.path, `${xName} has shape ${formatNpyShape(x.shape)}: it holds no examples along its first axis.`);
  const exampleShape = x.shape.length === 1 ? [1] : x.shape.slice(1);
  const size = exampleShape.reduce((a, b) => a * b, 1);
  const missing = new Array<number>(size).fill(0);
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i]!)) {
      x.data[i] = 0;
      missing[i % size]!++;
    }
  }
  const notNumbers = missing.reduce((a, b) => a + b, 0);
  if (notNumbers > 0) problems.push({ file: source.path, message: `${xName} has ${notNumbers} values that are not numbers (NaN or infinite); they are replaced with 0.` });

  const image = exampleShape.length >= 2 ? imageShape(exampleShape) : null;
  if (exampleShape.length >= 2 && !image) {
    throw fail(
      source.path,
      `${xName} has shape ${formatNpyShape(x.shape)}: arrays of more than two axes must be images, (examples, height, width) or (examples, height, width, channels) with 1 or 3 channels.`,
    );
  }
  if (image && !toUnitPixels(x.data)) {
    throw fail(source.path, `${xName} has shape ${formatNpyShape(x.shape)}, so it is read as images, but its pixels are not whole numbers 0–255 or numbers from 0 to 1.`);
  }
  if (!image && !y) {
    throw fail(source.path, `${xName} is a table of numbers without labels: choose a labels .npy file with one target per example.`);
  }

  // Targets, and which examples have one.
  let target: TargetInfo = { kind: 'classes' };
  let classes: string[] | null = ['all'];
  let labels: Int32Array | null = null;
  let values: Float32Array | null = null;
  let valueSize = 1;
  let keep = Uint32Array.from({ length: count }, (_, i) => i);
  if (y) {
    const labelCount = y.shape[0] ?? 0;
    if (y.shape.length === 0 || labelCount !== count) {
      throw fail(source.labels!, `${yName} has ${y.shape.length === 0 ? 1 : labelCount} labels for ${count} examples in ${xName}.`);
    }
    valueSize = y.shape.slice(1).reduce((a, b) => a * b, 1);
    const usable = (i: number): boolean => y.data.subarray(i * valueSize, (i + 1) * valueSize).every(Number.isFinite);
    keep = keep.filter(usable);
    const skipped = count - keep.length;
    if (skipped === count) throw fail(source.labels!, `${yName} has no labels that are numbers (all are NaN or infinite).`);
    if (skipped > 0) problems.push({ file: source.labels!, message: `${yName} has ${skipped} labels that are not numbers (NaN or infinite); those examples are skipped.` });
    const kept = Array.from(keep, (i) => y.data[i]!);
    const top = kept.reduce((m, v) => Math.max(m, v), 0);
    if (valueSize === 1 && top < MAX_CLASSES && kept.every((v) => Number.isInteger(v) && v >= 0)) {
      classes = Array.from({ length: top + 1 }, (_, i) => String(i));
      labels = Int32Array.from(y.data);
    } else {
      target = { kind: 'values', size: valueSize };
      classes = null;
      values = y.data;
    }
  }

  const rows = splitRows(keep.length, source.testFraction);
  const split = (chosen: Uint32Array) => {
    const examples = chosen.map((i) => keep[i]!);
    return rowSplit(x.data, size, examples, labels ? { labels: pickRows(labels, examples) } : values ? { values: pickRows(values, examples, valueSize) } : { labels: new Int32Array(examples.length) });
  };
  const train = split(rows.train);
  const test = split(rows.test);

  const columns: ColumnInfo[] = [];
  if (!image) {
    for (let j = 0; j < size; j++) columns.push({ name: `column ${j + 1}`, type: 'number', missing: missing[j]!, role: 'feature', width: 1 });
    const targetColumn: ColumnInfo = { name: 'label', type: classes ? 'category' : 'number', missing: count - keep.length, role: 'target', width: 0 };
    columns.push(classes ? { ...targetColumn, values: classes.slice(0, 50) } : targetColumn);
  }
  const targetText = (i: number): string =>
    train.labels ? (classes![train.labels[i]!] ?? '') : Array.from(train.values!.subarray(i * valueSize, (i + 1) * valueSize), formatValue).join(' ');

  return {
    name: xName,
    kind: image ? 'images' : 'table',
    inputShape: image ? [...image] : [size],
    target,
    classes,
    vocabulary: null,
    train,
    test,
    columns,
    problems,
    preview(count, augmentation) {
      if (image) return imagePreview(train, image, classes, count, augmentation ?? null);
      const n = Math.max(0, Math.min(count, train.count));
      const indices = Array.from({ length: n }, (_, i) => i);
      const features = train.features(indices);
      return {
        kind: 'table',
        columns: columns.map((c) => c.name),
        rows: indices.map((i) => [...Array.from(features.subarray(i * size, (i + 1) * size), formatValue), targetText(i)]),
      };
    },
  };
}
