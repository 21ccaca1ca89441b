import { stat } from 'node:fs/promises';
import { DataAccess } from './access.js';
import { builtinInfo, loadBuiltin, type DataDirs } from './builtins.js';
import { DatasetError, type LoadedDataset } from './dataset.js';
import { loadCsv } from './csv.js';
import { loadIdx } from './idx-files.js';
import { folderVersion, loadImageFolder } from './image-folder.js';
import { loadNpy } from './npy.js';
import { loadTextFiles } from './text-files.js';
import type { DatasetKind } from '../../shared/data/report.js';
import { toSource, type DatasetSource, type ProjectDataset } from '../../shared/data/source.js';

/**
 * Reads a dataset: a built-in from its package, or the user's file or folder with its
 * settings, every file through `access` (any path by default, as the command line names
 * them). The source is checked against `access` first, before anything of it is looked at.
 */
export async function readDataset(source: DatasetSource, dirs: DataDirs = {}, access = new DataAccess()): Promise<LoadedDataset> {
  if (source.kind !== 'builtin') await access.checkSource(source);
  return readChecked(source, dirs, undefined, access);
}

/** `readDataset` of a source `access` has checked already; `version` is the folder's `version(source)` when the caller has it. */
function readChecked(source: DatasetSource, dirs: DataDirs, version: string | undefined, access: DataAccess): Promise<LoadedDataset> {
  switch (source.kind) {
    case 'builtin':
      return loadBuiltin(source, dirs);
    case 'csv':
      return loadCsv(source, { access });
    case 'image-folder':
      return loadImageFolder(source, version, access);
    case 'text':
      return loadTextFiles(source, access);
    case 'idx':
      return loadIdx(source, access);
    case 'npy':
      return loadNpy(source, access);
  }
}

/** The kind of data a source gives, known before it is read. */
export function sourceKind(source: DatasetSource, dirs: DataDirs = {}): DatasetKind {
  switch (source.kind) {
    case 'builtin':
      return builtinInfo(source.id, dirs).kind;
    case 'csv':
      return 'table';
    case 'image-folder':
    case 'idx':
      return 'images';
    case 'text':
      return 'corpus';
    case 'npy':
      return 'table';
  }
}

/** A file's size and modification time, or a folder's `folderVersion`: what changes when the user edits it. */
async function pathVersion(file: string): Promise<string> {
  try {
    const s = await stat(file);
    return s.isDirectory() ? await folderVersion(file) : `${s.mtimeMs}:${s.size}`;
  } catch {
    return 'missing';
  }
}

/**
 * Changes when a user's data is edited, replaced, added to or taken from (a file inside a
 * folder, a labels file), so a cached read is not reused.
 */
export async function version(source: DatasetSource): Promise<string> {
  if (source.kind === 'builtin') return '';
  const labels = (source.kind === 'idx' || source.kind === 'npy') && source.labels ? `+${await pathVersion(source.labels)}` : '';
  return `${await pathVersion(source.path)}${labels}`;
}

/**
 * Datasets read in this process, newest last: a trial run and the real one, or a preview
 * and the next, read the files once. A user's file is read again once it changes.
 */
export class DatasetCache {
  private readonly entries = new Map<string, Promise<LoadedDataset>>();

  constructor(
    private readonly dirs: DataDirs = {},
    private readonly capacity = 4,
    /** Which paths may be read, and how much of each file: refused before anything of the source is looked at. */
    private readonly access = new DataAccess(),
  ) {}

  /** The one check of a source on the way to its files: before its version is taken (which lists a folder) and before a cached read is handed out. */
  async load(dataset: ProjectDataset): Promise<LoadedDataset> {
    const source = toSource(dataset);
    if (source.kind !== 'builtin') await this.access.checkSource(source);
    const current = await version(source);
    const key = `${JSON.stringify(source)}@${current}@${source.kind === 'builtin' ? (this.dirs[source.id] ?? '') : ''}`;
    let pending = this.entries.get(key);
    if (pending) {
      this.entries.delete(key);
    } else {
      pending = readChecked(source, this.dirs, current, this.access);
      pending.catch(() => this.entries.delete(key));
    }
    this.entries.set(key, pending);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return pending;
  }
}

export { DatasetError };
