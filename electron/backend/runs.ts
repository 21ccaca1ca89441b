import { randomUUID } from 'node:crypto';
import type { TrainingEvent } from '../../shared/api/contract.js';
import type { Project } from '../../shared/project/schema.js';
import type { TrainerExit, TrainerHandle, TrainerLauncher } from '../training/launcher.js';
import type { ResolvedRunConfig } from '../training/run-config.js';

const STOP_GRACE_MS = 15_000;

interface Run {
  handle: TrainerHandle;
  finished: boolean;
  stopTimer?: NodeJS.Timeout;
}

function describeExit(exit: TrainerExit): string {
  if (/heap out of memory|Cannot allocate|std::bad_alloc|OOM/i.test(exit.stderrTail)) {
    return 'The training process ran out of memory. Try a smaller batch size or a smaller network.';
  }
  const how = exit.signal ? `was ended by signal ${exit.signal}` : `exited with code ${exit.code}`;
  const lastLine = exit.stderrTail.trim().split('\n').filter(Boolean).pop();
  return `The training process stopped unexpectedly (it ${how})${lastLine ? `: ${lastLine.slice(0, 300)}` : ''}. The project is unchanged; you can start training again.`;
}

/** Training runs, each in its own Trainer process; a crash there ends the run, not the Backend. */
export class RunManager {
  private readonly runs = new Map<string, Run>();

  constructor(
    private readonly launcher: TrainerLauncher,
    private readonly emit: (event: TrainingEvent) => void,
    private readonly dataDir?: string,
  ) {}

  start(project: Project, config: ResolvedRunConfig): { runId: string; pid: number | null } {
    const runId = randomUUID();
    const handle = this.launcher();
    const run: Run = { handle, finished: false };
    this.runs.set(runId, run);
    handle.onMessage((message) => {
      if (message.type !== 'event' || message.event.runId !== runId) return;
      if (message.event.type === 'done' || message.event.type === 'error') this.finish(runId);
      this.emit(message.event);
    });
    handle.onExit((exit) => {
      const current = this.runs.get(runId);
      if (current && !current.finished) {
        this.finish(runId);
        this.emit({ type: 'error', runId, code: 'CRASH', message: describeExit(exit) });
      }
      this.runs.delete(runId);
    });
    handle.send({ type: 'start', runId, project, config, ...(this.dataDir ? { dataDir: this.dataDir } : {}) });
    return { runId, pid: handle.pid };
  }

  /** Asks the trainer to stop after its current batch; kills it if it does not answer. */
  stop(runId: string): boolean {
    const run = this.runs.get(runId);
    if (!run || run.finished) return false;
    run.handle.send({ type: 'stop' });
    run.stopTimer ??= setTimeout(() => run.handle.kill(), STOP_GRACE_MS);
    return true;
  }

  activeRunIds(): string[] {
    return [...this.runs.entries()].filter(([, r]) => !r.finished).map(([id]) => id);
  }

  shutdown(): void {
    for (const run of this.runs.values()) run.handle.kill();
    this.runs.clear();
  }

  private finish(runId: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    run.finished = true;
    if (run.stopTimer) clearTimeout(run.stopTimer);
  }
}
