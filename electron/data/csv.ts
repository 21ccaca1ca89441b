import path from 'node:path';
import { DataAccess, readSourceFile } from './access.js';
import type { ColumnInfo, ColumnType, DataProblem } from '../../shared/data/report.js';
import type { MissingRule, SourceOf } from '../../shared/data/source.js';
import { DatasetError, InputError, memorySplit, naturally, splitRows, spread, type LoadedDataset } from './dataset.js';
import { codingWidth, formatNumber, makesGroups, numberField, tableEncoder, writeFeature, type FeatureCoding } from './table-encoder.js';
import type { InputField } from '../../shared/api/insight.js';

/**
 * CSV and TSV tables: one example per row, one column to predict, the others turned into
 * numbers the network reads.
 *
 * The column to predict is a class per value when it holds categories or text, and also when
 * it holds whole numbers that are codes: at most MAX_CODE_CLASSES different values, none
 * negative (0/1 for survived, 1 to 5 for a rating); those classes are named by the numbers,
 * in natural order. Any other number column (many values, fractions, negative numbers) and a
 * date column are values to fit: a regression.
 */

/** A CSV or TSV file as a project describes it, with its settings' defaults filled in. */
export type CsvSource = SourceOf<'csv'>;

/** The separators NetCanvas recognises between values. */
export type Delimiter = ',' | '\t' | ';';

/** One row of a delimited file, with the line it starts on (1-based). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/** A delimited file split into rows and cells. */
export interface DelimitedText {
  delimiter: Delimiter;
  /** The rows, without Excel's `sep=` line (which still counts as line 1). */
  records: CsvRecord[];
  /** The line where a quoted value opens and is never closed; null when every quote closes. */
  unclosedQuoteLine: number | null;
}

/** Cells, compared in lower case after trimming, that mean "no value". */
const MISSING_MARKS = new Set(['', 'na', 'n/a', 'nan', 'null', '?']);
/** Problems listed one by one; the rest are counted in one more. */
const MAX_PROBLEMS = 100;
/** Rows read to guess the delimiter. */
const SNIFF_ROWS = 20;
/** Rows below the first looked at to decide whether the first is a header. */
const HEADER_ROWS = 100;
/** A category has at most this many values (and at most one per two rows); more is free text. */
const MAX_CATEGORIES = 50;
/** A target of whole numbers, none negative, with at most this many different values is one of classes. */
const MAX_CODE_CLASSES = 20;
/** The share of a column's values that must parse for it to be a number or date column. */
const PARSE_SHARE = 0.9;
/** A column that mostly parses is still one of numbers or dates with up to this many different unreadable values. */
const MAX_STRAYS = 3;
const DAY_MS = 86_400_000;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Where the cell that starts at `from` ends: at the next delimiter, line break or the end of the text. */
function fieldEnd(text: string, from: number, delimiter: string): number {
  let j = from;
  while (j < text.length) {
    const c = text[j];
    if (c === delimiter || c === '\n' || c === '\r') break;
    j++;
  }
  return j;
}

/** Line breaks (\n, \r\n or a lone \r) in text[from, to). */
function lineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let j = from; j < to; j++) {
    if (text[j] === '\n' || (text[j] === '\r' && text[j + 1] !== '\n')) n++;
  }
  return n;
}

/** Where the rows start: after a byte-order mark and Excel's `sep=;` line, whose delimiter it gives. */
interface Start {
  index: number;
  line: number;
  delimiter: Delimiter | null;
}

const SEP_LINE = /^sep=([,;\t])[ ]*(\r\n|\n|\r|$)/i;

function startOf(text: string): Start {
  const index = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const sep = SEP_LINE.exec(text.slice(index, index + 16));
  return sep ? { index: index + sep[0].length, line: 2, delimiter: sep[1] as Delimiter } : { index, line: 1, delimiter: null };
}

/** Reads up to `limit` records from `start`; blank lines are left out. */
function readRecords(text: string, delimiter: string, limit: number, start: Start): Omit<DelimitedText, 'delimiter'> {
  const records: CsvRecord[] = [];
  let unclosedQuoteLine: number | null = null;
  let i = start.index;
  let line = start.line;
  while (i < text.length && records.length < limit) {
    const first = line;
    const cells: string[] = [];
    let quoted = false;
    for (;;) {
      let cell = '';
      if (text[i] === '"') {
        quoted = true;
        const opened = line;
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) {
            cell += text.slice(j);
            line += lineBreaks(text, j, text.length);
            unclosedQuoteLine ??= opened;
            j = text.length;
            break;
          }
          cell += text.slice(j, q);
          line += lineBreaks(text, j, q);
          if (text[q + 1] !== '"') {
            j = q + 1;
            break;
          }
          cell += '"';
          j = q + 2;
        }
        i = fieldEnd(text, j, delimiter);
        cell += text.slice(j, i);
      } else {
        const end = fieldEnd(text, i, delimiter);
        cell = text.slice(i, end);
        i = end;
      }
      cells.push(cell);
      if (text[i] === delimiter) {
        i++;
        continue;
      }
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      break;
    }
    if (cells.length > 1 || quoted || cells[0]!.trim() !== '') records.push({ line: first, cells });
  }
  return { records, unclosedQuoteLine };
}

/** The most common cell count among rows; on a tie, the one seen first. */
function usualWidth(records: readonly CsvRecord[]): number {
  const counts = new Map<number, number>();
  for (const r of records) counts.set(r.cells.length, (counts.get(r.cells.length) ?? 0) + 1);
  let best = records[0]?.cells.length ?? 1;
  for (const [width, n] of counts) if (n > counts.get(best)!) best = width;
  return best;
}

/** The delimiter that splits most of the first lines into the same number of cells, more than one. */
function detectDelimiter(text: string, start: Start): Delimiter {
  let best: Delimiter = ',';
  let bestShare = 0;
  let bestWidth = 1;
  // Tab and semicolon first: on a tie they win, since commas also turn up inside values.
  for (const delimiter of ['\t', ';', ','] as const) {
    const records = readRecords(text, delimiter, SNIFF_ROWS, start).records;
    const width = usualWidth(records);
    if (width < 2) continue;
    const share = records.filter((r) => r.cells.length === width).length / records.length;
    if (share > bestShare || (share === bestShare && width > bestWidth)) {
      best = delimiter;
      bestShare = share;
      bestWidth = width;
    }
  }
  return best;
}

/**
 * Splits CSV or TSV text into records: values in double quotes may hold delimiters, line
 * breaks and doubled quotes; lines end in \n or \r\n; a byte-order mark is skipped. The
 * delimiter, when not given, is the one an Excel `sep=;` first line names (that line is not a
 * row), or else the one that splits the first lines alike.
 */
export function parseDelimited(text: string, delimiter?: Delimiter): DelimitedText {
  const start = startOf(text);
  const found = delimiter ?? start.delimiter ?? detectDelimiter(text, start);
  return { delimiter: found, ...readRecords(text, found, Infinity, start) };
}

/** Whether a cell means "no value": empty, NA, NaN, null or ?. */
export function isMissing(cell: string): boolean {
  return MISSING_MARKS.has(cell.trim().toLowerCase());
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** A number with a decimal comma, as 1,5 is written where the comma is not the delimiter. */
const COMMA_NUMBER = /^[+-]?(\d+,\d+|,\d+)([eE][+-]?\d+)?$/;

/** A cell's number, or null when it is not one; with `decimalComma`, 1,5 reads as 1.5 too. */
export function parseNumber(cell: string, decimalComma = false): number | null {
  let s = cell.trim();
  if (decimalComma && COMMA_NUMBER.test(s)) s = s.replace(',', '.');
  else if (!NUMBER.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** Days since 1970-01-01 (UTC) of a calendar date; null when the date does not exist. */
function utcDays(year: number, month: number, day: number): number | null {
  const t = Date.UTC(year, month - 1, day);
  const d = new Date(t);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? t / DAY_MS : null;
}

/** A month's number from its name or a 3-letter or longer start of it. */
function monthNumber(name: string): number | null {
  const lower = name.toLowerCase();
  const index = lower.length >= 3 ? MONTHS.findIndex((m) => m.startsWith(lower)) : -1;
  return index < 0 ? null : index + 1;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A cell's date as days since 1970-01-01, or null when it is not a date. Reads ISO dates
 * (2024-03-31, with an optional time), 2024/03/31, 03/31/2024 (month first), 31.03.2024,
 * 31 Mar 2024 and March 31, 2024; times without a zone count as UTC.
 */
export function parseDate(cell: string): number | null {
  const s = cell.trim();
  const iso = ISO_DATE.exec(s);
  if (iso) {
    const day = utcDays(+iso[1]!, +iso[2]!, +iso[3]!);
    if (day === null || iso[4] === undefined) return day;
    const zone = iso[7] ?? 'Z';
    const offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
    const minutes = Number(iso[4]) * 60 + Number(iso[5]) + Number(iso[6] ?? 0) / 60 - offset;
    return day + minutes / 1440;
  }
  let m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(s);
  if (m) return utcDays(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (m) return utcDays(+m[3]!, +m[1]!, +m[2]!);
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  if (m) return utcDays(+m[3]!, +m[2]!, +m[1]!);
  m = /^(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})$/.exec(s);
  const dayFirst = m ? monthNumber(m[2]!) : null;
  if (m && dayFirst !== null) return utcDays(+m[3]!, dayFirst, +m[1]!);
  m = /^([A-Za-z]+)\.? (\d{1,2}),? (\d{4})$/.exec(s);
  const monthFirst = m ? monthNumber(m[1]!) : null;
  if (m && monthFirst !== null) return utcDays(+m[3]!, monthFirst, +m[2]!);
  return null;
}

/** What one cell looks like, for telling a header from data. */
type CellLook = 'missing' | 'number' | 'date' | 'word';

function lookOf(cell: string, decimalComma: boolean): CellLook {
  if (isMissing(cell)) return 'missing';
  if (parseNumber(cell, decimalComma) !== null) return 'number';
  return parseDate(cell) !== null ? 'date' : 'word';
}

/** What a column's cells mostly are: numbers or dates when at least half of those present are; null when none is present. */
function columnLook(cells: readonly string[], decimalComma: boolean): Exclude<CellLook, 'missing'> | null {
  const looks = cells.map((cell) => lookOf(cell, decimalComma)).filter((look) => look !== 'missing');
  if (looks.length === 0) return null;
  for (const look of ['number', 'date'] as const) if (looks.filter((l) => l === look).length >= looks.length / 2) return look;
  return 'word';
}

/**
 * Whether the first row names the columns. It does when one of its cells is a word above a
 * column of numbers or dates; when its cells are all different and one of them is not the
 * kind of value its column holds below (a year above words); or when its cells are all
 * different words, none of which turns up again below in its column. A missing mark (empty,
 * ?, NA) is no sign either way: a first row of data may have one. `decimalComma` reads 1,5
 * as a number.
 */
export function looksLikeHeader(first: readonly string[], below: readonly (readonly string[])[], decimalComma = false): boolean {
  const looks = first.map((cell) => lookOf(cell, decimalComma));
  const columns = first.map((_, j) => columnLook(below.map((row) => row[j] ?? ''), decimalComma));
  if (looks.some((look, j) => look === 'word' && (columns[j] === 'number' || columns[j] === 'date'))) return true;
  const names = first.map((cell) => cell.trim());
  if (new Set(names).size !== names.length) return false;
  if (looks.some((look, j) => look !== 'missing' && columns[j] !== null && look !== columns[j])) return true;
  return looks.every((look) => look === 'word') && !names.some((n, j) => below.some((row) => row[j]?.trim() === n));
}

/** Column names from a header, with blanks named by position and repeats numbered; `column 1`… without one. */
function columnNames(header: readonly string[] | null, width: number): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let j = 0; j < width; j++) {
    const base = header?.[j]?.trim() || `column ${j + 1}`;
    let name = base;
    for (let k = 2; seen.has(name); k++) name = `${base} (${k})`;
    seen.add(name);
    names.push(name);
  }
  return names;
}

/** What a column holds, found from all its rows. */
interface Column {
  name: string;
  type: ColumnType;
  /** Distinct values, most frequent first (ties in natural order); empty for number and date columns. */
  values: string[];
  /** Cells that are empty or do not parse as the column's type. */
  missing: number;
}

/** Distinct values, most frequent first, ties in natural order. */
function byFrequency(cells: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const cell of cells) counts.set(cell, (counts.get(cell) ?? 0) + 1);
  return [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || naturally(a, b));
}

/** A column's type from its cells: number or date when nearly all parse, category when few values repeat, else text. */
function describeColumn(name: string, cells: readonly string[], decimalComma: boolean): Column {
  const present = cells.filter((cell) => !isMissing(cell)).map((cell) => cell.trim());
  const absent = cells.length - present.length;
  for (const [type, parse] of [
    ['number', (cell: string) => parseNumber(cell, decimalComma)],
    ['date', parseDate],
  ] as const) {
    const unparsed = present.filter((cell) => parse(cell) === null);
    const parsed = present.length - unparsed.length;
    // A few stray words among numbers are typos, however short the file.
    const fewStrays = parsed >= present.length / 2 && new Set(unparsed).size <= MAX_STRAYS;
    if (present.length > 0 && (parsed >= PARSE_SHARE * present.length || fewStrays)) {
      return { name, type, values: [], missing: absent + present.length - parsed };
    }
  }
  const values = byFrequency(present);
  const category = present.length > 0 && values.length <= MAX_CATEGORIES && values.length <= present.length / 2;
  return { name, type: category ? 'category' : 'text', values, missing: absent };
}

/** Reads a cell of a column as a number: the value, the date's days, or the category's position; null when missing or unreadable. */
function readerFor(column: Column, decimalComma: boolean): (cell: string) => number | null {
  if (column.type === 'number') return (cell) => (isMissing(cell) ? null : parseNumber(cell, decimalComma));
  if (column.type === 'date') return (cell) => (isMissing(cell) ? null : parseDate(cell));
  const index = new Map(column.values.map((v, i) => [v, i]));
  return (cell) => (isMissing(cell) ? null : (index.get(cell.trim()) ?? null));
}

/** What is wrong with a cell that did not read, as part of a sentence. */
function cellIssue(column: Column, cell: string): string {
  const s = cell.trim();
  if (s === '') return `column "${column.name}" is empty`;
  if (isMissing(s)) return `column "${column.name}" has no value ("${s}")`;
  return `"${s}" in column "${column.name}" is not a ${column.type === 'date' ? 'date' : 'number'}`;
}

const list = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

/** Which column is the target and which the network reads; asking for a column that is not there stops the load. */
function chooseRoles(columns: readonly Column[], source: CsvSource, file: string, problems: DataProblem[]): { target: number; features: number[] } {
  const index = new Map(columns.map((c, j) => [c.name, j]));
  const asked = [...(source.target === undefined ? [] : [source.target]), ...(source.features ?? [])];
  const unknown = [...new Set(asked.filter((n) => !index.has(n)))];
  if (unknown.length > 0) {
    const names = columns.map((c) => c.name);
    const message = `${file} has no column${unknown.length > 1 ? 's' : ''} ${list(unknown)}; its columns are ${list(names)}.`;
    throw new DatasetError(message, [{ file, message }]);
  }
  const target = source.target === undefined ? columns.length - 1 : index.get(source.target)!;
  const features: number[] = [];
  for (const name of source.features ? new Set(source.features) : columns.map((c) => c.name)) {
    const j = index.get(name)!;
    const column = columns[j]!;
    if (j === target) {
      if (source.features) problems.push({ file, message: `${file}: column "${name}" is the target, so it is not also read as a feature.` });
    } else if (column.type === 'text') {
      if (source.features) {
        problems.push({
          file,
          message: `${file}: column "${name}" holds free text (${column.values.length} different values), which the network cannot read as numbers; it is not used.`,
        });
      }
    } else {
      features.push(j);
    }
  }
  if (features.length === 0) {
    throw new DatasetError(`${file} has no column for the network to read besides the target "${columns[target]!.name}": add number or category columns.`, problems);
  }
  return { target, features };
}

/** Mean, standard deviation (1 when there is no spread) and most frequent value of numbers. */
interface Stats {
  mean: number;
  std: number;
  mostFrequent: number;
}

function statsOf(values: readonly number[]): Stats {
  if (values.length === 0) return { mean: 0, std: 1, mostFrequent: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  const counts = new Map<number, number>();
  let mostFrequent = values[0]!;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > counts.get(mostFrequent)! || (n === counts.get(mostFrequent) && v < mostFrequent)) mostFrequent = v;
  }
  const std = Math.sqrt(variance);
  return { mean, std: std > 1e-12 ? std : 1, mostFrequent };
}

/** The number that stands in for a missing cell of a feature column, under the project's rule. */
function fillValue(rule: MissingRule, column: Column, stats: Stats): number {
  if (column.type === 'category' || rule === 'most-frequent') return stats.mostFrequent;
  return rule === 'mean' ? stats.mean : 0;
}

const isoDate = (days: number): string => new Date(Math.round(days) * DAY_MS).toISOString().slice(0, 10);

/** How a filled-in cell was filled, as the end of a sentence. */
function fillText(rule: MissingRule, column: Column, value: number): string {
  const shown = column.type === 'category' ? `"${column.values[value]}"` : column.type === 'date' ? isoDate(value) : formatNumber(value);
  if (column.type === 'category' || rule === 'most-frequent') return `filled in with its most frequent value, ${shown}`;
  return rule === 'mean' ? `filled in with the column's mean, ${shown}` : `filled in with ${shown}`;
}

/** Problems in line order (file-wide ones first), at most MAX_PROBLEMS and one counting the rest. */
function capProblems(problems: readonly DataProblem[], file: string): DataProblem[] {
  const sorted = [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (sorted.length <= MAX_PROBLEMS) return sorted;
  const rest = sorted.length - MAX_PROBLEMS;
  return [...sorted.slice(0, MAX_PROBLEMS), { file, message: `${file} has ${rest} more problem${rest === 1 ? '' : 's'} like these, not listed one by one.` }];
}

/** Whether a number target's values are class codes: at most MAX_CODE_CLASSES different whole numbers, none negative. */
function areCodes(values: readonly (number | null)[]): boolean {
  const distinct = new Set<number>();
  for (const v of values) {
    if (v === null) continue;
    if (!Number.isInteger(v) || v < 0) return false;
    distinct.add(v);
    if (distinct.size > MAX_CODE_CLASSES) return false;
  }
  return distinct.size > 0;
}

/**
 * A table dataset from the text of a CSV or TSV file named `file` (messages name it), read
 * with the source's settings. loadCsv reads the file and calls this.
 */
export function csvDataset(text: string, source: CsvSource, file: string, name = file): LoadedDataset {
  const parsed = parseDelimited(text, source.delimiter);
  const decimalComma = parsed.delimiter === ';';
  const problems: DataProblem[] = [];
  if (parsed.unclosedQuoteLine !== null) {
    const line = parsed.unclosedQuoteLine;
    problems.push({ line, message: `${file} line ${line}: a quoted value is never closed, so everything after its opening quote is read as one value.` });
  }
  const first = parsed.records[0];
  if (!first) throw new DatasetError(`${file} is empty: it has no rows of data.`, [{ file, message: `${file} is empty.` }]);
  const header = source.header ?? looksLikeHeader(first.cells, parsed.records.slice(1, 1 + HEADER_ROWS).map((r) => r.cells), decimalComma);
  const body = header ? parsed.records.slice(1) : parsed.records;
  const width = header ? first.cells.length : usualWidth(body.slice(0, HEADER_ROWS));
  // Columns at the end with no name and not a value in any row: a delimiter that ends every line.
  const blank = (cell: string | undefined): boolean => (cell ?? '').trim() === '';
  const full = body.filter((r) => r.cells.length >= width);
  let used = width;
  while (used > 1 && (!header || blank(first.cells[used - 1])) && full.every((r) => blank(r.cells[used - 1]))) used--;
  const names = columnNames(header ? first.cells : null, used);
  const rows: CsvRecord[] = [];
  for (const record of body) {
    if (record.cells.length >= used && record.cells.slice(used).every((cell) => blank(cell))) {
      rows.push({ line: record.line, cells: record.cells.slice(0, used) });
    } else {
      const n = record.cells.length;
      const expected = header ? `the header has ${used} columns` : `most rows have ${used}`;
      problems.push({ line: record.line, message: `${file} line ${record.line} has ${n} value${n === 1 ? '' : 's'} but ${expected}; the row is skipped.` });
    }
  }
  if (rows.length === 0) throw new DatasetError(`${file} has no rows of data${header ? ' below its header' : ''} that can be used.`, capProblems(problems, file));

  const columns = names.map((n, j) => describeColumn(n, rows.map((r) => r.cells[j]!), decimalComma));
  const { target, features } = chooseRoles(columns, source, file, problems);
  const targetColumn = columns[target]!;
  const readers = columns.map((c) => readerFor(c, decimalComma));
  const codes = targetColumn.type === 'number' && areCodes(rows.map((r) => readers[target]!(r.cells[target]!)));
  const classTarget = codes || targetColumn.type === 'category' || targetColumn.type === 'text';
  if (targetColumn.type === 'text') {
    problems.push({
      file,
      message: `${file}: the target column "${targetColumn.name}" has ${targetColumn.values.length} different values in ${rows.length} rows; each is a class of its own.`,
    });
  }
  const readTarget = classTarget && !codes ? (cell: string) => (isMissing(cell) ? null : 0) : readers[target]!;
  /** A class target's cell as its class name: the category, or the code as a number writes it (07 is class 7). */
  const className = (cell: string): string => (codes ? String(readTarget(cell)) : cell.trim());

  // Rows the network can use; cells to fill in once the training rows' statistics are known.
  const kept: CsvRecord[] = [];
  const toFill: { row: number; column: number }[] = [];
  for (const record of rows) {
    const targetCell = record.cells[target]!;
    if (readTarget(targetCell) === null) {
      problems.push({ line: record.line, message: `${file} line ${record.line}: ${cellIssue(targetColumn, targetCell)}, and it is the target; the row is skipped.` });
      continue;
    }
    const bad = features.filter((j) => readers[j]!(record.cells[j]!) === null);
    if (bad.length > 0 && source.missing === 'drop-row') {
      const issues = bad.map((j) => cellIssue(columns[j]!, record.cells[j]!)).join(', ');
      problems.push({ line: record.line, message: `${file} line ${record.line}: ${issues}; the row is skipped.` });
      continue;
    }
    for (const j of bad) toFill.push({ row: kept.length, column: j });
    kept.push(record);
  }
  if (kept.length === 0) throw new DatasetError(`None of the ${rows.length} rows of ${file} can be used; the problems say why.`, capProblems(problems, file));

  const { train: trainRows, test: testRows } = splitRows(kept.length, source.testFraction);
  const trainValues = (j: number, read: (cell: string) => number | null): number[] =>
    Array.from(trainRows, (k) => read(kept[k]!.cells[j]!)).filter((v): v is number => v !== null);

  const stats = new Map(features.map((j) => [j, statsOf(trainValues(j, readers[j]!))]));
  const fills = new Map(features.map((j) => [j, fillValue(source.missing, columns[j]!, stats.get(j)!)]));
  for (const { row, column: j } of toFill) {
    const record = kept[row]!;
    const message = `${file} line ${record.line}: ${cellIssue(columns[j]!, record.cells[j]!)}; ${fillText(source.missing, columns[j]!, fills.get(j)!)}.`;
    problems.push({ line: record.line, message });
  }

  const codings = new Map(
    features.map((j): [number, FeatureCoding] => {
      const { name: columnName, type, values } = columns[j]!;
      const { mean, std } = stats.get(j)!;
      const kind = type as FeatureCoding['type'];
      return [j, { name: columnName, type: kind, values, read: readers[j]!, mean, std, standardize: source.standardize, oneHot: source.categories === 'one-hot', fill: fills.get(j)! }];
    }),
  );
  const widthOf = (j: number): number => codingWidth(codings.get(j)!);
  const inputWidth = features.reduce((n, j) => n + widthOf(j), 0);
  const encode = (rowsOf: Uint32Array): Float32Array => {
    const out = new Float32Array(rowsOf.length * inputWidth);
    rowsOf.forEach((k, i) => {
      let at = i * inputWidth;
      for (const j of features) {
        const coding = codings.get(j)!;
        writeFeature(coding, coding.read(kept[k]!.cells[j]!) ?? coding.fill, out, at);
        at += widthOf(j);
      }
    });
    return out;
  };

  const targetCells = (rowsOf: Uint32Array): string[] => Array.from(rowsOf, (k) => className(kept[k]!.cells[target]!));
  let classes: string[] | null = null;
  let targetScale: { mean: number; std: number } | null = null;
  let targets: (rowsOf: Uint32Array) => { labels?: Int32Array; values?: Float32Array };
  if (classTarget) {
    const names = [...new Set(targetCells(trainRows).concat(targetCells(testRows)))].sort(naturally);
    const label = new Map(names.map((n, i) => [n, i]));
    classes = names;
    targets = (rowsOf) => ({ labels: Int32Array.from(targetCells(rowsOf), (cell) => label.get(cell)!) });
  } else {
    const read = readers[target]!;
    const s = statsOf(trainValues(target, read));
    if (source.standardize) targetScale = s;
    targets = (rowsOf) => ({ values: Float32Array.from(rowsOf, (k) => read(kept[k]!.cells[target]!)!).map((v) => (source.standardize ? (v - s.mean) / s.std : v)) });
  }

  const info: ColumnInfo[] = columns.map((c, j) => ({
    name: c.name,
    type: c.type,
    missing: c.missing,
    role: j === target ? 'target' : features.includes(j) ? 'feature' : 'unused',
    ...(c.type === 'category' || (j === target && classTarget) ? { values: (codes && j === target ? classes! : c.values).slice(0, MAX_CATEGORIES) } : {}),
    width: features.includes(j) ? widthOf(j) : 0,
  }));

  const fields = features.map((j): InputField => {
    const column = columns[j]!;
    const s = stats.get(j)!;
    if (column.type === 'category') return { name: column.name, type: 'category', values: [...column.values], typical: column.values[s.mostFrequent] ?? column.values[0]! };
    if (column.type === 'date') return { name: column.name, type: 'number', typical: isoDate(s.mean) };
    return numberField(column.name, trainValues(j, readers[j]!), s.mean);
  });
  const splitRowsOf = { train: trainRows, test: testRows };
  const encoder = tableEncoder({
    codings: features.map((j) => codings.get(j)!),
    fields,
    isMissing,
    dropsMissing: source.missing === 'drop-row',
    targetNames: [targetColumn.name],
    targetScale,
    groupColumns: columns
      .filter((c, j) => makesGroups(c.type === 'category', kept.map((r) => r.cells[j]!), isMissing))
      .map((c) => c.name),
    cells(split, index) {
      const record = kept[splitRowsOf[split][index] ?? -1];
      if (!record) throw new InputError(`example ${index}: the ${split} split has ${splitRowsOf[split].length} examples`);
      return Object.fromEntries(names.map((n, j) => [n, record.cells[j]!.trim()]));
    },
  });

  return {
    name,
    kind: 'table',
    inputShape: [inputWidth],
    target: classTarget ? { kind: 'classes' } : { kind: 'values', size: 1 },
    classes,
    vocabulary: null,
    train: memorySplit(encode(trainRows), inputWidth, targets(trainRows)),
    test: memorySplit(encode(testRows), inputWidth, targets(testRows)),
    columns: info,
    problems: capProblems(problems, file),
    preview: (count) => ({ kind: 'table', columns: names, rows: spread(count, trainRows.length).map((i) => [...kept[trainRows[i]!]!.cells]) }),
    encoder,
  };
}

/** A file's text: UTF-8, or Latin-1 (Windows-1252) when its bytes are not UTF-8, with a problem saying so. */
function decodeTable(bytes: Uint8Array, file: string): { text: string; problems: DataProblem[] } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), problems: [] };
  } catch {
    const message = `${file} is not UTF-8 text, so it was read as Latin-1 (Windows-1252); if letters look wrong, save it as UTF-8.`;
    return { text: new TextDecoder('windows-1252').decode(bytes), problems: [{ file, message }] };
  }
}

/**
 * Reads a CSV or TSV file as a table dataset, in chunks through `access` (which stops at its
 * size limit). `text` stands in for the file's contents; `name` is the dataset's name (the
 * file's name when absent).
 */
export async function loadCsv(source: CsvSource, options: { name?: string; text?: string; access?: DataAccess } = {}): Promise<LoadedDataset> {
  const file = path.basename(source.path);
  let decoded: { text: string; problems: DataProblem[] };
  if (options.text === undefined) {
    decoded = decodeTable(await readSourceFile(source.path, options.access ?? new DataAccess(), 'table'), file);
  } else {
    decoded = { text: options.text, problems: [] };
  }
  try {
    const data = csvDataset(decoded.text, source, file, options.name ?? file);
    return { ...data, problems: [...decoded.problems, ...data.problems] };
  } catch (err) {
    if (err instanceof DatasetError && decoded.problems.length > 0) throw new DatasetError(err.message, [...decoded.problems, ...err.problems]);
    throw err;
  }
}
