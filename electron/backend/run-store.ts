import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { savedRunSchema, type SavedRun } from '../../shared/api/contract.js';
import { writeFileAtomic } from '../files/atomic.js';

/** Where runs of projects without a file are kept, unless the Backend is told otherwise. */
export function defaultRunsRoot(): string {
  return process.env.NETCANVAS_RUNS_DIR ?? path.join(os.homedir(), '.netcanvas', 'runs');
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
    const dir = this.projectDir(projectName, projectPath);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return [];
    }
    const runs: SavedRun[] = [];
    for (const name of names) {
      try {
        const parsed = savedRunSchema.safeParse(JSON.parse(await readFile(path.join(dir, name, 'run.json'), 'utf8')));
        if (parsed.success) runs.push({ ...parsed.data, dir: path.join(dir, name) });
      } catch {
        // Not a run folder, or one being written for the first time.
      }
    }
    return runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  async find(runId: string, projectName: string, projectPath?: string): Promise<SavedRun | null> {
    return (await this.list(projectName, projectPath)).find((r) => r.runId === runId) ?? null;
  }
}
