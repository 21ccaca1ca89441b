import { realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApiFailure } from './failure.js';
import type { ProjectDialogs } from './projects.js';
import { ANY_PATH, DataAccess, DataAccessError, type DataRule, type ReadLimits } from '../data/access.js';
import { writeFileAtomic } from '../files/atomic.js';
import { toSource, type ProjectDataset } from '../../shared/data/source.js';

/**
 * Which dataset paths the Backend may read:
 * - `any`: the command line's, whose paths come from the user's own command;
 * - `roots`: browser mode's, only inside the folders named when the server started;
 * - `chosen`: the desktop app's, only files and folders the user chose in a native dialog
 *   (and what is inside a chosen folder), remembered in `grantsFile` across sessions.
 * Links are resolved before the check, and the rule travels with each run to its Trainer.
 */
export type DataAccessMode =
  | { kind: 'any' }
  | { kind: 'roots'; roots: readonly string[] }
  | { kind: 'chosen'; dialogs: ProjectDialogs | undefined; grantsFile: string };

/** The file in the state folder that remembers the desktop's chosen data paths. */
export const GRANTS_FILE = 'allowed-data.json';
/** Chosen paths remembered, the most recent kept. */
const GRANTS_KEPT = 1000;

const real = (folder: string): string => {
  try {
    return realpathSync.native(path.resolve(folder));
  } catch {
    return path.resolve(folder);
  }
};

/**
 * Browser mode's folders: those named by `--allow` and in NETCANVAS_ALLOW (separated by
 * path.delimiter), else the home folder and the projects folder. A named folder that is not
 * there is an Error naming it and where it was named.
 */
export function dataRoots(allow: readonly string[], env: string | undefined, projectsDir: string): string[] {
  const named = [...allow.map((folder) => ({ folder, from: '--allow' })), ...(env ?? '').split(path.delimiter).filter((f) => f.trim() !== '').map((folder) => ({ folder, from: 'NETCANVAS_ALLOW' }))];
  if (named.length === 0) return [...new Set([real(os.homedir()), real(projectsDir)])];
  for (const { folder, from } of named) {
    const info = (() => {
      try {
        return statSync(folder);
      } catch {
        return null;
      }
    })();
    if (!info) throw new Error(`${from} names ${folder}, which does not exist: name a folder that holds data.`);
    if (!info.isDirectory()) throw new Error(`${from} names ${folder}, which is a file: name the folder that holds it.`);
  }
  return [...new Set(named.map(({ folder }) => real(folder)))];
}

/** The Backend's side of the data rule: the check in words and codes, the desktop's chosen paths, the Trainer's copy. */
export class DataPaths {
  readonly access: DataAccess;
  private grants: string[] = [];
  private readonly loaded: Promise<void>;
  private writing: Promise<void> = Promise.resolve();

  private readonly mode: DataAccessMode;

  constructor(
    mode: DataAccessMode,
    private readonly limits: Partial<ReadLimits> = {},
  ) {
    this.mode = mode.kind === 'roots' ? { kind: 'roots', roots: [...new Set(mode.roots.map(real))] } : mode;
    this.access = new DataAccess(() => this.rule());
    this.loaded = mode.kind === 'chosen' ? this.loadGrants(mode.grantsFile) : Promise.resolve();
  }

  /** The rule as plain data, as it is now: what `access` applies and each Trainer is given. */
  rule(): DataRule {
    const limits = this.limits;
    switch (this.mode.kind) {
      case 'any':
        return { ...ANY_PATH, limits };
      case 'roots':
        return {
          allowed: this.mode.roots,
          refusal: `it is outside the folders this server reads data from (${this.mode.roots.join(', ')}). Move the data into one of them, or start netcanvas serve with --allow <folder>.`,
          limits,
        };
      case 'chosen':
        return { allowed: this.grants, refusal: 'it was not chosen in NetCanvas. Click Choose… beside the path and pick it, so that NetCanvas may read it.', limits };
    }
  }

  /** The folders browser mode reads from, for the server's banner; null when the rule is another. */
  roots(): readonly string[] | null {
    return this.mode.kind === 'roots' ? this.mode.roots : null;
  }

  /** Refuses a dataset the rule does not allow, or a file that is not a regular one or is too big: FORBIDDEN or INVALID_REQUEST, in words. */
  async check(dataset: ProjectDataset): Promise<void> {
    const source = toSource(dataset);
    if (source.kind === 'builtin') return;
    await this.loaded;
    try {
      await this.access.checkSource(source);
    } catch (err) {
      if (err instanceof DataAccessError) throw new ApiFailure(err.code, err.message);
      throw err;
    }
  }

  /** The desktop's dialog for a dataset's file or folder; what is chosen may be read from then on, also after a restart. */
  async choose(kind: 'file' | 'folder', defaultPath?: string): Promise<{ path: string } | { cancelled: true }> {
    const dialogs = this.mode.kind === 'chosen' ? this.mode.dialogs : undefined;
    if (!dialogs?.chooseData) {
      throw new ApiFailure('INVALID_REQUEST', 'There is no dialog to choose data with here: type the path of the file or folder instead.');
    }
    const chosen = await dialogs.chooseData(kind, defaultPath);
    if (chosen === null) return { cancelled: true };
    await this.grant(chosen);
    return { path: chosen };
  }

  private async grant(chosen: string): Promise<void> {
    if (this.mode.kind !== 'chosen') return;
    await this.loaded;
    const resolved = real(chosen);
    this.grants = [...this.grants.filter((g) => g !== resolved), resolved].slice(-GRANTS_KEPT);
    // One write after another, each of the whole list, so the last one on disk is the newest.
    const { grantsFile } = this.mode;
    const text = `${JSON.stringify({ paths: this.grants }, null, 2)}\n`;
    this.writing = this.writing.catch(() => {}).then(() => writeFileAtomic(grantsFile, text));
    await this.writing;
  }

  /** The remembered choices; a missing or damaged file remembers none (choosing again writes it anew). */
  private async loadGrants(file: string): Promise<void> {
    try {
      const saved = JSON.parse(await readFile(file, 'utf8')) as { paths?: unknown };
      if (Array.isArray(saved.paths)) this.grants = saved.paths.filter((p): p is string => typeof p === 'string' && path.isAbsolute(p));
    } catch {
      this.grants = [];
    }
  }
}
