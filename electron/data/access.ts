import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { DatasetError, unreadable } from './dataset.js';
import type { UserSource } from '../../shared/data/source.js';

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
  limits?: Partial<ReadLimits>;
}

export const ANY_PATH: DataRule = { allowed: null, refusal: '' };

export type AccessCode = 'FORBIDDEN' | 'INVALID_REQUEST';

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

/** 1.5 GB, 300 MB, 12 KB, 80 bytes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1).replace(/\.0$/, '')} ${units[unit]}`;
}

/** What a file that is not a regular file or folder is, in words. */
export function specialKind(info: Stats): string {
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

const inside = (root: string, file: string): boolean => {
  if (file === root) return true;
  const relative = path.relative(root, file);
  return relative !== '' && !path.isAbsolute(relative) && relative.split(path.sep)[0] !== '..';
};

/** The real path of `file`, or of its nearest existing folder joined with the rest when it does not exist. */
async function realOrNearest(file: string): Promise<string> {
  const resolved = path.resolve(file);
  try {
    return await realpath(resolved);
  } catch (err) {
    const parent = path.dirname(resolved);
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === resolved) return resolved;
    return path.join(await realOrNearest(parent), path.basename(resolved));
  }
}

function realOrNearestSync(file: string): string {
  const resolved = path.resolve(file);
  try {
    return realpathSync.native(resolved);
  } catch (err) {
    const parent = path.dirname(resolved);
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === resolved) return resolved;
    return path.join(realOrNearestSync(parent), path.basename(resolved));
  }
}

/** Opening a named pipe must not wait for a writer; regular files read as usual. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const CHUNK = 1024 * 1024;

/**
 * The one gate every read of a user's data goes through: the path (links resolved) must be
 * allowed by the rule, the file must be a regular file, and it may not be bigger than its
 * kind's limit; text is read in chunks and reading stops at the limit. Folder listings ask
 * `listable` so that special files and links leading outside are left out.
 */
export class DataAccess {
  private readonly rule: () => DataRule;

  constructor(rule: DataRule | (() => DataRule) = ANY_PATH) {
    this.rule = typeof rule === 'function' ? rule : () => rule;
  }

  /** Changes when the rule does, for caches of what a folder listing found. */
  key(): string {
    const { allowed, limits } = this.rule();
    return JSON.stringify([allowed, limits ?? null]);
  }

  limit(kind: ReadKind): number {
    return this.rule().limits?.[kind] ?? READ_LIMITS[kind];
  }

  /** Why `real` may not be read, or null when it may. */
  private refusal(file: string, real: string): string | null {
    const { allowed, refusal } = this.rule();
    if (allowed === null || allowed.some((root) => inside(root, real))) return null;
    const shown = path.resolve(file);
    const link = real === shown ? '' : `, a link to ${real},`;
    return `NetCanvas may not read ${shown}${link}: ${refusal}`;
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
   * What a folder listing makes of an entry (a link counted as what it leads to): a file or
   * folder; 'outside' for a link leading where data may not be read; null for a device, pipe
   * or socket, which no listing shows.
   */
  async listable(file: string): Promise<'file' | 'folder' | 'outside' | null> {
    let real: string;
    try {
      real = await realpath(file);
    } catch {
      // A broken link is listed as a file, so that reading it says why.
      return 'file';
    }
    if (this.refusal(file, real)) return 'outside';
    const info = await stat(real).catch(() => null);
    if (!info) return 'file';
    return info.isFile() ? 'file' : info.isDirectory() ? 'folder' : null;
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
      this.checkFile(file, info, kind);
    }
  }

  private checkFile(file: string, info: Stats, kind: ReadKind): void {
    if (!info.isFile()) {
      throw new DataAccessError('INVALID_REQUEST', `${file} is ${specialKind(info)}, not a regular file: NetCanvas reads data only from regular files and folders.`, file);
    }
    if (info.size > this.limit(kind)) {
      throw new DataAccessError('INVALID_REQUEST', `${file} is ${formatBytes(info.size)}, more than the ${formatBytes(this.limit(kind))} NetCanvas reads from one ${KIND_WORDS[kind]}.`, file);
    }
  }

  /** A file found bigger while reading than it said it was: reading stops at the limit. */
  tooBig(file: string, kind: ReadKind): DataAccessError {
    return new DataAccessError('INVALID_REQUEST', `${file} has more than the ${formatBytes(this.limit(kind))} NetCanvas reads from one ${KIND_WORDS[kind]}; reading stopped there.`, file);
  }

  /** A file's bytes, refused unless allowed, regular and within the limit of `kind`. */
  async readFile(file: string, kind: ReadKind): Promise<Buffer> {
    return collectCapped(this.chunks(file, kind), this.limit(kind), () => this.tooBig(file, kind));
  }

  /** The file's bytes, `CHUNK` at a time; the opened file itself is checked, so a swap after the check does not get through. */
  async *chunks(file: string, kind: ReadKind): AsyncGenerator<Buffer> {
    const real = await this.resolve(file);
    this.checkFile(file, await stat(real), kind);
    const handle = await open(real, OPEN_FLAGS);
    try {
      this.checkFile(file, await handle.stat(), kind);
      for (;;) {
        const buffer = Buffer.allocUnsafe(CHUNK);
        const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
        if (bytesRead === 0) return;
        yield buffer.subarray(0, bytesRead);
      }
    } finally {
      await handle.close();
    }
  }

  /** A file's first `count` bytes (fewer when it is shorter), after the same checks as a full read. */
  async head(file: string, kind: ReadKind, count: number): Promise<Uint8Array> {
    const real = await this.resolve(file);
    this.checkFile(file, await stat(real), kind);
    const handle = await open(real, OPEN_FLAGS);
    try {
      this.checkFile(file, await handle.stat(), kind);
      const buffer = new Uint8Array(count);
      const { bytesRead } = await handle.read(buffer, 0, count, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  /** The same as `readFile`, for the Trainer's batches, which read images synchronously. */
  readFileSync(file: string, kind: ReadKind): Buffer {
    const real = this.resolveSync(file);
    this.checkFile(file, statSync(real), kind);
    const fd = openSync(real, OPEN_FLAGS);
    try {
      const info = fstatSync(fd);
      this.checkFile(file, info, kind);
      const limit = this.limit(kind);
      const parts: Buffer[] = [];
      let total = 0;
      for (;;) {
        // The size it said plus one byte, to see a file that grew; then on in chunks.
        const buffer = Buffer.allocUnsafe(total < info.size ? Math.min(CHUNK, info.size - total + 1) : 64 * 1024);
        const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        total += bytesRead;
        if (total > limit) throw this.tooBig(file, kind);
        parts.push(buffer.subarray(0, bytesRead));
      }
      return Buffer.concat(parts, total);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Chunks joined into one buffer, reading no further once they pass `limit` bytes: `tooBig()`
 * is thrown then, and the source is closed (a generator's `finally` runs, a stream is destroyed).
 */
export async function collectCapped(chunks: AsyncIterable<Uint8Array>, limit: number, tooBig: () => Error): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > limit) throw tooBig();
    parts.push(chunk);
  }
  return Buffer.concat(parts, total);
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
