import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { RunStore } from './run-store.js';
import type { MetricPoint, SavedRun, TrainingEvent } from '../../shared/api/contract.js';
import { lttb } from '../../shared/charts/lttb.js';
import type { Project } from '../../shared/project/schema.js';
import type { DataDirs } from '../training/jobs/create.js';
import type { TrainerExit, TrainerHandle, TrainerLauncher } from '../training/launcher.js';
import type { ResolvedRunConfig } from '../training/run-config.js';

const STOP_GRACE_MS = 15_000;
/** Per-batch points kept in run.json: enough for the curve's shape at any length. */
const SAVED_POINTS = 1000;

interface Run {
  handle: TrainerHandle;
  finished: boolean;
  paused: boolean;
  stopTimer?: NodeJS.Timeout;
  record: SavedRun;
  points: MetricPoint[];
  /** run.json writes, one after another so an older one never lands last. */
  writing: Promise<void>;
}

function describeExit(exit: TrainerExit): string {
  if (/heap out of memory|Cannot allocate|std::bad_alloc|OOM/i.test(exit.stderrTail)) {
    return 'The training process ran out of memory. Try a smaller batch size or a smaller network.';
  }
  const how = exit.signal ? `was ended by signal ${exit.signal}` : `exited with code ${exit.code}`;
  // Node ends an uncaught error's report with its version; the error's own line says more.
  const lines = exit.stderrTail.trim().split('\n').filter(Boolean);
  const said = [...lines].reverse().find((line) => /^(\w*Error\b|Uncaught)/.test(line.trim())) ?? lines.pop();
  return `The training process stopped unexpectedly (it ${how})${said ? `: ${said.trim().slice(0, 300)}` : ''}. The project is unchanged; you can start training again, or continue from the last checkpoint.`;
}

export interface StartOptions {
  /** Folder of the project's runs; each run gets its own inside. Null keeps nothing on disk. */
  projectDir: string | null;
  resumeFile: string | null;
}

/** Training runs, each in its own Trainer process; a crash there ends the run, not the Backend. */
export class RunManager {
  private readonly runs = new Map<string, Run>();
  /** run.json writes in flight, also of runs that have ended. */
  private readonly writes = new Set<Promise<void>>();

  constructor(
    private readonly launcher: TrainerLauncher,
    private readonly emit: (event: TrainingEvent) => void,
    private readonly store: RunStore,
    private readonly dataDirs: DataDirs = {},
  ) {}

  start(project: Project, config: ResolvedRunConfig, options: StartOptions): { runId: string; pid: number | null } {
    const runId = randomUUID();
    const runDir = options.projectDir ? path.join(options.projectDir, runId) : null;
    const handle = this.launcher();
    const { backend: _backend, resumeFrom: _resume, maxBatches: _max, ...settings } = config;
    const run: Run = {
      handle,
      finished: false,
      paused: false,
      points: [],
      writing: Promise.resolve(),
      record: {
        runId,
        projectName: project.name,
        startedAt: new Date().toISOString(),
        status: 'running',
        task: config.task,
        settings: { ...settings, ...(config.resumeFrom ? { resumedFrom: config.resumeFrom.runId } : {}) },
        history: [],
        points: [],
        checkpoints: { last: null, best: null },
        dir: runDir ?? '',
      },
    };
    this.runs.set(runId, run);
    handle.onMessage((message) => {
      if (message.type !== 'event' || message.event.runId !== runId) return;
      this.track(run, message.event);
      if (message.event.type === 'done' || message.event.type === 'error') this.finish(runId);
      this.emit(message.event);
    });
    handle.onExit((exit) => {
      const current = this.runs.get(runId);
      if (current && !current.finished) {
        const event: TrainingEvent = { type: 'error', runId, code: 'CRASH', message: describeExit(exit) };
        this.track(current, event);
        this.finish(runId);
        this.emit(event);
      }
      this.runs.delete(runId);
    });
    handle.send({ type: 'start', runId, project, config, dataDirs: this.dataDirs, runDir, resumeFile: options.resumeFile });
    if (runDir) this.save(run);
    return { runId, pid: handle.pid };
  }

  /** Asks the trainer to stop after its current batch; kills it if it does not answer. */
  stop(runId: string): boolean {
    const run = this.active(runId);
    if (!run) return false;
    run.handle.send({ type: 'stop' });
    run.stopTimer ??= setTimeout(() => run.handle.kill(), STOP_GRACE_MS);
    return true;
  }

  pause(runId: string): boolean {
    const run = this.active(runId);
    if (!run || run.paused) return false;
    run.handle.send({ type: 'pause' });
    return true;
  }

  resume(runId: string): boolean {
    const run = this.active(runId);
    if (!run || !run.paused) return false;
    run.handle.send({ type: 'resume' });
    return true;
  }

  requestSamples(runId: string, temperature: number | null): boolean {
    const run = this.active(runId);
    if (!run) return false;
    run.handle.send({ type: 'samples', temperature });
    return true;
  }

  activeRunIds(): string[] {
    return [...this.runs.entries()].filter(([, r]) => !r.finished).map(([id]) => id);
  }

  /** Resolves once every run.json write in flight has landed. */
  async flush(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  shutdown(): void {
    for (const run of this.runs.values()) run.handle.kill();
    this.runs.clear();
  }

  private active(runId: string): Run | null {
    const run = this.runs.get(runId);
    return run && !run.finished ? run : null;
  }

  /** Keeps the run's record up to date, and on disk at every epoch and at the end. */
  private track(run: Run, event: TrainingEvent): void {
    const record = run.record;
    switch (event.type) {
      case 'started':
        record.history = [...event.history];
        break;
      case 'batch':
        run.points.push(...event.points);
        return;
      case 'epoch':
        record.history.push(event.record);
        break;
      case 'checkpoint':
        for (const kind of event.kinds) record.checkpoints[kind] = event.epoch;
        break;
      case 'paused':
        run.paused = event.paused;
        record.status = event.paused ? 'paused' : 'running';
        break;
      case 'done':
        record.status = event.reason;
        record.history = event.history;
        break;
      case 'error':
        record.status = 'failed';
        record.message = event.message;
        break;
      case 'samples':
      case 'log':
        return;
    }
    record.points = lttb(run.points, SAVED_POINTS, (p) => p.step, (p) => p.loss);
    if (record.dir) this.save(run);
  }

  private save(run: Run): void {
    const snapshot = structuredClone(run.record);
    run.writing = run.writing
      .then(() => this.store.write(snapshot))
      .catch((err: unknown) => this.emit({ type: 'log', runId: snapshot.runId, level: 'warn', message: `Could not save the run record: ${(err as Error).message}` }));
    const writing = run.writing;
    this.writes.add(writing);
    void writing.finally(() => this.writes.delete(writing));
  }

  private finish(runId: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    run.finished = true;
    if (run.stopTimer) clearTimeout(run.stopTimer);
  }
}
