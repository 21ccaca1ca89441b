import { lstat, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiFailure } from './failure.js';

/** Larger files are refused before reading: no project comes near this, and memory stays safe. */
export const MAX_READ_BYTES = 32 * 1024 * 1024;

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

/** A file's text and modification time; NOT_FOUND when missing, refused when over MAX_READ_BYTES. */
export async function readLimited(file: string): Promise<{ text: string; modifiedAt: Date }> {
  let info;
  try {
    info = await stat(file);
  } catch (err) {
    if (errno(err) === 'ENOENT') throw new ApiFailure('NOT_FOUND', `There is no file at ${file}.`);
    throw ioFailure(err, file, 'read');
  }
  if (info.size > MAX_READ_BYTES) {
    const mb = (info.size / 1024 / 1024).toFixed(1);
    throw new ApiFailure('INVALID_PROJECT', `${file} is ${mb} MB; NetCanvas opens files of up to ${MAX_READ_BYTES / 1024 / 1024} MB.`);
  }
  try {
    return { text: await readFile(file, 'utf8'), modifiedAt: info.mtime };
  } catch (err) {
    throw ioFailure(err, file, 'read');
  }
}
