/**
 * Every CPU core: each template's network trained by the Trainer's own job on one thread and
 * on all the threads the machine has, the batch split over them (electron/training/parallel/),
 * in interleaved rounds on one job, and which of the two the Trainer's own timed choice takes.
 */
import os from 'node:os';
import { batchOrder, type BenchData } from './batches.js';
import { benchJob, compiledNetworks, Trainee } from './jobs.js';
import { DEFAULT_LIMITS, interleaved, planRounds, warmUp, type Contender, type PlanLimits } from './timing.js';
import { round, templatesWithData } from './training-speed.js';
import type { BackendName } from '../../shared/api/contract.js';
import type { Project } from '../../shared/project/schema.js';
import type { GradientPool } from '../training/parallel/pool.js';
import { startPool, threadsForRun } from '../training/parallel/setup.js';
import { threadLimit } from '../training/parallel/threads.js';
import { resolveRunConfig } from '../training/run-config.js';
import { selectBackend } from '../training/tf-backend.js';

export interface ThreadsRow {
  template: string;
  backend: BackendName;
  /** The threads of the many-thread column: the machine's cores, or fewer where the run allows fewer. */
  threads: number;
  oneThreadSamplesPerSec: number | null;
  samplesPerSec: number | null;
  /** Many threads / one thread. */
  speedUp: number | null;
  /** The threads the Trainer's own timed choice picks for this network, when it has a choice. */
  chosen: number | null;
  /** Why this network trains on one thread only, where it does. */
  note?: string;
  error?: string;
}

export interface ThreadsOptions {
  templates?: readonly string[];
  templatesDir?: string;
  batches?: number;
  limits?: PlanLimits;
  /** The backend to time on: wasm unless given. */
  backend?: 'wasm' | 'cpu';
  log?: (line: string) => void;
}

export interface ThreadsResult {
  rows: ThreadsRow[];
  skipped: { template: string; reason: string }[];
  cores: number;
}

/** One job's training on a set number of the pool's threads. */
class OnThreads implements Contender {
  constructor(
    private readonly trainee: Trainee,
    private readonly pool: GradientPool,
    private readonly threads: number,
  ) {}

  train(batches: number): Promise<void> {
    this.pool.use(this.threads);
    return this.trainee.train(batches);
  }
}

async function timeTemplate(id: string, project: Project, data: BenchData, options: ThreadsOptions, log: (line: string) => void): Promise<ThreadsRow> {
  const backend = options.backend ?? 'wasm';
  const config = resolveRunConfig(project, {});
  const limit = threadLimit(project.graph, config, backend);
  const row: ThreadsRow = { template: id, backend, threads: limit.max, oneThreadSamplesPerSec: null, samplesPerSec: null, speedUp: null, chosen: null, ...(limit.note ? { note: limit.note } : {}) };
  if (limit.max <= 1) {
    log(`${id}: one thread only (${limit.note ?? 'one core'})`);
    return row;
  }
  await selectBackend(backend);
  const trialJob = async (pool: GradientPool) => benchJob(project, config, compiledNetworks(project, config, data), data, pool);
  const choice = await threadsForRun(project.graph, config, backend, trialJob);
  row.chosen = choice.threads;
  // The choice's pool, where it kept one: the timing below sets its threads for each contender.
  const pool = choice.pool ?? (await startPool(project.graph, config, backend, limit.max));
  const job = benchJob(project, config, compiledNetworks(project, config, data), data, pool);
  try {
    const order = batchOrder(job.trainCount, config.batchSize, config.seed);
    const trainee = new Trainee(job, order);
    const many = new OnThreads(trainee, pool, limit.max);
    const one = new OnThreads(trainee, pool, 1);
    const limits = options.limits ?? DEFAULT_LIMITS;
    const plan = planRounds(await warmUp(many, one, limits.warmupMs), options.batches, limits);
    log(`${id}: ${backend}, ${limit.max} threads against 1, batch size ${order.batchSize}, ${plan.rounds} rounds of ${plan.batchesPerRound} batches`);
    const result = await interleaved(many, one, plan, order.batchSize, (r) => log(`  round ${r.round}/${r.rounds}: ${r.aPerSec.toFixed(1)} on ${limit.max} threads, ${r.bPerSec.toFixed(1)} on 1 samples/s`));
    return { ...row, samplesPerSec: round(result.aPerSec, 1), oneThreadSamplesPerSec: round(result.bPerSec, 1), speedUp: round(result.ratio, 3) };
  } finally {
    job.dispose();
    await pool.close();
  }
}

export async function benchThreads(options: ThreadsOptions): Promise<ThreadsResult> {
  const log = options.log ?? (() => {});
  const result: ThreadsResult = { rows: [], skipped: [], cores: os.availableParallelism() };
  for await (const { id, project, data } of templatesWithData(options.templatesDir, options.templates, log, result.skipped)) {
    try {
      result.rows.push(await timeTemplate(id, project, data, options, log));
    } catch (err) {
      result.rows.push({ template: id, backend: options.backend ?? 'wasm', threads: result.cores, oneThreadSamplesPerSec: null, samplesPerSec: null, speedUp: null, chosen: null, error: (err as Error).message.split('\n')[0]! });
    }
  }
  return result;
}
