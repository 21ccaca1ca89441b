import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

const tempName = (target: string) => `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;

/**
 * Flushes a folder's entries (a rename into it) to disk. Windows cannot open a folder to
 * flush it, and some file systems refuse; there the rename is as durable as they make it.
 */
async function syncFolder(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EBADF') throw err;
  } finally {
    await handle.close();
  }
}

/** Writes and flushes a file that nobody reads yet. */
async function writeFlushed(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Makes `target` (a file or a folder) appear whole or not at all: `build` makes it at a
 * temporary path beside it, which is then renamed into place, and the folder is flushed so the
 * rename survives a power cut. Whatever `build` left there is removed when anything fails.
 */
async function renameIntoPlace(target: string, build: (temp: string) => Promise<void>): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temp = tempName(target);
  try {
    await build(temp);
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
  await syncFolder(path.dirname(target));
}

/**
 * Writes a file so that a reader sees the old contents or the new, never half of either:
 * the data goes to a temporary file beside it, is flushed to disk, then renamed over it, and
 * the folder is flushed so the rename survives a power cut.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await renameIntoPlace(file, (temp) => writeFlushed(temp, data));
}

async function copyInto(from: string, to: string): Promise<void> {
  await mkdir(to);
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) await copyInto(source, target);
    else if (entry.isFile()) await writeFlushed(target, await readFile(source));
  }
  await syncFolder(to);
}

/**
 * Copies a folder to a new one that appears whole or not at all: the copy is made in a
 * temporary folder beside the target, then renamed. Refused when the target exists.
 */
export async function copyFolderAtomic(from: string, to: string): Promise<void> {
  const exists = await lstat(to).then(() => true, (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? false : Promise.reject(err)));
  if (exists) throw Object.assign(new Error(`EEXIST: ${to} already exists`), { code: 'EEXIST' });
  await renameIntoPlace(to, (temp) => copyInto(from, temp));
}
