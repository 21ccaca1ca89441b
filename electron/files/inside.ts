import { realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';

/**
 * Whether `file` is `root` or lies below it. Both must be real paths already (links resolved,
 * see `realOrNearest`): on unresolved paths a link inside `root` could lead anywhere.
 */
export function isInside(root: string, file: string): boolean {
  if (file === root) return true;
  const relative = path.relative(root, file);
  return relative !== '' && !path.isAbsolute(relative) && relative.split(path.sep)[0] !== '..';
}

const missing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * The real path of `file`, links resolved; for a path that does not exist (yet), the real path
 * of its deepest existing folder joined with the rest. A path that cannot be resolved for
 * another reason (permissions) is returned as it is, absolute.
 */
export async function realOrNearest(file: string): Promise<string> {
  const resolved = path.resolve(file);
  try {
    return await realpath(resolved);
  } catch (err) {
    const parent = path.dirname(resolved);
    if (!missing(err) || parent === resolved) return resolved;
    return path.join(await realOrNearest(parent), path.basename(resolved));
  }
}

/** `realOrNearest` for synchronous callers: the Trainer's batches and the server's start. */
export function realOrNearestSync(file: string): string {
  const resolved = path.resolve(file);
  try {
    return realpathSync.native(resolved);
  } catch (err) {
    const parent = path.dirname(resolved);
    if (!missing(err) || parent === resolved) return resolved;
    return path.join(realOrNearestSync(parent), path.basename(resolved));
  }
}
