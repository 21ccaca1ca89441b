import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ApiFailure } from './failure.js';
import { currentOwner } from './run-owner.js';
import { whatNext, type RunStore } from './run-store.js';
import type { BackendName, MetricPoint, SavedRun, TrainingEvent } from '../../shared/api/contract.js';
import { lttb } from '../../shared/charts/lttb.js';
import type { Project } from '../../shared/project/schema.js';
import type { DataDirs } from '../training/jobs/create.js';
import { ANY_PATH, type DataRule } from '../data/access.js';
import { writeFileAtomic } from '../files/atomic.js';
import { defaultTrainerMemoryMb, type TrainerExit, type TrainerHandle, type TrainerLauncher } from '../training/launcher.js';
import type { ResolvedRunConfig } from '../training/run-config.js';

/** The project a run trains (graph and settings), written into its folder as it starts, for its export. */
export const RUN_PROJECT_FILE = 'project.json';

/** How long a Trainer asked to stop may take to answer before it is ended. */
const STOP_GRACE_MS = 15_000;
/** Per-batch points kept in run.json: enough for the curve's shape at any length. */
const SAVED_POINTS = 1000;

interface Run {
  handle: TrainerHandle;
  finished: boolean;
  paused: boolean;
  /** How long a Stop may go unanswered before NetCanvas ends the Trainer, as the limits said at start. */
  stopGraceMs: number;
  /** Set only when NetCanvas ended the Trainer for not answering a Stop: any other death is a crash. */
  endedForStop: boolean;
  stopTimer?: NodeJS.Timeout;
  /** The backend the Trainer said it trains on, once it has said. */
  backend: BackendName | null;
  record: SavedRun;
  points: MetricPoint[];
  /** run.json writes, one after another so an older one never lands last. */
  writing: Promise<void>;
}

/** What a signal that ended the Trainer usually means. */
const SIGNAL_MEANINGS: Record<string, string> = {
  SIGKILL: 'it was killed outright, which usually means the system ran out of memory and ended it, or something outside NetCanvas ended it',
  SIGTERM: 'something outside NetCanvas asked it to end, e.g. the system shutting down',
  SIGHUP: 'the terminal or session it ran in closed',
  SIGINT: 'it was interrupted, e.g. by Ctrl+C',
  SIGSEGV: 'it crashed in native code',
  SIGBUS: 'it crashed in native code',
  SIGABRT: 'it aborted, which in native code is often running out of memory',
  SIGILL: 'it ran an instruction this processor lacks',
};

/** A line of stderr worth quoting: an error, never a banner or a rule of `=====`. */
function errorLine(stderrTail: string): string | null {
  const lines = stderrTail
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !/^[=\-*#~_+|.\s]+$/.test(line));
  // Node ends an uncaught error's report with its version; the error's own line says more.
  const said = [...lines].reverse().find((line) => /^(\w*Error\b|Uncaught\b|FATAL ERROR\b|Fatal error\b|terminate called)/.test(line));
  return said ? said.slice(0, 300) : null;
}

/** Why a Trainer ended without a word, in plain words, and what can be done now. */
export function describeExit(exit: TrainerExit, checkpoints: SavedRun['checkpoints']): string {
  const next = whatNext(checkpoints);
  if (/heap out of memory|Cannot allocate|std::bad_alloc|\bOOM\b/i.test(exit.stderrTail)) {
    return `The training process ran out of memory. Try a smaller batch size or a smaller network. The project is unchanged. ${next}`;
  }
  const meaning = (signal: string) => (SIGNAL_MEANINGS[signal] ? `: ${SIGNAL_MEANINGS[signal]}` : '');
  const how = exit.signal
    ? `it was ended by signal ${exit.signal}${meaning(exit.signal)}`
    : exit.signalFromCode
      ? `it ended with code ${exit.code}, which may mean it was ended by signal ${exit.signalFromCode}${meaning(exit.signalFromCode)}`
      : `it exited with code ${exit.code}`;
  const said = errorLine(exit.stderrTail);
  return `The training process stopped unexpectedly (${how})${said ? `. It said: ${said}` : ''}. The project is unchanged. ${next}`;
}

export interface RunLimits {
  /** Runs that may train at once. */
  maxRuns: number;
  /** The memory a Trainer may use, in MB, before its run is ended. */
  trainerMemoryMb: number;
  /** How long a Trainer asked to stop may take before it is ended. */
  stopGraceMs: number;
}

const DEFAULT_MAX_RUNS = 4;

/** A whole number from an environment variable, or the default; a bad value is named with what it should be. */
function envNumber(name: string, fallback: number, min: number, unit: string): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ApiFailure('INVALID_REQUEST', `${name} must be a whole number of ${unit}, at least ${min} (it is "${raw}"). Change or unset it, then start NetCanvas again.`);
  }
  return value;
}

/**
 * The limits a Backend keeps to: NETCANVAS_MAX_RUNS runs at once (default 4) and
 * NETCANVAS_TRAINER_MEMORY_MB per Trainer (default half of this machine's memory).
 */
export function limitsFromEnv(): RunLimits {
  return {
    maxRuns: envNumber('NETCANVAS_MAX_RUNS', DEFAULT_MAX_RUNS, 1, 'runs'),
    trainerMemoryMb: envNumber('NETCANVAS_TRAINER_MEMORY_MB', defaultTrainerMemoryMb(), 64, 'megabytes'),
    stopGraceMs: STOP_GRACE_MS,
  };
}

export interface StartOptions {
  /** Folder of the project's runs; each run gets its own inside. Null keeps nothing on disk. */
  projectDir: string | null;
  resumeFile: string | null;
  startFile?: string | null;
  /** Which paths the Trainer may read data from: the Backend's rule (any path when absent). */
  dataRule?: DataRule;
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
    /** Read at each start, so a bad setting is reported by the run it stops. */
    private readonly limits: () => RunLimits = limitsFromEnv,
  ) {}

  start(project: Project, config: ResolvedRunConfig, options: StartOptions): { runId: string; pid: number | null } {
    const limits = this.limits();
    this.refuseOverLimit(limits.maxRuns);
    const runId = randomUUID();
    const runDir = options.projectDir ? path.join(options.projectDir, runId) : null;
    const handle = this.launcher();
    const { backend: _backend, resumeFrom: _resume, startFrom: _start, maxBatches: _max, ...settings } = config;
    const run: Run = {
      handle,
      finished: false,
      paused: false,
      stopGraceMs: limits.stopGraceMs,
      endedForStop: false,
      backend: null,
      points: [],
      writing: Promise.resolve(),
      record: {
        runId,
        projectName: project.name,
        startedAt: new Date().toISOString(),
        status: 'running',
        task: config.task,
        settings: { ...settings, ...(config.resumeFrom ? { resumedFrom: config.resumeFrom.runId } : {}), ...(config.startFrom ? { startedFrom: config.startFrom.runId } : {}) },
        history: [],
        points: [],
        checkpoints: { last: null, best: null },
        dir: runDir ?? '',
        owner: currentOwner(),
      },
    };
    this.runs.set(runId, run);
    handle.onMessage((message) => {
      if (message.type !== 'event' || message.event.runId !== runId || run.finished) return;
      this.track(run, message.event);
      if (message.event.type === 'done' || message.event.type === 'error') this.finish(runId);
      this.emit(message.event);
    });
    handle.onExit((exit) => {
      const current = this.runs.get(runId);
      if (current && !current.finished) {
        for (const event of this.endWithoutWord(current, exit)) {
          this.track(current, event);
          this.emit(event);
        }
        this.finish(runId);
      }
      this.runs.delete(runId);
    });
    handle.send({ type: 'start', runId, project, config, dataDirs: this.dataDirs, runDir, resumeFile: options.resumeFile, startFile: options.startFile ?? null, memoryLimitMb: limits.trainerMemoryMb, dataRule: options.dataRule ?? ANY_PATH });
    if (runDir) {
      this.keepProject(run, runDir, project);
      this.save(run);
    }
    return { runId, pid: handle.pid };
  }

  /** Asks the trainer to stop after its current batch; kills it if it does not answer. */
  stop(runId: string): boolean {
    const run = this.active(runId);
    if (!run) return false;
    run.handle.send({ type: 'stop' });
    run.stopTimer ??= setTimeout(() => {
      run.endedForStop = true;
      run.handle.kill();
    }, run.stopGraceMs);
    return true;
  }

  /** RUN_ACTIVE when as many runs as allowed are training already, saying which and how to stop one. */
  private refuseOverLimit(maxRuns: number): void {
    const active = this.activeRuns();
    if (active.length < maxRuns) return;
    const names = [...new Set(active.map((r) => `"${r.record.projectName}"`))].join(', ');
    const count = active.length === 1 ? '1 run is' : `${active.length} runs are`;
    throw new ApiFailure(
      'RUN_ACTIVE',
      `${count} training already (of ${names}), the most NetCanvas trains at once here. Stop one first (Stop in the training panel, or Ctrl+C where \`netcanvas train\` runs) or wait for one to finish. NETCANVAS_MAX_RUNS sets how many may train at once.`,
    );
  }

  /** The events that end a run whose Trainer exited without a `done` or `error`. */
  private endWithoutWord(run: Run, exit: TrainerExit): TrainingEvent[] {
    const runId = run.record.runId;
    // A death after Stop that NetCanvas did not cause (a crash, the system killing it) is a crash all the same.
    if (!run.endedForStop) return [{ type: 'error', runId, code: 'CRASH', message: describeExit(exit, run.record.checkpoints) }];
    // Asked to stop, it did not answer in time (still loading, or deep in one long batch) and NetCanvas ended it.
    const message = `Stopped: the training process did not answer within ${Math.round(run.stopGraceMs / 1000)} s, so it was ended. ${whatNext(run.record.checkpoints)}`;
    run.record.message = message;
    return [
      { type: 'log', runId, level: 'warn', message },
      { type: 'done', runId, reason: 'stopped', backend: run.backend, history: run.record.history, samplesPerSec: 0 },
    ];
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
    return this.activeRuns().map((r) => r.record.runId);
  }

  private activeRuns(): Run[] {
    return [...this.runs.values()].filter((r) => !r.finished);
  }

  /** Counts a write among those `flush` waits for: the runs' own, and those begun elsewhere (marking interrupted runs). */
  waitFor(writing: Promise<void>): void {
    const settled = writing.catch(() => undefined);
    this.writes.add(settled);
    void settled.finally(() => this.writes.delete(settled));
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
        run.backend = event.backend;
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
        record.endedAt = new Date().toISOString();
        break;
      case 'error':
        record.status = 'failed';
        record.message = event.message;
        record.endedAt = new Date().toISOString();
        break;
      case 'samples':
      case 'log':
        return;
    }
    record.points = lttb(run.points, SAVED_POINTS, (p) => p.step, (p) => p.loss);
    if (record.dir) this.save(run);
  }

  /** The network and settings the run trains, kept in its folder: its export reads them after the project has changed. */
  private keepProject(run: Run, runDir: string, project: Project): void {
    const file = path.join(runDir, RUN_PROJECT_FILE);
    run.writing = run.writing
      .then(() => writeFileAtomic(file, `${JSON.stringify(project)}\n`))
      .catch((err: unknown) => this.emit({ type: 'log', runId: run.record.runId, level: 'warn', message: `Could not keep the run's network in ${file}: ${(err as Error).message}` }));
    this.waitFor(run.writing);
  }

  private save(run: Run): void {
    const snapshot = structuredClone(run.record);
    run.writing = run.writing
      .then(() => this.store.write(snapshot))
      .catch((err: unknown) => this.emit({ type: 'log', runId: snapshot.runId, level: 'warn', message: `Could not save the run record: ${(err as Error).message}` }));
    this.waitFor(run.writing);
  }

  private finish(runId: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    run.finished = true;
    if (run.stopTimer) clearTimeout(run.stopTimer);
  }
}
