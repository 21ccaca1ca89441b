import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ApiFailure } from './failure.js';
import { ioFailure } from './project-disk.js';
import type { RecentList } from './recent.js';

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

  /** The absolute path, when the Backend may use it; FORBIDDEN in plain words otherwise. A missing file passes. */
  async check(file: string): Promise<string> {
    const resolved = path.resolve(file);
    const why = await this.refusal(resolved);
    if (why) throw new ApiFailure('FORBIDDEN', `NetCanvas may not use ${resolved}: ${why}.`);
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
      const whyReal = await this.refusal(real);
      if (whyReal) throw new ApiFailure('FORBIDDEN', `NetCanvas may not use ${resolved}, a link to ${real}: ${whyReal}.`);
      if (!(await lstat(real)).isFile()) throw new ApiFailure('FORBIDDEN', `${resolved} is a link to ${real}, which is not a file.`);
      return real;
    }
    if (info.isDirectory()) throw new ApiFailure('FORBIDDEN', `${resolved} is a folder, not a project file.`);
    if (!info.isFile()) throw new ApiFailure('FORBIDDEN', `${resolved} is not a regular file.`);
    return resolved;
  }

  /** Why the path may not be used, or null when it may. */
  private async refusal(resolved: string): Promise<string | null> {
    if (!/\.json$/i.test(resolved)) return 'NetCanvas reads and writes only .json project files';
    if (this.trustAll || this.inProjectsDir(resolved) || this.granted.has(resolved) || (await this.recent.has(resolved))) return null;
    return `it is outside the projects folder ${this.projectsDir} and was not chosen in a dialog or opened before`;
  }

  private inProjectsDir(resolved: string): boolean {
    const relative = path.relative(this.projectsDir, resolved);
    return relative !== '' && !path.isAbsolute(relative) && relative.split(path.sep)[0] !== '..';
  }
}
