import { InputError, naturally, type TableEncoder } from './dataset.js';
import type { InputField } from '../../shared/api/insight.js';

/**
 * How a table loader turns one feature column's cells into the network's numbers, shared by
 * the loader (its rows) and the encoder (a row typed into a form), so both encode alike.
 */
export interface FeatureCoding {
  name: string;
  type: 'number' | 'date' | 'category';
  /** A category's values in index order (the index is its number, or its one-hot position). */
  values: readonly string[];
  /** A cell's number (a date's days, a category's index), or null when it does not read. */
  read: (cell: string) => number | null;
  /** The training rows' mean and deviation, for standardizing numbers and dates. */
  mean: number;
  std: number;
  standardize: boolean;
  oneHot: boolean;
  /** What stands in for a missing cell, under the loader's rule. */
  fill: number;
}

/** Inputs one feature column takes: one per category value when one-hot, else one. */
export function codingWidth(coding: FeatureCoding): number {
  return coding.type === 'category' && coding.oneHot ? coding.values.length : 1;
}

/** Writes one column's value (already read, or filled in) at `at` of `out`. */
export function writeFeature(coding: FeatureCoding, value: number, out: Float32Array, at: number): void {
  if (coding.type === 'category') out[coding.oneHot ? at + value : at] = coding.oneHot ? 1 : value;
  else out[at] = coding.standardize ? (value - coding.mean) / coding.std : value;
}

/** What a table's encoder is made of, beyond its features' codings. */
export interface TableEncoderParts {
  codings: readonly FeatureCoding[];
  /** The form's fields, in `codings` order. */
  fields: InputField[];
  /** Whether a cell means "no value" (empty, NA, ?). */
  isMissing: (cell: string) => boolean;
  /** Rows with a missing feature were left out of training: a typed row must give every field. */
  dropsMissing: boolean;
  targetNames: string[];
  /** A values target's standardization, or null when it is left in its units. */
  targetScale: { mean: number; std: number } | null;
  cells: TableEncoder['cells'];
  groupColumns: string[];
}

const SHOWN_VALUES = 20;

/** A category's values for a message: in natural order, the first SHOWN_VALUES of many. */
function valueList(values: readonly string[]): string {
  const sorted = [...values].sort(naturally);
  const rest = sorted.length - SHOWN_VALUES;
  return rest > 0 ? `${sorted.slice(0, SHOWN_VALUES).join(', ')} and ${rest} more` : sorted.join(', ');
}

/** Why a cell that is there does not read, naming the column. */
function cellError(coding: FeatureCoding, cell: string): InputError {
  const s = cell.trim();
  if (coding.type === 'category') return new InputError(`${coding.name}: '${s}' is not one of ${valueList(coding.values)}`);
  if (coding.type === 'date') return new InputError(`${coding.name}: '${s}' is not a date (write it as 2024-03-31)`);
  return new InputError(`${coding.name}: '${s}' is not a number`);
}

/**
 * A table's encoder: a typed row goes through the same codings as the loader's rows, so it
 * encodes to exactly the numbers a file row with the same cells does. A missing cell takes
 * the loader's rule (its fill value), or is refused when training left such rows out.
 */
export function tableEncoder(parts: TableEncoderParts): TableEncoder {
  const { codings, isMissing, dropsMissing, targetScale } = parts;
  const width = codings.reduce((n, c) => n + codingWidth(c), 0);
  return {
    kind: 'table',
    fields: parts.fields,
    targetNames: parts.targetNames,
    groupColumns: parts.groupColumns,
    cells: parts.cells,
    encodeRow(values) {
      const out = new Float32Array(width);
      let at = 0;
      for (const coding of codings) {
        const cell = Object.hasOwn(values, coding.name) ? values[coding.name]! : undefined;
        let value: number;
        if (cell === undefined || isMissing(cell)) {
          if (dropsMissing) throw new InputError(`${coding.name}: a value is needed, since training left out the rows without one`);
          value = coding.fill;
        } else {
          const read = coding.read(cell);
          if (read === null) throw cellError(coding, cell);
          value = read;
        }
        writeFeature(coding, value, out, at);
        at += codingWidth(coding);
      }
      return out;
    },
    decodeValues(values) {
      if (!targetScale) return Float32Array.from(values);
      return Float32Array.from(values, (v) => v * targetScale.std + targetScale.mean);
    },
  };
}

/** A number as a form shows it: six significant digits. */
export const formatNumber = (v: number): string => String(Number(v.toPrecision(6)));

/** A number column's field: the training rows' range, and their mean to start with. */
export function numberField(name: string, trainValues: readonly number[], mean: number): InputField {
  let min = Infinity;
  let max = -Infinity;
  for (const v of trainValues) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { name, type: 'number', ...(trainValues.length > 0 ? { min, max } : {}), typical: formatNumber(mean) };
}

/** Most different values a column other than a category may have to group examples by. */
export const MAX_GROUP_VALUES = 20;

/** Whether a column's cells make groups: a category, or between 2 and MAX_GROUP_VALUES different values. */
export function makesGroups(category: boolean, cells: Iterable<string>, isMissing: (cell: string) => boolean): boolean {
  const distinct = new Set<string>();
  for (const cell of cells) {
    if (isMissing(cell)) continue;
    distinct.add(cell.trim());
    if (!category && distinct.size > MAX_GROUP_VALUES) return false;
  }
  return distinct.size >= 2;
}

/** The shortest text that reads back as the same 32-bit float: a stored feature as a cell. */
export function float32Text(v: number): string {
  for (let digits = 1; digits < 17; digits++) {
    const text = String(Number(v.toPrecision(digits)));
    if (Math.fround(Number(text)) === v) return text;
  }
  return String(v);
}
