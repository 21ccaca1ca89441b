import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ownerAlive } from './run-owner.js';
import { savedRunSchema, type SavedRun } from '../../shared/api/contract.js';
import { writeFileAtomic } from '../files/atomic.js';
import { readCapped } from '../files/read.js';

/** The most read of one run's record (settings, curves, status); a bigger file is not one NetCanvas wrote. */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** Where runs of projects without a file are kept, unless the Backend is told otherwise. */
export function defaultRunsRoot(): string {
  return process.env.NETCANVAS_RUNS_DIR ?? path.join(os.homedir(), '.netcanvas', 'runs');
}

/** "2026-03-01 14:05 UTC": the time a message names. */
const when = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** What can be done with a run that ended before it finished: from its last checkpoint, when it wrote one. */
export function whatNext(checkpoints: SavedRun['checkpoints']): string {
  return checkpoints.last === null
    ? 'It had not finished an epoch, so there is no checkpoint to continue from: start training again.'
    : `You can start training again, or continue from the last checkpoint (epoch ${checkpoints.last}).`;
}

/**
 * A run whose record says it is running or paused, but whose NetCanvas is gone, as cut short
 * when its record was last written; null for any other. A record from before owners were
 * kept has no owner, and no NetCanvas that could still be writing it.
 */
function interruptedRun(run: SavedRun, lastWritten: Date): SavedRun | null {
  if (run.status !== 'running' && run.status !== 'paused') return null;
  if (run.owner && ownerAlive(run.owner)) return null;
  return {
    ...run,
    status: 'interrupted',
    endedAt: lastWritten.toISOString(),
    message: `Cut short at about ${when(lastWritten)}: the NetCanvas running it ended (closed, crashed or killed) before the run did. ${whatNext(run.checkpoints)}`,
  };
}

const slug = (name: string) => name.replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'network';

/**
 * Runs on disk: one folder per run holding `run.json` (settings, curves, status) and its
 * checkpoints. A project with a file keeps them beside it in `<name>.runs/`.
 */
export class RunStore {
  constructor(private readonly root: string) {}

  projectDir(projectName: string, projectPath?: string): string {
    if (projectPath) {
      const base = path.basename(projectPath).replace(/(\.netcanvas)?\.json$/i, '');
      return path.join(path.dirname(path.resolve(projectPath)), `${base}.runs`);
    }
    return path.join(this.root, slug(projectName));
  }

  runDir(runId: string, projectName: string, projectPath?: string): string {
    return path.join(this.projectDir(projectName, projectPath), runId);
  }

  async write(run: SavedRun): Promise<void> {
    await writeFileAtomic(path.join(run.dir, 'run.json'), `${JSON.stringify(run)}\n`);
  }

  /** Saved runs, newest first; a damaged run.json is skipped rather than hiding the others. */
  async list(projectName: string, projectPath?: string): Promise<SavedRun[]> {
    const runs = await this.readAll(this.projectDir(projectName, projectPath));
    return runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /**
   * Marks the runs under the runs folder that a NetCanvas left running when it ended as
   * interrupted; runs kept beside project files are marked when their project's runs are listed.
   */
  async sweep(): Promise<void> {
    let projects: string[];
    try {
      projects = await readdir(this.root);
    } catch {
      return;
    }
    for (const project of projects) await this.readAll(path.join(this.root, project));
  }

  /** The records of the run folders in one project's folder, in no order; none when it cannot be listed. */
  private async readAll(dir: string): Promise<SavedRun[]> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return [];
    }
    const runs: SavedRun[] = [];
    for (const name of names) {
      const run = await this.read(path.join(dir, name));
      if (run) runs.push(run);
    }
    return runs;
  }

  /** One run folder's record, marked interrupted (on disk too) when its NetCanvas is gone; null when there is none. */
  private async read(runDir: string): Promise<SavedRun | null> {
    const file = path.join(runDir, 'run.json');
    let run: SavedRun;
    let written: Date;
    try {
      const { bytes, info } = await readCapped(file, { limit: MAX_RECORD_BYTES });
      written = info.mtime;
      const parsed = savedRunSchema.safeParse(JSON.parse(bytes.toString('utf8')));
      if (!parsed.success) return null;
      run = { ...parsed.data, dir: runDir };
    } catch {
      // Not a run folder, or one being written for the first time.
      return null;
    }
    const interrupted = interruptedRun(run, written);
    if (!interrupted) return run;
    // Another NetCanvas may mark it at the same time; both write the same record.
    await this.write(interrupted).catch(() => undefined);
    return interrupted;
  }

  async find(runId: string, projectName: string, projectPath?: string): Promise<SavedRun | null> {
    return (await this.list(projectName, projectPath)).find((r) => r.runId === runId) ?? null;
  }
}
