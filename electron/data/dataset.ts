import type { ColumnInfo, DataProblem, DatasetKind, DatasetPreview, TargetInfo } from '../../shared/data/report.js';
import type { Augmentation } from '../../shared/data/source.js';

/**
 * One split of a dataset as numbered examples. Features are read on demand, so a split may
 * live in memory or be streamed from disk batch by batch; targets are small and kept.
 */
export interface Split {
  readonly count: number;
  /** Examples `indices`, one after another, each `exampleSize` floats (the product of the input shape). */
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
}

export function exampleSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A split held in memory: features of all examples one after another. */
export function memorySplit(data: Float32Array, exampleLength: number, targets: { labels?: Int32Array; values?: Float32Array }): Split {
  const count = exampleLength === 0 ? 0 : data.length / exampleLength;
  return {
    count,
    labels: targets.labels ?? null,
    values: targets.values ?? null,
    features(indices) {
      const out = new Float32Array(indices.length * exampleLength);
      for (let i = 0; i < indices.length; i++) {
        const at = indices[i]! * exampleLength;
        out.set(data.subarray(at, at + exampleLength), i * exampleLength);
      }
      return out;
    },
  };
}

/** Examples `from` (inclusive) to `to` (exclusive) of a split. */
export function sliceSplit(split: Split, from: number, to: number, valueSize = 1): Split {
  return {
    count: to - from,
    labels: split.labels ? split.labels.subarray(from, to) : null,
    values: split.values ? split.values.subarray(from * valueSize, to * valueSize) : null,
    features: (indices) => split.features(Array.from(indices as ArrayLike<number>, (i) => i + from)),
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
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  let s = seed >>> 0 || 1;
  for (let i = count - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
