import path from 'node:path';
import { seededRandom, shuffled } from './random.js';
import type { ColumnInfo, DataProblem, DatasetKind, DatasetPreview, TargetInfo } from '../../shared/data/report.js';
import type { Augmentation } from '../../shared/data/source.js';
import type { InputField } from '../../shared/api/insight.js';

/**
 * One split of a dataset as numbered examples. Features are read on demand, so a split may
 * live in memory or be streamed from disk batch by batch; targets are small and kept.
 */
export interface Split {
  readonly count: number;
  /** Examples `indices`, one after another, each as many floats as the input shape holds. */
  features(indices: ArrayLike<number>): Float32Array;
  /** Class of each example, for classes targets. */
  readonly labels: Int32Array | null;
  /** `size` values per example, for values targets. */
  readonly values: Float32Array | null;
}

/** A long text as token ids, for language models: read in windows whose length the model sets. */
export interface Corpus {
  ids: Uint8Array | Uint16Array | Uint32Array;
  /** Where the held-out part begins in `ids`. */
  testStart: number;
  /** Each id's text. */
  tokens: readonly string[];
  /** What goes between two decoded tokens: '' for characters, ' ' for words. */
  joiner: string;
  /** Characters between the starts of two training windows. */
  stride: number;
  /** Fixed by the source (a user's text file); otherwise the model's Input decides. */
  length: number | null;
}

/** A dataset read and ready to train: what every loader returns. */
export interface LoadedDataset {
  name: string;
  kind: DatasetKind;
  /** One example's shape, without the batch axis. Empty for a corpus (the model's Input sets it). */
  inputShape: number[];
  target: TargetInfo;
  /** Class names in label order, for classes targets. */
  classes: string[] | null;
  /** A text or corpus's token count. */
  vocabulary: number | null;
  train: Split;
  test: Split;
  corpus?: Corpus;
  /** Table columns and their roles. */
  columns: ColumnInfo[];
  /** What was skipped or repaired, with where; the rest of the data is still used. */
  problems: DataProblem[];
  /** Up to `count` examples of the training split to look at; images also as augmentation changes them. */
  preview(count: number, augmentation?: Augmentation | null): DatasetPreview;
  /** How a person's own row or text becomes an example as this loader made its examples: tables and texts. */
  encoder?: TableEncoder | TextEncoder;
}

/** A table's rows as its loader encodes them, for a row typed into a form and for answers in the target's units. */
export interface TableEncoder {
  kind: 'table';
  /** The feature columns, in the order their inputs come. */
  fields: InputField[];
  /** One row, each feature column's cell as the file would hold it, as the network's inputs; an `InputError` names a wrong cell. */
  encodeRow(values: Readonly<Record<string, string>>): Float32Array;
  /** The target's column names (a values target), or the class column's. */
  targetNames: string[];
  /** A values target as the network gives it (standardized when the source was) back in the column's units. */
  decodeValues(values: Float32Array): Float32Array;
  /** The file's cells of one example of the train or test split, by column name (feature, target and unused columns). */
  cells(split: 'train' | 'test', index: number): Record<string, string>;
  /** Columns to group examples by for fairness: categories, and columns with at most 20 values. */
  groupColumns: string[];
}

/** A text dataset's documents as its loader encodes them: the same tokenizer, vocabulary and length. */
export interface TextEncoder {
  kind: 'text';
  /** Word ids of a document, cut or padded to the length training used, and each position's token ('' for padding). */
  encode(text: string): { ids: Int32Array; tokens: string[] };
  /** An example's words back, for showing it. */
  decode(ids: ArrayLike<number>): string[];
}

/** A person's input that cannot be encoded: the message names the field and why. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** A split held in memory: features of all examples one after another. */
export function memorySplit(data: Float32Array, exampleLength: number, targets: { labels?: Int32Array; values?: Float32Array }): Split {
  const count = exampleLength === 0 ? 0 : data.length / exampleLength;
  return rowSplit(data, exampleLength, Uint32Array.from({ length: count }, (_, i) => i), targets);
}

/** The examples at `rows` of a split, in that order; `valueSize` values per example. */
export function pickSplit(split: Split, rows: Uint32Array, valueSize = 1): Split {
  return {
    count: rows.length,
    labels: split.labels ? pickRows(split.labels, rows) : null,
    values: split.values ? pickRows(split.values, rows, valueSize) : null,
    features: (indices) => split.features(Array.from(indices as ArrayLike<number>, (i) => rows[i]!)),
  };
}

/** Training examples per class. */
export function classCounts(split: Split, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  if (split.labels) for (const label of split.labels) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

/** Raised when a dataset cannot be read at all; `problems` says where. */
export class DatasetError extends Error {
  constructor(
    message: string,
    readonly problems: DataProblem[] = [],
  ) {
    super(message);
    this.name = 'DatasetError';
  }
}

/** A deterministic order for shuffling before a split, so the same file gives the same split. */
export function seededOrder(count: number, seed: number): Uint32Array {
  return shuffled(count, seededRandom(seed));
}

/** Why a file could not be read, as a dataset error naming it and the system's error code. */
export function unreadable(file: string, err: unknown): DatasetError {
  const e = err as NodeJS.ErrnoException;
  const message = `${path.basename(file)} could not be read (${e.code ?? 'error'}): ${e.message}`;
  return new DatasetError(message, [{ file, message }]);
}

/**
 * A split of chosen examples (`rows`) of one array, read on demand so the array is not
 * copied: byte pixels come out divided by 255, floats as they are.
 */
export function rowSplit(data: Uint8Array | Float32Array, exampleLength: number, rows: Uint32Array, targets: { labels?: Int32Array; values?: Float32Array }): Split {
  const bytes = data instanceof Uint8Array;
  return {
    count: rows.length,
    labels: targets.labels ?? null,
    values: targets.values ?? null,
    features(indices) {
      const out = new Float32Array(indices.length * exampleLength);
      for (let i = 0; i < indices.length; i++) {
        const from = rows[indices[i]!]! * exampleLength;
        const example = data.subarray(from, from + exampleLength);
        if (!bytes) {
          out.set(example, i * exampleLength);
          continue;
        }
        const at = i * exampleLength;
        for (let k = 0; k < exampleLength; k++) out[at + k] = example[k]! / 255;
      }
      return out;
    },
  };
}

/** The examples at `rows` of per-example numbers, `size` each. */
export function pickRows<T extends Int32Array | Float32Array>(values: T, rows: Uint32Array, size = 1): T {
  const out = (values instanceof Int32Array ? new Int32Array(rows.length * size) : new Float32Array(rows.length * size)) as T;
  rows.forEach((r, i) => out.set(values.subarray(r * size, (r + 1) * size), i * size));
  return out;
}

/**
 * Training and test rows of `count` examples: a deterministic shuffle with the last
 * `testFraction` held out (at least one example stays in training), each part in file order.
 */
export function splitRows(count: number, testFraction: number): { train: Uint32Array; test: Uint32Array } {
  const order = seededOrder(count, 1);
  const testCount = Math.max(0, Math.min(Math.round(count * testFraction), count - 1));
  return { train: order.slice(0, count - testCount).sort(), test: order.slice(count - testCount).sort() };
}

/** `count` positions spread evenly over `total`, so a preview shows more than the file's first rows. */
export function spread(count: number, total: number): number[] {
  const n = Math.max(0, Math.min(count, total));
  return Array.from({ length: n }, (_, i) => Math.floor((i * total) / n));
}

const collator = new Intl.Collator('en', { numeric: true });
/** Name order as people expect it, "class2" before "class10": how every loader lists files, folders and class names. */
export const naturally = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
