import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiFailure } from './failure.js';
import { formatBytes, readCapped, ReadRefused, specialKind } from '../files/read.js';

/** Larger files are refused before reading: no project comes near this, and memory stays safe. */
const MAX_READ_BYTES = 32 * 1024 * 1024;

/**
 * A project's text, refused over MAX_READ_BYTES: whether opened, saved, kept as a recovery copy
 * or sent to train, a project that large could not be opened again. `what` names it in the message.
 */
export function checkProjectSize(text: string, what: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= MAX_READ_BYTES) return;
  throw new ApiFailure(
    'INVALID_PROJECT',
    `${what} is ${formatBytes(bytes)}; NetCanvas keeps projects of up to ${formatBytes(MAX_READ_BYTES)}. A network's file is usually well under 1 MB: look for data pasted into it, such as very long notes or names.`,
  );
}

/** The project as JSON text, refused when over the size a project may have. */
export function projectText(project: unknown, what: string, indent?: number): string {
  const text = JSON.stringify(project, null, indent);
  checkProjectSize(text, what);
  return text;
}

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code;

/** The disk's complaint in plain words, for an IO failure that names the file. */
export function ioFailure(err: unknown, file: string, doing: 'read' | 'write'): ApiFailure {
  const why: Record<string, string> = {
    ENOENT: `the folder ${path.dirname(file)} does not exist`,
    ENOTDIR: `part of the path ${path.dirname(file)} is not a folder`,
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    EROFS: 'the disk is read-only',
    EISDIR: 'it is a folder',
    ELOOP: 'it is a link, which NetCanvas does not follow here',
  };
  const reason = why[errno(err) ?? ''] ?? (err as Error).message;
  return new ApiFailure('IO', `Could not ${doing} ${file}: ${reason}.`);
}

/** Whether something exists at the path; errors other than "missing" are the disk's to report. */
export async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (err) {
    if (errno(err) === 'ENOENT') return false;
    throw ioFailure(err, file, 'read');
  }
}

export async function isFolder(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A file's text and modification time, read through the one capped reader: NOT_FOUND when
 * missing; FILE_REFUSED for a folder, device, pipe or socket (never waited on); INVALID_PROJECT
 * over MAX_READ_BYTES, also for a file that grows past it while being read.
 */
export async function readLimited(file: string): Promise<{ text: string; modifiedAt: Date }> {
  try {
    const { bytes, info } = await readCapped(file, { limit: MAX_READ_BYTES });
    return { text: bytes.toString('utf8'), modifiedAt: info.mtime };
  } catch (err) {
    if (err instanceof ReadRefused) {
      if (err.reason === 'not-a-file') throw new ApiFailure('FILE_REFUSED', `${file} is ${specialKind(err.info)}, not a project file.`);
      const size = err.reason === 'too-big' ? ` is ${formatBytes(err.info.size)};` : ` holds more than ${formatBytes(MAX_READ_BYTES)};`;
      throw new ApiFailure('INVALID_PROJECT', `${file}${size} NetCanvas opens files of up to ${formatBytes(MAX_READ_BYTES)}.`);
    }
    if (errno(err) === 'ENOENT') throw new ApiFailure('NOT_FOUND', `There is no file at ${file}.`);
    throw ioFailure(err, file, 'read');
  }
}
