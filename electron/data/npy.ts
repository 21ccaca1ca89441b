import path from 'node:path';
import type { ColumnInfo, DataProblem, TargetInfo } from '../../shared/data/report.js';
import type { SourceOf } from '../../shared/data/source.js';
import { product } from '../../shared/graph/types.js';
import { DataAccess, readSourceFile } from './access.js';
import { DatasetError, pickRows, rowSplit, splitRows, type LoadedDataset } from './dataset.js';
import { imagePreview } from './image-preview.js';

/** NumPy .npy arrays as a project describes them: the inputs, and optionally one target per example. */
export type NpySource = SourceOf<'npy'>;

/** A NumPy array as numbers, in C order. */
export interface NpyArray {
  shape: number[];
  /** Unsigned bytes (dtype u1) as they are, a quarter of the memory of floats; every other type as 32-bit floats. */
  data: Float32Array | Uint8Array;
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
 * Reads a NumPy .npy file (format versions 1 to 3) of little-endian numbers in C order: unsigned
 * bytes as bytes, other numbers as 32-bit floats; `file` names it in errors.
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
  const code = descr.slice(1);
  const count = product(shape);
  const byteCount = count * type.bytes;
  if (bytes.length - dataStart < byteCount) {
    throw new Error(`${file} is cut short: its header promises ${formatNpyShape(shape)} values of dtype ${descr} (${byteCount} bytes), but it holds ${bytes.length - dataStart}.`);
  }
  const raw = new ArrayBuffer(byteCount);
  new Uint8Array(raw).set(bytes.subarray(dataStart, dataStart + byteCount));
  const values = type.view(raw);
  if (values instanceof Float32Array || (code === 'u1' && values instanceof Uint8Array)) return { shape, data: values };
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = Number(values[i]);
  return { shape, data };
}

/** Reads and parses a .npy file; anything wrong stops the load with the file's name. */
async function readNpy(file: string, access: DataAccess): Promise<NpyArray> {
  const bytes = await readSourceFile(file, access);
  try {
    return parseNpy(bytes, path.basename(file));
  } catch (err) {
    const message = (err as Error).message;
    throw new DatasetError(message, [{ file, message }]);
  }
}


/** Classes when there are at most this many (labels 0 to this less one); more whole numbers are values to fit. */
const MAX_CLASSES = 1000;

/** Axes of at most this many are taken for channels, larger ones for height and width, when telling PyTorch's layout. */
const CHANNEL_FIRST_MIN_SIDE = 4;

/** Numbers as 32-bit floats, bytes converted. */
const asFloats = (data: Float32Array | Uint8Array): Float32Array => (data instanceof Float32Array ? data : Float32Array.from(data));

/**
 * Pixels as rowSplit reads them: bytes (0–255, read as value / 255) or floats already in [0, 1].
 * Whole numbers 0–255 become bytes, and so do images of only 0s and 1s, as 0 and 255; null when
 * the numbers are neither whole numbers 0–255 nor within [0, 1].
 */
function toPixels(data: Float32Array | Uint8Array): Uint8Array | Float32Array | null {
  let min = Infinity;
  let max = -Infinity;
  let whole = true;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
    if (whole && !Number.isInteger(v)) whole = false;
  }
  if (whole && min >= 0 && max <= 255) {
    const bytes = data instanceof Uint8Array ? data : Uint8Array.from(data);
    if (max <= 1) for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! * 255;
    return bytes;
  }
  return min >= 0 && max <= 1 ? data : null;
}

/** Whether every value is a whole number from 0 to 255: how a 3-axis array of images looks. */
function wholeBytes(data: Float32Array | Uint8Array): boolean {
  if (data instanceof Uint8Array) return true;
  for (const v of data) if (!Number.isInteger(v) || v < 0 || v > 255) return false;
  return true;
}

/** What the inputs array holds, from its shape and numbers. */
type Layout = { kind: 'table' } | { kind: 'sequence'; steps: number; features: number } | { kind: 'images'; shape: [number, number, number]; pixels: Uint8Array | Float32Array };

/**
 * How to read an inputs array: (n) or (n, d) is a table; (n, a, b) images when its numbers are
 * whole numbers 0–255, else sequences of a steps of b features; (n, h, w, 1 or 3) images. Other
 * shapes, and images stored channels first as PyTorch does, are refused with what to do.
 */
function layoutOf(x: NpyArray, file: string, name: string): Layout {
  const shape = formatNpyShape(x.shape);
  const fail = (message: string): DatasetError => new DatasetError(message, [{ file, message }]);
  const [, a = 0, b = 0, c = 0] = x.shape;
  if (x.shape.length <= 2) return { kind: 'table' };
  if (x.shape.length === 3) {
    return wholeBytes(x.data) ? { kind: 'images', shape: [a, b, 1], pixels: toPixels(x.data)! } : { kind: 'sequence', steps: a, features: b };
  }
  if (x.shape.length === 4 && (a === 1 || a === 3) && b > CHANNEL_FIRST_MIN_SIDE && c > CHANNEL_FIRST_MIN_SIDE) {
    throw fail(`${name} has shape ${shape}: images with the channels before height and width, as PyTorch stores them. Save them channels last, x.transpose(0, 2, 3, 1), for (examples, height, width, channels).`);
  }
  const channels = x.shape[3];
  if (x.shape.length !== 4 || (channels !== 1 && channels !== 3)) {
    throw fail(
      `${name} has shape ${shape}, which NetCanvas cannot read: it reads tables (examples, features), sequences (examples, steps, features) and images (examples, height, width) or (examples, height, width, channels) with 1 or 3 channels.`,
    );
  }
  const pixels = toPixels(x.data);
  if (!pixels) throw fail(`${name} has shape ${shape}, so it is read as images, but its pixels are not whole numbers 0–255 or numbers from 0 to 1.`);
  return { kind: 'images', shape: [a, b, channels], pixels };
}

/** The class of each one-hot row (a single 1, the rest 0) among `rows`, or null when a row is not one-hot. */
function oneHotClasses(values: Float32Array, width: number, rows: Uint32Array, count: number): Int32Array | null {
  const labels = new Int32Array(count);
  for (const r of rows) {
    let hot = -1;
    for (let k = 0; k < width; k++) {
      const v = values[r * width + k]!;
      if (v === 0) continue;
      if (v !== 1 || hot >= 0) return null;
      hot = k;
    }
    if (hot < 0) return null;
    labels[r] = hot;
  }
  return labels;
}

const formatValue = (v: number): string => String(Number(v.toPrecision(7)));

/**
 * Reads NumPy arrays: `path` holds the inputs with one example per row of its first axis,
 * (n, d) a table, (n, height, width[, 1 or 3 channels]) images or (n, steps, features)
 * sequences (see `layoutOf`); `labels` holds one target per example: whole numbers from 0, or
 * one-hot rows (n, classes), for classes, other numbers for values to fit. Byte pixels stay
 * bytes. Images without labels are one class, "all", for autoencoders and GANs. Files are read through `access`.
 */
export async function loadNpy(source: NpySource, access = new DataAccess()): Promise<LoadedDataset> {
  const xName = path.basename(source.path);
  const x = await readNpy(source.path, access);
  const y = source.labels === undefined ? null : await readNpy(source.labels, access);
  const yName = source.labels === undefined ? '' : path.basename(source.labels);
  const fail = (file: string, message: string): DatasetError => new DatasetError(message, [{ file, message }]);
  const problems: DataProblem[] = [];

  const count = x.shape[0] ?? 0;
  if (x.shape.length === 0 || count === 0) throw fail(source.path, `${xName} has shape ${formatNpyShape(x.shape)}: it holds no examples along its first axis.`);
  const exampleShape = x.shape.length === 1 ? [1] : x.shape.slice(1);
  const size = product(exampleShape);
  const missing = new Array<number>(size).fill(0);
  if (x.data instanceof Float32Array) {
    for (let i = 0; i < x.data.length; i++) {
      if (!Number.isFinite(x.data[i]!)) {
        x.data[i] = 0;
        missing[i % size]!++;
      }
    }
  }
  const notNumbers = missing.reduce((a, b) => a + b, 0);
  if (notNumbers > 0) problems.push({ file: source.path, message: `${xName} has ${notNumbers} values that are not numbers (NaN or infinite); they are replaced with 0.` });

  const layout = layoutOf(x, source.path, xName);
  if (layout.kind !== 'images' && !y) {
    const what = layout.kind === 'table' ? 'a table of numbers' : `${count} sequences of ${layout.steps} steps of ${layout.features} numbers`;
    throw fail(source.path, `${xName} is ${what} without labels: choose a labels .npy file with one target per example.`);
  }
  const inputs = layout.kind === 'images' ? layout.pixels : asFloats(x.data);

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
    const yData = asFloats(y.data);
    valueSize = product(y.shape.slice(1));
    const usable = (i: number): boolean => yData.subarray(i * valueSize, (i + 1) * valueSize).every(Number.isFinite);
    keep = keep.filter(usable);
    const skipped = count - keep.length;
    if (skipped === count) throw fail(source.labels!, `${yName} has no labels that are numbers (all are NaN or infinite).`);
    if (skipped > 0) problems.push({ file: source.labels!, message: `${yName} has ${skipped} labels that are not numbers (NaN or infinite); those examples are skipped.` });
    const kept = Array.from(keep, (i) => yData[i]!);
    const top = kept.reduce((m, v) => Math.max(m, v), 0);
    const oneHot = y.shape.length === 2 && valueSize >= 2 ? oneHotClasses(yData, valueSize, keep, count) : null;
    if (oneHot) {
      classes = Array.from({ length: valueSize }, (_, i) => String(i));
      labels = oneHot;
    } else if (valueSize === 1 && top < MAX_CLASSES && kept.every((v) => Number.isInteger(v) && v >= 0)) {
      classes = Array.from({ length: top + 1 }, (_, i) => String(i));
      labels = Int32Array.from(yData);
    } else {
      target = { kind: 'values', size: valueSize };
      classes = null;
      values = yData;
    }
  }

  const rows = splitRows(keep.length, source.testFraction);
  const split = (chosen: Uint32Array) => {
    const examples = chosen.map((i) => keep[i]!);
    return rowSplit(inputs, size, examples, labels ? { labels: pickRows(labels, examples) } : values ? { values: pickRows(values, examples, valueSize) } : { labels: new Int32Array(examples.length) });
  };
  const train = split(rows.train);
  const test = split(rows.test);

  const columns: ColumnInfo[] = [];
  if (layout.kind === 'table') {
    for (let j = 0; j < size; j++) columns.push({ name: `column ${j + 1}`, type: 'number', missing: missing[j]!, role: 'feature', width: 1 });
    const targetColumn: ColumnInfo = { name: 'label', type: classes ? 'category' : 'number', missing: count - keep.length, role: 'target', width: 0 };
    columns.push(classes ? { ...targetColumn, values: classes.slice(0, 50) } : targetColumn);
  }
  const previewColumns =
    layout.kind === 'sequence'
      ? [...Array.from({ length: size }, (_, j) => `step ${Math.floor(j / layout.features) + 1} feature ${(j % layout.features) + 1}`), 'label']
      : columns.map((c) => c.name);
  const targetText = (i: number): string =>
    train.labels ? (classes![train.labels[i]!] ?? '') : Array.from(train.values!.subarray(i * valueSize, (i + 1) * valueSize), formatValue).join(' ');

  return {
    name: xName,
    kind: layout.kind,
    inputShape: layout.kind === 'images' ? [...layout.shape] : layout.kind === 'sequence' ? [layout.steps, layout.features] : [size],
    target,
    classes,
    vocabulary: null,
    train,
    test,
    columns,
    problems,
    preview(count, augmentation) {
      if (layout.kind === 'images') return imagePreview(train, layout.shape, classes, count, augmentation ?? null);
      const n = Math.max(0, Math.min(count, train.count));
      const indices = Array.from({ length: n }, (_, i) => i);
      const features = train.features(indices);
      return {
        kind: 'table',
        columns: previewColumns,
        rows: indices.map((i) => [...Array.from(features.subarray(i * size, (i + 1) * size), formatValue), targetText(i)]),
      };
    },
  };
}
