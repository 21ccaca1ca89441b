import os from 'node:os';
import type * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBenchData, trainingExamples, type BenchData } from '../../../../electron/bench/batches.js';
import { compileGraph } from '../../../../electron/compiler/compile.js';
import { seededRandom, shuffled } from '../../../../electron/data/random.js';
import type { TrainingJob } from '../../../../electron/training/jobs/job.js';
import { supervisedJob } from '../../../../electron/training/jobs/supervised.js';
import type { GradientPool } from '../../../../electron/training/parallel/pool.js';
import { startPool, threadsForRun } from '../../../../electron/training/parallel/setup.js';
import { shardRows } from '../../../../electron/training/parallel/shard.js';
import { chooseThreads, threadLimit } from '../../../../electron/training/parallel/threads.js';
import { resolveRunConfig } from '../../../../electron/training/run-config.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Project } from '../../../../shared/project/schema.js';
import { template } from '../insight/trained.js';

/**
 * Data-parallel training: the batch split over worker threads, each with its own WebAssembly
 * backend and copy of the network, and their gradients summed into one step. Checked against
 * the Trainer's one-thread step (tfjs's own trainOnBatch) from the same weights on the same
 * batches: the weights must agree to 1e-5 after every step.
 */

const TOLERANCE = 1e-5;

describe('how a batch is split, and how many threads a run may use', () => {
  it('splits rows as evenly as they go, the first shards taking the extra rows', () => {
    expect(shardRows(64, 2)).toEqual([
      [0, 32],
      [32, 64],
    ]);
    expect(shardRows(13, 3)).toEqual([
      [0, 5],
      [5, 9],
      [9, 13],
    ]);
    expect(shardRows(2, 4)).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });

  it('keeps to one thread where a split batch would not be one step, and says why', () => {
    const config = { task: 'classify', threads: null, batchSize: 64 } as const;
    const plain = template('mlp-iris').graph;
    expect(threadLimit(plain, config, 'wasm', 8)).toEqual({ max: 8, note: null });
    expect(threadLimit(plain, config, 'cpu', 2)).toEqual({ max: 2, note: null });
    // libtensorflow uses every core itself; WebGPU the GPU.
    expect(threadLimit(plain, config, 'tensorflow', 8)).toEqual({ max: 1, note: null });
    expect(threadLimit(plain, config, 'webgpu', 8)).toEqual({ max: 1, note: null });
    expect(threadLimit(plain, { ...config, threads: 1 }, 'wasm', 8)).toEqual({ max: 1, note: null });
    expect(threadLimit(plain, { ...config, threads: 3 }, 'wasm', 8)).toEqual({ max: 3, note: null });
    expect(threadLimit(plain, { ...config, threads: 16 }, 'wasm', 8)).toEqual({ max: 8, note: 'more threads: 16 were asked for, and this machine has 8 cores' });
    expect(threadLimit(plain, { ...config, batchSize: 6 }, 'wasm', 8)).toEqual({ max: 1, note: 'more threads: batches of 6 are too small to split' });
    expect(threadLimit(plain, { ...config, batchSize: 12 }, 'wasm', 8).max).toBe(3);

    const dcgan = template('dcgan-mnist').graph;
    expect(threadLimit(dcgan, { ...config, task: 'gan' }, 'wasm', 8)).toEqual({ max: 1, note: "more threads: a GAN's two networks take their steps in turn, on one thread" });
    const normed = { ...plain, nodes: [...plain.nodes, { id: 'bn', type: 'BatchNormalization', name: 'norm', params: {}, position: { x: 0, y: 0 } }] };
    expect(threadLimit(normed, config, 'wasm', 8).max).toBe(1);
    expect(threadLimit(normed, config, 'wasm', 8).note).toMatch(/BatchNormalization \("norm"\) takes its statistics over the whole batch/);
  });

  it('takes the faster of one thread and all, timed in turns after a warm-up, and names the figures', async () => {
    const calls: number[] = [];
    // A network whose steps take 10 ms on one thread and 6 ms on four.
    const choice = await chooseThreads(4, async (threads) => {
      calls.push(threads);
      await new Promise((resolve) => setTimeout(resolve, 1));
      return { samples: 60, ms: threads === 1 ? 10 : 6 };
    });
    expect(choice).toEqual({ threads: 4, note: '1 thread: slower for this network (6,000 vs 10,000 samples/s on 4 threads)' });
    expect(calls.slice(0, 4)).toEqual([4, 4, 4, 1]);
    // Timed in turns, as many of each.
    const timed = calls.slice(4);
    expect(timed.filter((t) => t === 4).length).toBe(timed.filter((t) => t === 1).length);
    expect(timed.length).toBeGreaterThanOrEqual(6);

    const small = await chooseThreads(2, async (threads) => ({ samples: 16, ms: threads === 1 ? 2 : 5 }));
    expect(small).toEqual({ threads: 1, note: '2 threads: slower for this network (3,200 vs 8,000 samples/s on 1 thread)' });
    expect(await chooseThreads(1, () => Promise.reject(new Error('never timed')))).toEqual({ threads: 1, note: null });
  });
});

/** Every weight of two models, as the largest absolute difference between them. */
function largestDifference(a: tf.LayersModel, b: tf.LayersModel): number {
  let largest = 0;
  a.weights.forEach((w, i) => {
    const x = w.read().dataSync();
    const y = b.weights[i]!.read().dataSync();
    for (let j = 0; j < x.length; j++) largest = Math.max(largest, Math.abs(x[j]! - y[j]!));
  });
  return largest;
}

interface Pair {
  one: TrainingJob;
  many: TrainingJob;
  oneModel: tf.LayersModel;
  manyModel: tf.LayersModel;
  pool: GradientPool;
}

/** The same network twice from the same weights: one trained on one thread, the other over `threads`. */
async function pairOf(project: Project, data: BenchData, threads: number, overrides: Parameters<typeof resolveRunConfig>[1] = {}): Promise<Pair> {
  const config = resolveRunConfig(project, { threads, ...overrides });
  const outputIds = inferGraph(project.graph).outputIds;
  Math.random = seededRandom(3);
  const oneModel = compileGraph(project.graph);
  const manyModel = compileGraph(project.graph);
  manyModel.setWeights(oneModel.getWeights());
  const pool = await startPool(project.graph, config, 'wasm', threads);
  const job = (model: tf.LayersModel, withPool: GradientPool | null) =>
    supervisedJob({ task: config.task, model, config, train: trainingExamples(project, config, data), validation: null, outputIds, pool: withPool });
  return { one: job(oneModel, null), many: job(manyModel, pool), oneModel, manyModel, pool };
}

async function closePair(pair: Pair): Promise<void> {
  pair.one.dispose();
  pair.many.dispose();
  await pair.pool.close();
}

/** Batches of the shuffled training examples, the last one ragged when `ragged` rows are left over. */
function batches(count: number, batchSize: number, steps: number, ragged = 0): Uint32Array[] {
  const order = shuffled(count, seededRandom(11));
  const out = Array.from({ length: steps }, (_, i) => order.subarray(i * batchSize, (i + 1) * batchSize));
  if (ragged > 0) out.push(order.subarray(steps * batchSize, steps * batchSize + ragged));
  return out;
}

describe('training on several threads', () => {
  const datasets = new Map<string, BenchData>();
  const dataOf = async (project: Project) => {
    const key = JSON.stringify(project.training.dataset);
    if (!datasets.has(key)) datasets.set(key, await loadBenchData(project.training.dataset));
    return datasets.get(key)!;
  };

  beforeAll(async () => {
    await selectBackend('wasm');
  });
  afterAll(() => {
    datasets.clear();
  });

  // Each kind of network a template trains, with no Dropout or BatchNormalization, whose batch a split changes.
  const cases = [
    { id: 'mlp-iris', threads: 3, steps: 6, ragged: 7 },
    { id: 'cnn-mnist', threads: 2, steps: 4, ragged: 9 },
    { id: 'embedding-imdb', threads: 2, steps: 4, ragged: 0 },
    { id: 'lstm-sine', threads: 2, steps: 4, ragged: 5 },
    { id: 'char-transformer-moby-dick', threads: 2, steps: 3, ragged: 0 },
    { id: 'autoencoder-mnist', threads: 2, steps: 4, ragged: 0 },
  ];

  for (const { id, threads, steps, ragged } of cases) {
    it(`${id}: ${threads} threads give the weights one thread gives, step by step, to ${TOLERANCE}`, async () => {
      const project = template(id);
      const pair = await pairOf(project, await dataOf(project), threads);
      try {
        expect(pair.pool.threads).toBe(threads);
        const config = resolveRunConfig(project, {});
        const start = pair.oneModel.weights.map((w) => w.read().dataSync().slice());
        for (const [i, batch] of batches(pair.one.trainCount, config.batchSize, steps, ragged).entries()) {
          const a = await pair.one.trainBatch(batch);
          const b = await pair.many.trainBatch(batch);
          expect(Math.abs(a.loss - b.loss), `step ${i + 1}: loss ${a.loss} against ${b.loss}`).toBeLessThan(1e-5 * Math.max(1, a.loss));
          if (a.acc !== null) expect(b.acc).toBeCloseTo(a.acc, 5);
          else expect(b.acc).toBeNull();
          expect(largestDifference(pair.oneModel, pair.manyModel), `step ${i + 1} (${batch.length} rows)`).toBeLessThanOrEqual(TOLERANCE);
        }
        // The weights did move, by far more than the tolerance: agreeing where nothing trained would say nothing.
        let moved = 0;
        pair.oneModel.weights.forEach((w, i) => w.read().dataSync().forEach((v, j) => (moved = Math.max(moved, Math.abs(v - start[i]![j]!)))));
        expect(moved).toBeGreaterThan(100 * TOLERANCE);
      } finally {
        await closePair(pair);
      }
    }, 120_000);
  }

  it('a frozen layer stays as it was, and weight decay and a rate change apply as on one thread', async () => {
    const project = template('mlp-iris');
    const firstDense = project.graph.nodes.find((n) => n.type === 'Dense')!;
    const frozen: Project = { ...project, graph: { ...project.graph, nodes: project.graph.nodes.map((n) => (n.id === firstDense.id ? { ...n, frozen: true } : n)) } };
    const pair = await pairOf(frozen, await dataOf(frozen), 2, { optimizer: 'adamw', weightDecay: 0.01 });
    try {
      const before = pair.manyModel.weights.map((w) => w.read().dataSync().slice());
      for (const [i, batch] of batches(pair.one.trainCount, 16, 5).entries()) {
        pair.one.setLearningRate(0.01 / (i + 1));
        pair.many.setLearningRate(0.01 / (i + 1));
        await pair.one.trainBatch(batch);
        await pair.many.trainBatch(batch);
      }
      expect(largestDifference(pair.oneModel, pair.manyModel)).toBeLessThanOrEqual(TOLERANCE);
      pair.manyModel.weights.forEach((w, i) => {
        const moved = w.read().dataSync().some((v, j) => v !== before[i]![j]);
        expect(moved, w.name).toBe(w.trainable);
      });
    } finally {
      await closePair(pair);
    }
  }, 60_000);

  it('with Dropout, each thread draws its own masks from the seed: a run repeats for the same seed and threads', async () => {
    const project = template('mlp-mnist');
    const data = await dataOf(project);
    const trained = async () => {
      const pair = await pairOf(project, data, 2);
      try {
        for (const batch of batches(pair.many.trainCount, 32, 4)) await pair.many.trainBatch(batch);
        return pair.manyModel.weights.map((w) => Array.from(w.read().dataSync()));
      } finally {
        await closePair(pair);
      }
    };
    const first = await trained();
    expect(await trained()).toEqual(first);
  }, 60_000);

  it('trains on one thread, saying why, where worker threads cannot start', async () => {
    const project = template('mlp-iris');
    const config = resolveRunConfig(project, { threads: 2 });
    const refused = () => Promise.reject(new Error('Worker threads are not available here'));
    const trial = () => Promise.reject(new Error('no trial without a pool'));
    const result = await threadsForRun(project.graph, config, 'wasm', trial, refused);
    expect(result).toEqual({ pool: null, threads: 1, notes: ['more threads: the worker threads did not start (Worker threads are not available here)'] });
  });

  it('leaves a short run on one thread without timing, unless its threads are set', async () => {
    const project = template('mlp-iris');
    const never = () => Promise.reject(new Error('no pool for a short run'));
    const short = resolveRunConfig(project, { epochs: 3, maxBatches: 20 });
    expect(await threadsForRun(project.graph, short, 'wasm', never, never)).toEqual({
      pool: null,
      threads: 1,
      notes: ['more threads: a run of 60 batches ends before timing threads would pay off (CPU threads in the settings, or --threads, sets them)'],
    });
    const set = await threadsForRun(project.graph, resolveRunConfig(project, { epochs: 3, maxBatches: 20, threads: 2 }), 'wasm', never);
    try {
      // As many as were asked for, up to the machine's cores.
      const threads = Math.min(2, os.availableParallelism());
      expect(set.threads).toBe(threads);
      expect(set.pool?.threads ?? 1).toBe(threads);
    } finally {
      await set.pool?.close();
    }
  });

  it('a worker thread that has stopped fails the step in words, and a new pool trains', async () => {
    const project = template('mlp-iris');
    const data = await dataOf(project);
    const config = resolveRunConfig(project, {});
    const rows = batches(150, config.batchSize, 1)[0]!.filter((r) => r < 120);
    const pair = await pairOf(project, data, 2);
    try {
      await pair.pool.close();
      await expect(pair.many.trainBatch(rows)).rejects.toThrow(/^a training thread stopped \(exit code \d+\)$/);
    } finally {
      await closePair(pair);
    }
    const again = await pairOf(project, data, 2);
    try {
      const result = await again.many.trainBatch(rows);
      expect(Number.isFinite(result.loss)).toBe(true);
    } finally {
      await closePair(again);
    }
  }, 60_000);
});
