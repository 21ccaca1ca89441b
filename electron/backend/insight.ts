import { ApiFailure } from './failure.js';
import type { RunStore } from './run-store.js';
import { describeExit } from './runs.js';
import type { AnalystExit, AnalystHandle, AnalystLauncher } from '../insight/launcher.js';
import type { AnalystMethod, AnalystParams, FromAnalyst, InsightMethodName, InsightParams, InsightResult, RunLocation } from '../insight/protocol.js';
import type { DataRule } from '../data/access.js';
import type { DataDirs } from '../data/builtins.js';
import type { SavedRun } from '../../shared/api/contract.js';
import type { HealthEpoch, RunRef } from '../../shared/api/insight.js';

/**
 * The Backend's side of the insight methods: it finds the saved run a question is about and
 * hands the question to an Analyst process that holds that run open, so the Backend's own
 * event loop never waits on a tensor.
 */

/** Analysts kept at once, one per run and checkpoint: each holds a network and its data. */
export const MAX_ANALYSTS = 2;
/** An Analyst asked nothing for this long is closed, letting go of its memory. */
export const ANALYST_IDLE_MS = 5 * 60_000;

const NO_CHECKPOINTS: SavedRun['checkpoints'] = { last: null, best: null };

/**
 * Why an Analyst ended while it held questions, in the words a Trainer's crash is told in
 * (its signal and what that usually means, what it said on stderr), and what to do.
 */
export function analystStopped(exit: AnalystExit): string {
  const told = describeExit(exit, NO_CHECKPOINTS).replace(/ The project is unchanged\..*$/s, '');
  if (/^The training process ran out of memory/.test(told)) {
    return 'The Analyst process that answers questions about trained runs ran out of memory, so it stopped. Ask again to start a fresh one; a smaller network or dataset needs less.';
  }
  return `${told.replace(/^The training process/, 'The Analyst process that answers questions about trained runs')}. Ask again to start a fresh one.`;
}

/** Where the Backend's runs and data are, for finding a run. */
export interface RunPlace {
  store: RunStore;
  dataDirs: DataDirs;
  dataRule: () => DataRule;
  /** Runs this Backend is training now. */
  activeRunIds: () => string[];
}

/** The saved run `ref` names, as `runs.export` finds it; NOT_FOUND when there is none. */
export async function savedRun(place: RunPlace, ref: RunRef): Promise<SavedRun> {
  const saved = await place.store.find(ref.runId, ref.projectName, ref.projectPath);
  if (!saved) throw new ApiFailure('NOT_FOUND', `No saved run ${ref.runId} of "${ref.projectName}".`);
  return saved;
}

/**
 * Where a finished run's network, weights and data are: refused while the run still trains,
 * and NOT_FOUND when it kept no weights to answer with.
 */
export async function locateRun(place: RunPlace, ref: RunRef): Promise<RunLocation> {
  const saved = await savedRun(place, ref);
  if (saved.status === 'running' || saved.status === 'paused') {
    const where = place.activeRunIds().includes(saved.runId) ? '' : ' in another NetCanvas';
    throw new ApiFailure('RUN_ACTIVE', `Run ${saved.runId} is still training${where}: its network can be tried, evaluated and explained once it has finished or been stopped.`);
  }
  if (saved.checkpoints.last === null && saved.checkpoints.best === null) {
    throw new ApiFailure('NOT_FOUND', `Run ${saved.runId} has no trained weights to answer with: it ended before finishing an epoch. Train it for at least one epoch.`);
  }
  // Loaded when asked for, as an export loads it: it brings tfjs, which the Backend itself never runs.
  const { chosenCheckpoint, RunNotExportable } = await import('../export/run.js');
  let checkpoint: RunLocation['checkpoint'];
  try {
    checkpoint = chosenCheckpoint(saved, ref.checkpoint);
  } catch (err) {
    if (err instanceof RunNotExportable) throw new ApiFailure('NOT_FOUND', err.message);
    throw err;
  }
  return { runDir: saved.dir, runId: saved.runId, savedSettings: saved.settings, checkpoint, dataDirs: place.dataDirs, dataRule: place.dataRule() };
}

/** A run's training health as it recorded it, epoch by epoch. */
export async function runHealth(place: RunPlace, ref: RunRef): Promise<{ epochs: HealthEpoch[] }> {
  const saved = await savedRun(place, ref);
  // health.ts brings tfjs (it measures in the Trainer); the Backend only reads its file.
  const { readHealth } = await import('../training/health.js');
  return { epochs: await readHealth(saved.dir) };
}

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface Analyst {
  key: string;
  handle: AnalystHandle;
  waiting: Map<number, Waiting>;
  lastAsked: number;
  idleTimer: NodeJS.Timeout | null;
  /** Closed to make room: it ends once it has answered what it holds. */
  draining: boolean;
  /** Ended by the pool (room, idle, shutdown): not a crash. */
  closed: boolean;
}

export interface PoolOptions {
  max?: number;
  idleMs?: number;
}

/**
 * Analyst processes, at most `max`, one per run and checkpoint. A question goes to the one
 * holding its run, else to a new one; the least recently asked makes room, at once when it is
 * idle, else once it has answered. A crash fails the questions that Analyst held, in words,
 * and the next question about its run starts a fresh one.
 */
export class AnalystPool {
  private readonly analysts = new Map<string, Analyst>();
  private nextId = 1;
  private readonly max: number;
  private readonly idleMs: number;

  constructor(
    private readonly launcher: AnalystLauncher,
    options: PoolOptions = {},
  ) {
    this.max = options.max ?? MAX_ANALYSTS;
    this.idleMs = options.idleMs ?? ANALYST_IDLE_MS;
  }

  ask<M extends AnalystMethod>(run: RunLocation, method: M, params: AnalystParams<M>): Promise<InsightResult<M>> {
    const analyst = this.analystFor(JSON.stringify([run.runDir, run.checkpoint]));
    const id = this.nextId++;
    return new Promise<InsightResult<M>>((resolve, reject) => {
      analyst.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.touch(analyst);
      analyst.handle.send({ type: 'request', id, method, params, run } as Parameters<AnalystHandle['send']>[0]);
    });
  }

  /** Analysts running now, for their process ids. */
  running(): { key: string; pid: number | null }[] {
    return [...this.analysts.values()].map((a) => ({ key: a.key, pid: a.handle.pid }));
  }

  shutdown(): void {
    for (const analyst of [...this.analysts.values()]) this.close(analyst);
  }

  private analystFor(key: string): Analyst {
    const existing = this.analysts.get(key);
    if (existing) {
      existing.draining = false;
      return existing;
    }
    this.makeRoom();
    const analyst: Analyst = { key, handle: this.launcher(), waiting: new Map(), lastAsked: Date.now(), idleTimer: null, draining: false, closed: false };
    this.analysts.set(key, analyst);
    analyst.handle.onMessage((message) => this.answered(analyst, message));
    analyst.handle.onExit((exit) => this.exited(analyst, exit));
    return analyst;
  }

  /** Closes the least recently asked Analyst when there are `max`: an idle one at once, else the oldest once it has answered. */
  private makeRoom(): void {
    const live = [...this.analysts.values()].filter((a) => !a.draining);
    if (live.length < this.max) return;
    const byAge = live.sort((a, b) => a.lastAsked - b.lastAsked);
    const idle = byAge.find((a) => a.waiting.size === 0);
    if (idle) this.close(idle);
    else byAge[0]!.draining = true;
  }

  private touch(analyst: Analyst): void {
    analyst.lastAsked = Date.now();
    if (analyst.idleTimer) clearTimeout(analyst.idleTimer);
    analyst.idleTimer = null;
  }

  private answered(analyst: Analyst, message: FromAnalyst): void {
    const waiting = analyst.waiting.get(message.id);
    if (!waiting) return;
    analyst.waiting.delete(message.id);
    if (message.type === 'result') waiting.resolve(message.value);
    else waiting.reject(new ApiFailure(message.code, message.message));
    if (analyst.waiting.size > 0) return;
    if (analyst.draining) {
      this.close(analyst);
      return;
    }
    analyst.idleTimer = setTimeout(() => this.close(analyst), this.idleMs);
    analyst.idleTimer.unref();
  }

  private exited(analyst: Analyst, exit: AnalystExit): void {
    if (this.analysts.get(analyst.key) === analyst) this.analysts.delete(analyst.key);
    if (analyst.idleTimer) clearTimeout(analyst.idleTimer);
    const message = analyst.closed ? 'NetCanvas closed the Analyst process before it answered: it is shutting down.' : analystStopped(exit);
    for (const waiting of analyst.waiting.values()) waiting.reject(new ApiFailure('INTERNAL', message));
    analyst.waiting.clear();
  }

  private close(analyst: Analyst): void {
    analyst.closed = true;
    if (analyst.idleTimer) clearTimeout(analyst.idleTimer);
    if (this.analysts.get(analyst.key) === analyst) this.analysts.delete(analyst.key);
    analyst.handle.kill();
  }
}

export type InsightHandlers = { [M in InsightMethodName]: (params: InsightParams<M>) => Promise<InsightResult<M>> };

/**
 * The Backend's handlers of the insight methods: each finds its run (after `checkPath` allows
 * its project's path) and asks the pool's Analyst for it; `runs.health` reads the run's file.
 */
export function insightHandlers(pool: AnalystPool, place: RunPlace, checkPath: (projectPath: string | undefined) => Promise<void>): InsightHandlers {
  const ask = async <M extends AnalystMethod>(run: RunRef, method: M, params: AnalystParams<M>): Promise<InsightResult<M>> => {
    await checkPath(run.projectPath);
    return pool.ask(await locateRun(place, run), method, params);
  };
  return {
    'insight.open': ({ run }) => ask(run, 'insight.open', {}),
    'insight.predict': ({ run, ...params }) => ask(run, 'insight.predict', params),
    'insight.generate': ({ run, ...params }) => ask(run, 'insight.generate', params),
    'insight.evaluate': ({ run, ...params }) => ask(run, 'insight.evaluate', params),
    'insight.examples': ({ run, ...params }) => ask(run, 'insight.examples', params),
    'insight.explain': ({ run, ...params }) => ask(run, 'insight.explain', params),
    'runs.health': async ({ run }) => {
      await checkPath(run.projectPath);
      return runHealth(place, run);
    },
  };
}
