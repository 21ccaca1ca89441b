import type { Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { DatasetError, unreadable } from './dataset.js';
import type { UserSource } from '../../shared/data/source.js';
import { isInside, realOrNearest, realOrNearestSync } from '../files/inside.js';
import { collectCapped, formatBytes, readCappedSync, readChunks, readHead, ReadRefused, refusalOf, specialKind } from '../files/read.js';

export { collectCapped, formatBytes, specialKind };

/** What a file is read as; each has its own size limit. */
export type ReadKind = 'table' | 'text' | 'image' | 'array';
export type ReadLimits = Record<ReadKind, number>;

const MB = 1024 * 1024;

/**
 * The most NetCanvas reads of one file. Tables and texts become one string, and V8's strings
 * stop at about 512 million characters; Node reads at most 2 GiB into one buffer.
 */
export const READ_LIMITS: ReadLimits = { table: 256 * MB, text: 256 * MB, image: 64 * MB, array: 2048 * MB };

const KIND_WORDS: Record<ReadKind, string> = { table: 'table file', text: 'text file', image: 'image', array: 'NumPy or IDX file' };

/**
 * Which paths data may be read from, as plain data that also travels to the Trainer process:
 * `allowed` lists real paths of folders (and everything inside) and files; null allows any path.
 */
export interface DataRule {
  allowed: readonly string[] | null;
  /** Why a path outside `allowed` is refused, and what to do: ends a sentence. */
  refusal: string;
  /** Real paths of NetCanvas's own folders (its state and runs), never read as data whatever `allowed` says. */
  never?: readonly string[];
  limits?: Partial<ReadLimits>;
}

export const ANY_PATH: DataRule = { allowed: null, refusal: '' };

/** FORBIDDEN: the rule does not allow the path. FILE_REFUSED: not a regular file, or too big. */
export type AccessCode = 'FORBIDDEN' | 'FILE_REFUSED';

/** A path the rule does not allow, a file that is no regular file, or one too big: refused before it is read. */
export class DataAccessError extends DatasetError {
  constructor(
    readonly code: AccessCode,
    message: string,
    file: string,
  ) {
    super(message, [{ file, message }]);
    this.name = 'DataAccessError';
  }
}

/** The first hidden name (one starting with a dot) in `real` below `root`, or null. */
function hiddenBelow(root: string, real: string): string | null {
  return path.relative(root, real).split(path.sep).find((part) => part.startsWith('.')) ?? null;
}

/** What a folder listing found: files and folders to read (names, unsorted), and entries skipped with the reason in words. */
export interface FolderListing {
  files: string[];
  folders: string[];
  skipped: { name: string; message: string }[];
}

/**
 * The one gate every read of a user's data goes through: the path (links resolved) must be
 * allowed by the rule, the file must be a regular file, and it may not be bigger than its
 * kind's limit; text is read in chunks and reading stops at the limit. Inside the allowed
 * folders, hidden files and folders (names starting with a dot: keys, settings) are never
 * read, and NetCanvas's own folders are never read anywhere. Folders are listed through
 * `list`, which leaves out what may not be read.
 */
export class DataAccess {
  private readonly rule: () => DataRule;

  constructor(rule: DataRule | (() => DataRule) = ANY_PATH) {
    this.rule = typeof rule === 'function' ? rule : () => rule;
  }

  /** Changes when the rule does, for caches of what a folder listing found. */
  key(): string {
    const { allowed, never, limits } = this.rule();
    return JSON.stringify([allowed, never ?? [], limits ?? null]);
  }

  limit(kind: ReadKind): number {
    return this.rule().limits?.[kind] ?? READ_LIMITS[kind];
  }

  /** Why `real` (the real path of `file`) may not be read, or null when it may. */
  private refusal(file: string, real: string): string | null {
    const { allowed, refusal, never = [] } = this.rule();
    const shown = path.resolve(file);
    const what = `NetCanvas may not read ${shown}${real === shown ? '' : `, a link to ${real},`}`;
    const own = never.find((dir) => isInside(dir, real));
    if (own !== undefined) return `${what}: it is in ${own}, where NetCanvas keeps its own files (recovery copies, runs), which are never read as data.`;
    if (allowed === null) return null;
    const roots = allowed.filter((root) => isInside(root, real));
    if (roots.length === 0) return `${what}: ${refusal}`;
    if (roots.some((root) => hiddenBelow(root, real) === null)) return null;
    return `${what}: ${hiddenBelow(roots[0]!, real)} is hidden (its name starts with a dot), and NetCanvas never reads hidden files or folders, which hold keys and settings.`;
  }

  /** The real path of a file or folder the rule allows (a missing one too, for its reader to report); FORBIDDEN otherwise. */
  async resolve(file: string): Promise<string> {
    const real = await realOrNearest(file);
    const why = this.refusal(file, real);
    if (why) throw new DataAccessError('FORBIDDEN', why, file);
    return real;
  }

  resolveSync(file: string): string {
    const real = realOrNearestSync(file);
    const why = this.refusal(file, real);
    if (why) throw new DataAccessError('FORBIDDEN', why, file);
    return real;
  }

  /**
   * A folder's entries that may be read, links counted as what they lead to (a broken one as a
   * file, so that reading it says why). Hidden names, devices, pipes and sockets are left out
   * without a word; links leading where data may not be read, and NetCanvas's own folders, are
   * skipped with a sentence naming them. The folder itself must be allowed (FORBIDDEN), and an
   * error listing it is thrown as it is.
   */
  async list(dir: string): Promise<FolderListing> {
    const realDir = await this.resolve(dir);
    const listing: FolderListing = { files: [], folders: [], skipped: [] };
    for (const entry of await readdir(realDir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const link = entry.isSymbolicLink();
      let real = path.join(realDir, entry.name);
      let kind: 'file' | 'folder' | null = entry.isFile() ? 'file' : entry.isDirectory() ? 'folder' : null;
      if (link) {
        const target = await realpath(real).catch(() => null);
        const info = target === null ? null : await stat(target).catch(() => null);
        kind = info === null ? 'file' : info.isFile() ? 'file' : info.isDirectory() ? 'folder' : null;
        if (target !== null) real = target;
      }
      if (kind === null) continue;
      if (this.refusal(real, real)) {
        const where = link ? 'a link to a place' : 'in a place';
        listing.skipped.push({ name: entry.name, message: `${entry.name} is ${where} NetCanvas may not read data from; it is skipped.` });
        continue;
      }
      (kind === 'file' ? listing.files : listing.folders).push(entry.name);
    }
    return listing;
  }

  /**
   * Checks a source before anything of it is read: its path and labels file are allowed,
   * each a regular file (of at most its kind's limit) or a folder. A missing path passes,
   * for the reader to say which file it looked for.
   */
  async checkSource(source: UserSource): Promise<void> {
    const kind: ReadKind = source.kind === 'csv' ? 'table' : source.kind === 'text' ? 'text' : source.kind === 'image-folder' ? 'image' : 'array';
    const files = [source.path, ...((source.kind === 'idx' || source.kind === 'npy') && source.labels ? [source.labels] : [])];
    for (const file of files) {
      const real = await this.resolve(file);
      const info = await stat(real).catch(() => null);
      if (!info || info.isDirectory()) continue;
      const refused = refusalOf(real, info, this.limit(kind));
      if (refused) throw this.refused(file, kind, refused);
    }
  }

  /** The refusal of the reader in this gate's words, naming the path as it was asked for. */
  private refused(file: string, kind: ReadKind, err: ReadRefused): DataAccessError {
    switch (err.reason) {
      case 'not-a-file':
        return new DataAccessError(
          'FILE_REFUSED',
          err.info.isDirectory()
            ? `${file} is a folder: name the ${KIND_WORDS[kind]} itself.`
            : `${file} is ${specialKind(err.info)}, not a regular file: NetCanvas reads data only from regular files and folders.`,
          file,
        );
      case 'too-big':
        return new DataAccessError('FILE_REFUSED', `${file} is ${formatBytes(err.info.size)}, more than the ${formatBytes(err.limit)} NetCanvas reads from one ${KIND_WORDS[kind]}.`, file);
      case 'grew':
        return this.tooBig(file, kind);
      case 'changed':
        return new DataAccessError('FORBIDDEN', `${file} changed while NetCanvas opened it (a link was put in its place), so it was not read.`, file);
    }
  }

  /** A file found bigger while reading than it said it was: reading stops at the limit. */
  tooBig(file: string, kind: ReadKind): DataAccessError {
    return new DataAccessError('FILE_REFUSED', `${file} has more than the ${formatBytes(this.limit(kind))} NetCanvas reads from one ${KIND_WORDS[kind]}; reading stopped there.`, file);
  }

  private translate(file: string, kind: ReadKind, err: unknown): unknown {
    return err instanceof ReadRefused ? this.refused(file, kind, err) : err;
  }

  /** A file's bytes, refused unless allowed, regular and within the limit of `kind`. */
  async readFile(file: string, kind: ReadKind): Promise<Buffer> {
    return collectCapped(this.chunks(file, kind), this.limit(kind), () => this.tooBig(file, kind));
  }

  /** The file's bytes a chunk at a time; the opened file itself is checked, so a swap after the check does not get through. */
  async *chunks(file: string, kind: ReadKind): AsyncGenerator<Buffer> {
    const real = await this.resolve(file);
    try {
      yield* readChunks(real, { limit: this.limit(kind), checkedReal: true });
    } catch (err) {
      throw this.translate(file, kind, err);
    }
  }

  /** A file's first `count` bytes (fewer when it is shorter), after the same checks as a full read. */
  async head(file: string, kind: ReadKind, count: number): Promise<Uint8Array> {
    const real = await this.resolve(file);
    try {
      return await readHead(real, count, { limit: this.limit(kind), checkedReal: true });
    } catch (err) {
      throw this.translate(file, kind, err);
    }
  }

  /** The same as `readFile`, for the Trainer's batches, which read images synchronously. */
  readFileSync(file: string, kind: ReadKind): Buffer {
    const real = this.resolveSync(file);
    try {
      return readCappedSync(real, { limit: this.limit(kind), checkedReal: true });
    } catch (err) {
      throw this.translate(file, kind, err);
    }
  }
}

/** A user's file's bytes through `access`; a file that cannot be read stops the load with its name and error code. */
export async function readSourceFile(file: string, access: DataAccess, kind: ReadKind = 'array'): Promise<Buffer> {
  try {
    return await access.readFile(file, kind);
  } catch (err) {
    if (err instanceof DataAccessError) throw err;
    throw unreadable(file, err);
  }
}
