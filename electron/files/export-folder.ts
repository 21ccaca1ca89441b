import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic.js';

/** One file of an export, relative to its folder (forward slashes). */
export interface FolderFile {
  path: string;
  data: string | Uint8Array;
}

/**
 * Writes an export's files into `folder` (made if missing), each atomically; files already
 * there under other names are left alone. Paths must stay inside the folder.
 */
export async function writeFolderFiles(folder: string, files: readonly FolderFile[]): Promise<string[]> {
  const root = path.resolve(folder);
  const written: string[] = [];
  for (const file of files) {
    const target = path.resolve(root, ...file.path.split('/'));
    if (!target.startsWith(root + path.sep)) throw new Error(`An export file "${file.path}" would land outside ${root}.`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFileAtomic(target, file.data);
    written.push(target);
  }
  return written;
}
