import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiFailure } from './failure.js';
import type { ProjectDialogs } from './projects.js';
import { ANY_PATH, DataAccess, DataAccessError, type DataRule, type ReadLimits } from '../data/access.js';
import { writeFileAtomic } from '../files/atomic.js';
import { realOrNearestSync } from '../files/inside.js';
import { readCapped } from '../files/read.js';

/**
 * Which dataset paths the Backend may read:
 * - `any`: the command line's, whose paths come from the user's own command;
 * - `roots`: browser mode's, only inside the folders named when the server started;
 * - `chosen`: the desktop app's, only files and folders the user chose in a native dialog
 *   (and what is inside a chosen folder), remembered in `grantsFile` across sessions.
 * Links are resolved before the check, and the rule travels with each run to its Trainer.
 * Whatever the mode, NetCanvas's own folders (`own`: state, runs) are never read as data, and
 * inside the allowed folders hidden files and folders are not either.
 */
export type DataAccessMode =
  | { kind: 'any' }
  | { kind: 'roots'; roots: readonly string[] }
  | { kind: 'chosen'; dialogs: ProjectDialogs | undefined; grantsFile: string };

/** The file in the state folder that remembers the desktop's chosen data paths. */
export const GRANTS_FILE = 'allowed-data.json';
/** Chosen paths remembered, the most recent kept. */
const GRANTS_KEPT = 1000;

/** The remembered choices are a short list of paths; a bigger file is not them. */
const GRANTS_BYTES = 1024 * 1024;

/**
 * Browser mode's folders: those named by `--allow` and in NETCANVAS_ALLOW (separated by
 * path.delimiter), else the home folder and the projects folder. A named folder that is not
 * there is an Error naming it and where it was named.
 */
export function dataRoots(allow: readonly string[], env: string | undefined, projectsDir: string): string[] {
  const named = [...allow.map((folder) => ({ folder, from: '--allow' })), ...(env ?? '').split(path.delimiter).filter((f) => f.trim() !== '').map((folder) => ({ folder, from: 'NETCANVAS_ALLOW' }))];
  if (named.length === 0) return [...new Set([realOrNearestSync(os.homedir()), realOrNearestSync(projectsDir)])];
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
  return [...new Set(named.map(({ folder }) => realOrNearestSync(folder)))];
}

/** The Backend's side of the data rule: the check in words and codes, the desktop's chosen paths, the Trainer's copy. */
export class DataPaths {
  readonly access: DataAccess;
  private grants: string[] = [];
  private readonly loaded: Promise<void>;
  private writing: Promise<void> = Promise.resolve();

  private readonly mode: DataAccessMode;
  private readonly own: readonly string[];

  constructor(
    mode: DataAccessMode,
    private readonly limits: Partial<ReadLimits> = {},
    /** NetCanvas's own folders (its state folder and runs folder), never read as data. */
    own: readonly string[] = [],
  ) {
    this.mode = mode.kind === 'roots' ? { kind: 'roots', roots: [...new Set(mode.roots.map((folder) => realOrNearestSync(folder)))] } : mode;
    this.own = [...new Set(own.map((folder) => realOrNearestSync(folder)))];
    this.access = new DataAccess(() => this.rule());
    this.loaded = mode.kind === 'chosen' ? this.loadGrants(mode.grantsFile) : Promise.resolve();
  }

  /** The rule as plain data, as it is now: what `access` applies and each Trainer is given. */
  rule(): DataRule {
    const { limits, own: never } = this;
    switch (this.mode.kind) {
      case 'any':
        return { ...ANY_PATH, never, limits };
      case 'roots':
        return {
          allowed: this.mode.roots,
          refusal: `it is outside the folders this server reads data from (${this.mode.roots.join(', ')}). Move the data into one of them, or start netcanvas serve with --allow <folder>.`,
          never,
          limits,
        };
      case 'chosen':
        return { allowed: this.grants, refusal: 'it was not chosen in NetCanvas. Click Choose… beside the path and pick it, so that NetCanvas may read it.', never, limits };
    }
  }

  /** The folders browser mode reads from, for the server's banner; null when the rule is another. */
  roots(): readonly string[] | null {
    return this.mode.kind === 'roots' ? this.mode.roots : null;
  }

  /**
   * Runs `read`, a request's read of a dataset through `access`, once the desktop's remembered
   * choices are loaded; a path refused there (FORBIDDEN: not allowed; FILE_REFUSED: not a
   * regular file, too big) becomes the request's failure with that code, in words.
   */
  async guard<T>(read: () => Promise<T>): Promise<T> {
    await this.loaded;
    try {
      return await read();
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
    const resolved = realOrNearestSync(chosen);
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
      const saved = JSON.parse((await readCapped(file, { limit: GRANTS_BYTES })).bytes.toString('utf8')) as { paths?: unknown };
      if (Array.isArray(saved.paths)) this.grants = saved.paths.filter((p): p is string => typeof p === 'string' && path.isAbsolute(p));
    } catch {
      this.grants = [];
    }
  }
}
