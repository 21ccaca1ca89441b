import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { open, readFile, realpath, stat, type FileHandle } from 'node:fs/promises';

/**
 * How every file NetCanvas reads is opened: a named pipe must not wait for a writer
 * (O_NONBLOCK), and a link put in the file's place is not followed (O_NOFOLLOW), where the
 * system has them.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);
const CHUNK = 1024 * 1024;

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

/** What a file that is not a regular file is, in words: "a device", "a folder"… */
export function specialKind(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isSocket()) return 'a socket';
  if (info.isSymbolicLink()) return 'a link';
  return 'not a regular file';
}

/**
 * Why a file was not read: `not-a-file` (a folder, device, pipe or socket), `too-big` (its size
 * is over the limit), `grew` (it held more than its size said, and reading stopped at the
 * limit), `changed` (what was opened is not the file that was checked: a link was put in its
 * place). The message is plain; callers that know what the file is for say more.
 */
export class ReadRefused extends Error {
  constructor(
    readonly reason: 'not-a-file' | 'too-big' | 'grew' | 'changed',
    readonly file: string,
    /** The opened file's own size and kind. */
    readonly info: Stats,
    readonly limit: number,
  ) {
    super(
      reason === 'not-a-file'
        ? `${file} is ${specialKind(info)}, not a regular file.`
        : reason === 'too-big'
          ? `${file} is ${formatBytes(info.size)}, more than the ${formatBytes(limit)} NetCanvas reads from it.`
          : reason === 'grew'
            ? `${file} has more than the ${formatBytes(limit)} NetCanvas reads from it; reading stopped there.`
            : `${file} changed while NetCanvas opened it (something else was put in its place), so it was not read.`,
    );
    this.name = 'ReadRefused';
  }
}

export interface ReadOptions {
  /** The most bytes read; a file whose size says more is refused before reading. */
  limit: number;
  /**
   * `file` is a real path that was checked: after opening, it must still be one (no link in
   * any part) and name the very file that was opened, so a link swapped in between is refused.
   */
  checkedReal?: boolean;
}

/** Files inside Electron's app.asar are read through its patched fs, which gives no file handles; they are the app's own and do not change. */
const inAsar = (file: string) => file.split(/[\\/]/).some((part) => part.toLowerCase().endsWith('.asar'));

/** Why a file of this size and kind is not read (`not-a-file`, `too-big`), or null when it may be. */
export function refusalOf(file: string, info: Stats, limit: number): ReadRefused | null {
  if (!info.isFile()) return new ReadRefused('not-a-file', file, info, limit);
  if (info.size > limit) return new ReadRefused('too-big', file, info, limit);
  return null;
}

function checkOpened(file: string, info: Stats, options: ReadOptions): void {
  const refused = refusalOf(file, info, options.limit);
  if (refused) throw refused;
}

/** O_NOFOLLOW's refusal of a link; a link that leads nowhere is reported as missing (its target's ENOENT) instead. */
const isLinkError = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ELOOP';

const sameFile = (a: Stats, b: Stats) => a.dev === b.dev && a.ino === b.ino;

/** The next read's size: what the file said it holds plus one byte (to see one that grew), then 64 KB at a time, never past the limit's next byte. */
const nextRead = (total: number, info: Stats, limit: number): number =>
  Math.min(limit - total + 1, total < info.size ? Math.min(CHUNK, info.size - total + 1) : 64 * 1024);

/** Opens a regular file of at most `limit` bytes; OS errors (ENOENT, EACCES, ELOOP for a link) are thrown as they are. */
async function openChecked(file: string, options: ReadOptions): Promise<{ handle: FileHandle; info: Stats }> {
  const handle = await open(file, OPEN_FLAGS).catch(async (err: unknown) => {
    throw isLinkError(err) ? await stat(file).then(() => err, (missing: unknown) => missing) : err;
  });
  try {
    const info = await handle.stat();
    checkOpened(file, info, options);
    if (options.checkedReal) {
      const now = await realpath(file).catch(() => null);
      const there = now === file ? await stat(file).catch(() => null) : null;
      if (!there || !sameFile(there, info)) throw new ReadRefused('changed', file, info, options.limit);
    }
    return { handle, info };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** A file's bytes, `CHUNK` at a time, checked as `openChecked` does; a file that grows past `limit` stops there (`grew`). */
export async function* readChunks(file: string, options: ReadOptions): AsyncGenerator<Buffer> {
  yield* chunksOf(await openChecked(file, options), file, options.limit);
}

/** The chunks of an opened file, which is closed when they end or are abandoned. */
async function* chunksOf({ handle, info }: { handle: FileHandle; info: Stats }, file: string, limit: number): AsyncGenerator<Buffer> {
  try {
    let total = 0;
    for (;;) {
      const want = nextRead(total, info, limit);
      const buffer = Buffer.allocUnsafe(want);
      const { bytesRead } = await handle.read(buffer, 0, want, null);
      if (bytesRead === 0) return;
      total += bytesRead;
      if (total > limit) throw new ReadRefused('grew', file, info, limit);
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
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

/**
 * The bytes of a regular file of at most `limit` bytes, and its size and times as opened: a
 * folder, device, pipe or socket is refused without waiting, a file over the limit before it
 * is read, one that grows past it once it does (`ReadRefused`). OS errors are thrown as they are.
 */
export async function readCapped(file: string, options: ReadOptions): Promise<{ bytes: Buffer; info: Stats }> {
  if (inAsar(file)) {
    const info = await stat(file);
    checkOpened(file, info, options);
    return { bytes: await readFile(file), info };
  }
  const opened = await openChecked(file, options);
  const parts: Buffer[] = [];
  for await (const chunk of chunksOf(opened, file, options.limit)) parts.push(chunk);
  return { bytes: Buffer.concat(parts), info: opened.info };
}

/** A file's first `count` bytes (fewer when it is shorter), after the checks of a full read. */
export async function readHead(file: string, count: number, options: ReadOptions): Promise<Uint8Array> {
  const { handle } = await openChecked(file, options);
  try {
    const buffer = new Uint8Array(count);
    const { bytesRead } = await handle.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** `readCapped` for synchronous callers: the Trainer's batches, which read images one by one. */
export function readCappedSync(file: string, options: ReadOptions): Buffer {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (err) {
    if (isLinkError(err)) statSync(file);
    throw err;
  }
  try {
    const info = fstatSync(fd);
    checkOpened(file, info, options);
    if (options.checkedReal) {
      let there: Stats | null = null;
      try {
        if (realpathSync.native(file) === file) there = statSync(file);
      } catch {
        there = null;
      }
      if (!there || !sameFile(there, info)) throw new ReadRefused('changed', file, info, options.limit);
    }
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = nextRead(total, info, options.limit);
      const buffer = Buffer.allocUnsafe(want);
      const bytesRead = readSync(fd, buffer, 0, want, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > options.limit) throw new ReadRefused('grew', file, info, options.limit);
      parts.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(parts, total);
  } finally {
    closeSync(fd);
  }
}

