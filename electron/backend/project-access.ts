import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ApiFailure } from './failure.js';
import { ioFailure } from './project-disk.js';
import type { RecentList } from './recent.js';
import { isInside, realOrNearest } from '../files/inside.js';
import { specialKind } from '../files/read.js';

/**
 * Which project files a request may read or write. Requests come from a page that trusts
 * nothing: only `.json` files in the projects folder, or ones the user chose or opened.
 */
export class ProjectAccess {
  /** Chosen in a dialog, opened or saved this session, or named by a recovery copy. */
  private readonly granted = new Set<string>();

  constructor(
    private readonly projectsDir: string,
    private readonly recent: RecentList,
    /** The CLI's files come from the user's own command line: no folder rule for them. */
    private readonly trustAll = false,
  ) {}

  grant(file: string): void {
    this.granted.add(path.resolve(file));
  }

  /**
   * The absolute path, when the Backend may use it; FORBIDDEN in plain words otherwise, and
   * FILE_REFUSED for a folder or another file that is not a regular one. A missing file passes.
   * Links are resolved in the folders above the file too: a link inside the projects folder
   * must not lead a request out of it.
   */
  async check(file: string, use: 'open' | 'write' = 'write'): Promise<string> {
    const resolved = path.resolve(file);
    // The file itself may not exist yet: its folder's real path, then its name.
    const inFolder = path.join(await realOrNearest(path.dirname(resolved)), path.basename(resolved));
    const why = await this.refusal(resolved, inFolder, use);
    if (why) {
      const link = inFolder === resolved ? '' : `, which is ${inFolder}`;
      throw new ApiFailure('FORBIDDEN', `NetCanvas may not use ${resolved}${link}: ${why}.`);
    }
    let info;
    try {
      info = await lstat(resolved);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return resolved;
      throw ioFailure(err, resolved, 'read');
    }
    if (info.isSymbolicLink()) {
      const real = await realpath(resolved).catch(() => null);
      if (!real) throw new ApiFailure('FORBIDDEN', `${resolved} is a link to a file that does not exist.`);
      const whyReal = await this.refusal(real, real, use);
      if (whyReal) throw new ApiFailure('FORBIDDEN', `NetCanvas may not use ${resolved}, a link to ${real}: ${whyReal}.`);
      const target = await lstat(real);
      if (!target.isFile()) throw new ApiFailure('FILE_REFUSED', `${resolved} is a link to ${real}, which is ${specialKind(target)}, not a project file.`);
      return real;
    }
    if (!info.isFile()) throw new ApiFailure('FILE_REFUSED', `${resolved} is ${specialKind(info)}, not a project file.`);
    return resolved;
  }

  /** Why the path may not be used, or null when it may; `real` is where it is with links above it resolved. */
  private async refusal(resolved: string, real: string, use: 'open' | 'write'): Promise<string | null> {
    // A Keras model saved whole in an .h5 file is opened too, never written.
    const kinds = use === 'open' ? /\.(json|h5|hdf5)$/i : /\.json$/i;
    if (!kinds.test(resolved)) return use === 'open' ? 'NetCanvas opens only .json project files, .json models and Keras .h5 models' : 'NetCanvas reads and writes only .json project files';
    if (this.trustAll || this.granted.has(resolved) || (await this.recent.has(resolved))) return null;
    const projectsDir = await realOrNearest(this.projectsDir);
    if (real !== projectsDir && isInside(projectsDir, real)) return null;
    return `it is outside the projects folder ${this.projectsDir} and was not chosen in a dialog or opened before`;
  }
}
