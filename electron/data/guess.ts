import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import type { DatasetKind } from '../../shared/data/report.js';
import {
  BUILTIN_DATASETS,
  builtinSourceSchema,
  csvSourceSchema,
  datasetSourceSchema,
  idxSourceSchema,
  imageFolderSourceSchema,
  npySourceSchema,
  textSourceSchema,
  type BuiltinDatasetId,
  type DatasetSource,
  type UserSource,
} from '../../shared/data/source.js';
import { describeIssues } from '../../shared/api/validation.js';
import { specialKind } from './access.js';

/** Settings given beside a path, as the CLI's options; each applies to the kinds that have it. */
export interface SourceOptions {
  kind?: DatasetSource['kind'];
  target?: string;
  features?: string[];
  categories?: 'one-hot' | 'index';
  missing?: string;
  standardize?: boolean;
  /** CSV: whether the first row names the columns; found from the file when absent. */
  header?: boolean;
  /** CSV: the separator between values; found from the file when absent. */
  delimiter?: ',' | '\t' | ';';
  labels?: string;
  size?: [number, number];
  color?: 'gray' | 'rgb';
  level?: 'char' | 'word';
  length?: number;
  stride?: number;
  vocabulary?: number;
  noise?: number;
  count?: number;
  testFraction?: number;
}

/** The kinds a path can be read as, in the order messages list them. */
export const USER_KINDS = ['csv', 'image-folder', 'text', 'idx', 'npy'] as const satisfies readonly UserSource['kind'][];

type OptionKey = Exclude<keyof SourceOptions, 'kind'>;

const SCHEMAS = { builtin: builtinSourceSchema, csv: csvSourceSchema, 'image-folder': imageFolderSourceSchema, text: textSourceSchema, idx: idxSourceSchema, npy: npySourceSchema };

/** The source field each option sets, and the kinds of source that have it (the most lenient first, whose limits a message quotes). */
const OPTION_FIELDS: Record<OptionKey, { field: string; kinds: readonly DatasetSource['kind'][] }> = {
  target: { field: 'target', kinds: ['csv'] },
  features: { field: 'features', kinds: ['csv'] },
  categories: { field: 'categories', kinds: ['csv'] },
  missing: { field: 'missing', kinds: ['csv'] },
  standardize: { field: 'standardize', kinds: ['csv'] },
  header: { field: 'header', kinds: ['csv'] },
  delimiter: { field: 'delimiter', kinds: ['csv'] },
  labels: { field: 'labels', kinds: ['idx', 'npy'] },
  size: { field: 'size', kinds: ['image-folder'] },
  color: { field: 'color', kinds: ['image-folder'] },
  level: { field: 'level', kinds: ['text'] },
  length: { field: 'length', kinds: ['text', 'builtin'] },
  stride: { field: 'stride', kinds: ['text'] },
  vocabulary: { field: 'vocabulary', kinds: ['text', 'builtin'] },
  noise: { field: 'noise', kinds: ['builtin'] },
  count: { field: 'size', kinds: ['builtin'] },
  testFraction: { field: 'testFraction', kinds: USER_KINDS },
};

/**
 * A setting given beside a path that no source can take, such as a test fraction of 0.9 or an
 * unknown kind: a mistake in the command, not in the data. `option` is the SourceOptions key;
 * `requirement` says what it must be, e.g. "must be at most 0.5".
 */
export class SourceOptionError extends Error {
  constructor(
    readonly option: keyof SourceOptions,
    readonly requirement: string,
    value: unknown,
  ) {
    super(`${option} ${requirement} (got ${JSON.stringify(value)}).`);
    this.name = 'SourceOptionError';
  }
}

/** What a value must be, from the schema's complaint about it. */
function requirementOf(issue: z.core.$ZodIssue): string {
  const each = issue.path.length > 0 ? ' on each side' : '';
  switch (issue.code) {
    case 'too_small':
      return `must be at least ${String(issue.minimum)}${each}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}${each}`;
    case 'invalid_type':
      return issue.expected === 'int' ? `must be a whole number${each}` : `must be a ${issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return `is not accepted: ${issue.message}`;
  }
}

/** The complaint of kind `kind`'s schema about `value` as its `field`; null when it takes it. */
function fieldIssue(kind: DatasetSource['kind'], field: string, value: unknown): z.core.$ZodIssue | null {
  const schema = (SCHEMAS[kind].shape as Record<string, z.ZodType | undefined>)[field];
  const result = schema?.safeParse(value);
  return !result || result.success ? null : result.error.issues[0]!;
}

/**
 * Checks each option given against the sources that take it, before the path's kind is known:
 * throws a SourceOptionError for a value no kind of source accepts, or an unknown kind.
 */
export function checkSourceOptions(options: SourceOptions): void {
  if (options.kind !== undefined && !(USER_KINDS as readonly string[]).includes(options.kind)) {
    throw new SourceOptionError('kind', `must be one of ${USER_KINDS.join(', ')}`, options.kind);
  }
  for (const [key, { field, kinds }] of Object.entries(OPTION_FIELDS) as [OptionKey, (typeof OPTION_FIELDS)[OptionKey]][]) {
    const value = options[key];
    if (value === undefined) continue;
    const issues = kinds.map((kind) => fieldIssue(kind, field, value));
    if (issues.every((issue) => issue !== null)) throw new SourceOptionError(key, requirementOf(issues[0]!), value);
  }
}

const IMAGE = /\.(png|jpe?g)$/i;
/** IDX file names: MNIST's `train-images-idx3-ubyte`, also with a dot (`train-images.idx3-ubyte`), `.idx3`, each optionally gzipped. */
const IDX = /[-.]idx\d-ubyte(\.gz)?$|\.idx\d?(\.gz)?$/i;
const IDX_TRAIN_IMAGES = /^train-images[-.]idx3-ubyte(\.gz)?$/i;
const TEXT = /\.(txt|text|md)$/i;

/** Entries a folder's kind is not judged by: hidden ones and the __MACOSX folder a Mac zip adds. */
const ignored = (name: string): boolean => name.startsWith('.') || name === '__MACOSX';

/** What a path holds, from its name and (for a folder) what is inside. */
async function kindOf(file: string): Promise<UserSource['kind']> {
  let info;
  try {
    info = await stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`${file} could not be read (${code}): ${code === 'ENOENT' ? `there is no such file or folder, and it is not a built-in dataset (${BUILTIN_DATASETS.join(', ')})` : (err as Error).message}.`);
  }
  if (info.isFile()) {
    if (/\.(csv|tsv|tab)$/i.test(file)) return 'csv';
    if (/\.npy$/i.test(file)) return 'npy';
    if (IDX.test(file)) return 'idx';
    if (TEXT.test(file) || path.extname(file) === '') return 'text';
    throw new Error(
      `${file}: NetCanvas cannot tell what a ${path.extname(file)} file holds. It reads tables (.csv, .tsv, .tab), NumPy arrays (.npy), IDX files (such as train-images-idx3-ubyte, optionally .gz), ` +
        `text (.txt, .text, .md or no extension) and folders of images or text files: say which this is with --kind ${USER_KINDS.join('|')}.`,
    );
  }
  if (!info.isDirectory()) throw new Error(`${file} is ${specialKind(info)}, not a regular file: NetCanvas reads data only from regular files and folders.`);
  const entries = (await readdir(file, { withFileTypes: true })).filter((e) => !ignored(e.name));
  if (entries.some((e) => e.isFile() && IDX_TRAIN_IMAGES.test(e.name))) return 'idx';
  if (entries.some((e) => e.isDirectory())) return 'image-folder';
  if (entries.some((e) => e.isFile() && IMAGE.test(e.name))) return 'image-folder';
  return 'text';
}

/**
 * The dataset a command-line argument names: a built-in's id, or a file or folder whose
 * kind is found from its name and contents, with the options that kind takes. A value the
 * kind does not accept is a SourceOptionError; a path that cannot be read, an Error.
 */
export async function sourceFromArgument(arg: string, options: SourceOptions = {}): Promise<DatasetSource> {
  checkSourceOptions(options);
  const builtin = (BUILTIN_DATASETS as readonly string[]).includes(arg) && !options.kind;
  const kind = builtin ? 'builtin' : (options.kind ?? (await kindOf(arg)));
  const raw: Record<string, unknown> = kind === 'builtin' ? { kind, id: arg as BuiltinDatasetId } : { kind, path: path.resolve(arg) };
  for (const [key, { field, kinds }] of Object.entries(OPTION_FIELDS) as [OptionKey, (typeof OPTION_FIELDS)[OptionKey]][]) {
    const value = options[key];
    if (value === undefined || !kinds.includes(kind)) continue;
    const issue = fieldIssue(kind, field, value);
    if (issue) throw new SourceOptionError(key, requirementOf(issue), value);
    raw[field] = key === 'labels' ? path.resolve(value as string) : value;
  }
  const parsed = datasetSourceSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${arg}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** The number of axes in an .npy file's header; 0 when it cannot be read. */
async function npyAxes(file: string): Promise<number> {
  try {
    const handle = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
      const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(buffer.toString('latin1', 0, bytesRead))?.[1];
      return shape === undefined ? 0 : shape.split(',').filter((s) => s.trim() !== '').length;
    } finally {
      await handle.close();
    }
  } catch {
    return 0;
  }
}

/**
 * The kind of data a path most likely holds, for the report of one that could not be read as
 * a source: images for a folder, IDX files and .npy arrays of three or more axes; a corpus
 * for a text file; a table otherwise (.csv, .tsv, and anything unknown).
 */
export async function likelyKind(arg: string): Promise<DatasetKind> {
  const info = await stat(arg).catch(() => null);
  if (info?.isDirectory() || IDX.test(arg)) return 'images';
  if (/\.npy$/i.test(arg)) return (await npyAxes(arg)) >= 3 ? 'images' : 'table';
  if (TEXT.test(arg)) return 'corpus';
  return 'table';
}
