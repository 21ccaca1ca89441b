import { GradientPool } from './pool.js';
import { chooseThreads, threadLimit, type TrialTiming } from './threads.js';
import type { BackendName } from '../../../shared/api/contract.js';
import { inferGraph } from '../../../shared/graph/infer.js';
import type { Graph } from '../../../shared/graph/types.js';
import { compileGraphWithZeros } from '../../compiler/compile.js';
import type { TrainingJob } from '../jobs/job.js';
import type { ResolvedRunConfig } from '../run-config.js';

export interface RunThreads {
  /** The workers the run's job shares its batches with; null when it trains on one thread. */
  pool: GradientPool | null;
  threads: number;
  /** Why it trains on no more threads, in the backend line's words. */
  notes: string[];
}

/** Runs of fewer batches than this (demos, quick checks) are not worth the threads' start and timing. */
export const SHORTEST_TIMED_RUN = 100;

/** A pool of `threads` threads (the caller's included) for networks of this graph, trained as `config` says. */
export async function startPool(graph: Graph, config: ResolvedRunConfig, backend: 'wasm' | 'cpu', threads: number): Promise<GradientPool> {
  // Only its weights' layout is read: built with zeros, it draws no initial values.
  const shape = compileGraphWithZeros(graph);
  try {
    return await GradientPool.start({
      threads,
      model: shape,
      seed: config.seed,
      setup: {
        graph,
        task: config.task,
        losses: { loss: config.loss, losses: config.losses, metrics: config.metrics },
        outputIds: inferGraph(graph).outputIds,
        backend,
        rows: Math.ceil(config.batchSize / threads),
      },
    });
  } finally {
    shape.dispose();
  }
}

/** One batch on `job`, timed. */
async function timeBatch(job: TrainingJob, batch: ArrayLike<number>): Promise<TrialTiming> {
  const started = performance.now();
  await job.trainBatch(batch);
  return { samples: batch.length, ms: performance.now() - started };
}

/**
 * The threads a run on `backend` trains with, and the pool of workers behind them: as many as
 * the run allows (threadLimit), or, where the run leaves it to NetCanvas, whichever of one
 * thread and that many trains `trialJob(pool)` faster, timed at the run's batch size. The trial
 * job is disposed; the pool is the caller's to close.
 */
export async function threadsForRun(
  graph: Graph,
  config: ResolvedRunConfig,
  backend: BackendName,
  trialJob: (pool: GradientPool) => Promise<TrainingJob>,
  start: typeof startPool = startPool,
): Promise<RunThreads> {
  const limit = threadLimit(graph, config, backend);
  const notes = limit.note ? [limit.note] : [];
  if (limit.max <= 1) return { pool: null, threads: 1, notes };
  const planned = config.maxBatches !== null ? config.epochs * config.maxBatches : Infinity;
  if (config.threads === null && planned < SHORTEST_TIMED_RUN) {
    // Starting the threads and timing them would take longer than most such runs: they train as they are.
    return { pool: null, threads: 1, notes: [...notes, `more threads: a run of ${planned} batches ends before timing threads would pay off (CPU threads in the settings, or --threads, sets them)`] };
  }
  let pool: GradientPool;
  try {
    pool = await start(graph, config, backend as 'wasm' | 'cpu', limit.max);
  } catch (err) {
    // A platform that refuses worker threads still trains: on one thread, saying why.
    return { pool: null, threads: 1, notes: [...notes, `more threads: the worker threads did not start (${(err as Error).message.split('\n')[0]!.slice(0, 200)})`] };
  }
  try {
    let threads = limit.max;
    if (config.threads === null) {
      const job = await trialJob(pool);
      try {
        const batch = Array.from({ length: Math.min(config.batchSize, job.trainCount) }, (_, i) => i);
        const choice = await chooseThreads(limit.max, (n) => {
          pool.use(n);
          return timeBatch(job, batch);
        });
        threads = choice.threads;
        if (choice.note) notes.push(choice.note);
      } finally {
        job.dispose();
      }
    }
    if (threads === 1) {
      await pool.close();
      return { pool: null, threads, notes };
    }
    pool.use(threads);
    return { pool, threads, notes };
  } catch (err) {
    await pool.close();
    throw err;
  }
}
