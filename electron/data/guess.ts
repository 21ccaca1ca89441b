import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { BUILTIN_DATASETS, datasetSourceSchema, type BuiltinDatasetId, type DatasetSource } from '../../shared/data/source.js';
import { describeIssues } from '../../shared/api/validation.js';

/** Settings given beside a path, as the CLI's options; each applies to the kinds that have it. */
export interface SourceOptions {
  kind?: DatasetSource['kind'];
  target?: string;
  features?: string[];
  categories?: 'one-hot' | 'index';
  missing?: string;
  standardize?: boolean;
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

const IMAGE = /\.(png|jpe?g)$/i;
const IDX = /-idx\d-ubyte(\.gz)?$|\.idx\d?(\.gz)?$/i;

/** What a path holds, from its name and (for a folder) what is inside. */
async function kindOf(file: string): Promise<DatasetSource['kind']> {
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
    return 'text';
  }
  const entries = await readdir(file, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && /^train-images-idx3-ubyte(\.gz)?$/.test(e.name))) return 'idx';
  if (entries.some((e) => e.isDirectory())) return 'image-folder';
  if (entries.some((e) => e.isFile() && IMAGE.test(e.name))) return 'image-folder';
  return 'text';
}

/**
 * The dataset a command-line argument names: a built-in's id, or a file or folder whose
 * kind is found from its name and contents, with the options that kind takes.
 */
export async function sourceFromArgument(arg: string, options: SourceOptions = {}): Promise<DatasetSource> {
  const builtin = (BUILTIN_DATASETS as readonly string[]).includes(arg) && !options.kind;
  const kind = builtin ? 'builtin' : (options.kind ?? (await kindOf(arg)));
  const raw: Record<string, unknown> =
    kind === 'builtin'
      ? { kind, id: arg as BuiltinDatasetId, size: options.count, noise: options.noise, vocabulary: options.vocabulary, length: options.length }
      : { kind, path: path.resolve(arg), testFraction: options.testFraction };
  if (kind === 'csv') Object.assign(raw, { target: options.target, features: options.features, categories: options.categories, missing: options.missing, standardize: options.standardize });
  if (kind === 'image-folder') Object.assign(raw, { size: options.size, color: options.color });
  if (kind === 'text') Object.assign(raw, { level: options.level, length: options.length, stride: options.stride, vocabulary: options.vocabulary });
  if (kind === 'idx' || kind === 'npy') Object.assign(raw, { labels: options.labels ? path.resolve(options.labels) : undefined });
  for (const key of Object.keys(raw)) if (raw[key] === undefined) delete raw[key];
  const parsed = datasetSourceSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${arg}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
