import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../electron/compiler/compile.js';
import { checkpointFile, loadCheckpoint, saveCheckpoint } from '../../../../electron/training/checkpoint.js';
import type { ExampleSource } from '../../../../electron/training/jobs/examples.js';
import type { TrainingJob } from '../../../../electron/training/jobs/job.js';
import { supervisedJob } from '../../../../electron/training/jobs/supervised.js';
import { seededRandom } from '../../../../electron/data/random.js';
import { runLoop, type LoopHooks } from '../../../../electron/training/loop.js';
import { resolveRunConfig, type ResolvedRunConfig } from '../../../../electron/training/run-config.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type { EpochRecord, RunConfig } from '../../../../shared/api/contract.js';
import { chain, node, project } from '../../../fixtures/graphs.js';

/** Points in the plane labelled by the sign of x·y: a small problem a tiny network learns in seconds. */
function quadrants(count: number, seed: number): ExampleSource {
  const random = seededRandom(seed);
  const xs = Float32Array.from({ length: count * 2 }, () => random() * 2 - 1);
  return {
    count,
    batch(indices) {
      const n = indices.length;
      const x = new Float32Array(n * 2);
      const y = new Float32Array(n * 2);
      for (let i = 0; i < n; i++) {
        const j = indices[i]!;
        x.set(xs.subarray(j * 2, j * 2 + 2), i * 2);
        y[i * 2 + (xs[j * 2]! * xs[j * 2 + 1]! > 0 ? 1 : 0)] = 1;
      }
      return { x: tf.tensor2d(x, [n, 2]), y: tf.tensor2d(y, [n, 2]) };
    },
  };
}

const graph = chain(node('in', 'Input', { shape: [2] }), node('h', 'Dense', { units: 16, activation: 'tanh' }), node('out', 'Dense', { units: 2, activation: 'softmax' }));

function config(overrides: RunConfig = {}): ResolvedRunConfig {
  return resolveRunConfig(project(graph), { epochs: 3, batchSize: 32, learningRate: 0.05, ...overrides });
}

function job(c: ResolvedRunConfig, weightsFrom?: tf.LayersModel): TrainingJob {
  const model = compileGraph(graph);
  if (weightsFrom) model.setWeights(weightsFrom.getWeights());
  return supervisedJob({ task: 'classify', model, config: c, train: quadrants(512, 1), validation: quadrants(256, 2), outputIds: ['out'] });
}

interface Recorder extends LoopHooks {
  epochs: EpochRecord[];
  batches: number;
  checkpoints: Array<{ epoch: number; kinds: string[] }>;
}

function recorder(overrides: Partial<LoopHooks> = {}): Recorder {
  const r: Recorder = {
    epochs: [],
    batches: 0,
    checkpoints: [],
    onBatch: () => r.batches++,
    onEpoch: (record) => r.epochs.push(record),
    onSamples: () => undefined,
    onCheckpoint: (epoch, kinds) => r.checkpoints.push({ epoch, kinds }),
    shouldStop: () => false,
    isPaused: () => false,
    takeSampleRequest: () => null,
    nextMessage: () => new Promise((resolve) => setTimeout(resolve, 5)),
    ...overrides,
  };
  return r;
}

const weightsOf = async (model: tf.LayersModel) => Promise.all(model.getWeights().map((w) => w.data().then((d) => Array.from(d))));

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('the training loop', () => {
  it('learns, validates every epoch and follows a step schedule', async () => {
    const c = config({ epochs: 6, schedule: { kind: 'step', everyEpochs: 2, factor: 0.5 } });
    const hooks = recorder();
    const result = await runLoop(job(c), c, hooks, { runDir: null, resume: null });
    expect(result.reason).toBe('completed');
    expect(hooks.batches).toBe(6 * 16);
    expect(hooks.epochs.map((e) => e.learningRate)).toEqual([0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125]);
    // Chance is 0.5; the sign of x·y is learnable but not instantly by 16 tanh units.
    expect(hooks.epochs.at(-1)!.valAcc).toBeGreaterThan(0.75);
    expect(hooks.epochs.at(-1)!.valLoss).toBeLessThan(hooks.epochs[0]!.valLoss!);
  });

  it('caps epochs by samplesPerEpoch and maxBatches', async () => {
    const c = config({ epochs: 1, samplesPerEpoch: 100, batchSize: 10 });
    const hooks = recorder();
    await runLoop(job(c), c, hooks, { runDir: null, resume: null });
    expect(hooks.batches).toBe(10);
    const capped = config({ epochs: 1, maxBatches: 3 });
    const h2 = recorder();
    await runLoop(job(capped), capped, h2, { runDir: null, resume: null });
    expect(h2.batches).toBe(3);
  });

  it('stops early when the validation loss stops improving', async () => {
    // A rate this small cannot improve the loss by minDelta in an epoch.
    const c = config({ epochs: 20, learningRate: 1e-6, earlyStopping: { patience: 2, minDelta: 0.01 } });
    const hooks = recorder();
    const result = await runLoop(job(c), c, hooks, { runDir: null, resume: null });
    expect(result.reason).toBe('early-stopped');
    expect(hooks.epochs).toHaveLength(3);
  });

  it('holds between batches while paused, serves samples there, and stops within a batch', async () => {
    let paused = false;
    let stop = false;
    const c = config({ epochs: 1 });
    const hooks = recorder({
      onBatch: () => {
        hooks.batches++;
        if (hooks.batches === 2) paused = true;
      },
      isPaused: () => paused,
      shouldStop: () => stop,
    });
    const run = runLoop(job(c), c, hooks, { runDir: null, resume: null });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hooks.batches).toBe(2);
    paused = false;
    stop = true;
    const result = await run;
    expect(result.reason).toBe('stopped');
    expect(hooks.batches).toBe(2);
  });

  it('writes checkpoints atomically, and a run resumed from one ends exactly where an unbroken run does', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-ckpt-'));
    const c = config({ epochs: 2, optimizer: 'adam', learningRate: 0.01 });
    const unbroken = job(c);
    const initial = compileGraph(graph);
    initial.setWeights(unbroken.parts[0]!.model.getWeights());
    await runLoop(unbroken, c, recorder(), { runDir: null, resume: null });

    const first = job({ ...c, epochs: 1 }, initial);
    const hooks = recorder();
    await runLoop(first, { ...c, epochs: 1 }, hooks, { runDir: dir, resume: null });
    expect(hooks.checkpoints).toEqual([{ epoch: 1, kinds: ['last', 'best'] }]);
    expect((await readdir(dir)).sort()).toEqual(['best.ckpt', 'last.ckpt']);

    const resumed = job({ ...c, epochs: 1 });
    const state = await loadCheckpoint(checkpointFile(dir, 'last'), resumed.parts);
    expect(state.epoch).toBe(1);
    const after = recorder();
    await runLoop(resumed, { ...c, epochs: 1 }, after, { runDir: dir, resume: state });
    expect(after.epochs.map((e) => e.epoch)).toEqual([2]);
    const [a, b] = [await weightsOf(unbroken.parts[0]!.model), await weightsOf(resumed.parts[0]!.model)];
    a.forEach((w, i) => w.forEach((v, j) => expect(b[i]![j]).toBeCloseTo(v, 5)));
  });

  it('refuses a checkpoint of a different network, naming the weight', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-ckpt-'));
    const c = config({ epochs: 1, maxBatches: 2 });
    await runLoop(job(c), c, recorder(), { runDir: dir, resume: null });
    const wider = chain(node('in', 'Input', { shape: [2] }), node('h', 'Dense', { units: 32, activation: 'tanh' }), node('out', 'Dense', { units: 2, activation: 'softmax' }));
    const other = supervisedJob({ task: 'classify', model: compileGraph(wider), config: c, train: quadrants(8, 1), validation: null, outputIds: ['out'] });
    await expect(loadCheckpoint(checkpointFile(dir, 'last'), other.parts)).rejects.toThrow(/has shape 2×16 but the network expects 2×32: the network was changed/);
    await expect(loadCheckpoint(path.join(dir, 'nope.ckpt'), other.parts)).rejects.toThrow(/cannot be read: it does not exist/);
  });

  it('writes one checkpoint to several files without leaving tensors behind', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-ckpt-'));
    const c = config({ epochs: 1, maxBatches: 2 });
    const j = job(c);
    await runLoop(j, c, recorder(), { runDir: null, resume: null });
    const state = { epoch: 1, history: [], bestLoss: null, step: 2 };
    const files = [checkpointFile(dir, 'last'), checkpointFile(dir, 'best')];
    await saveCheckpoint(files, j.parts, state);
    const before = tf.memory().numTensors;
    await saveCheckpoint(files, j.parts, state);
    expect(tf.memory().numTensors).toBe(before);
    for (const file of files) expect(await loadCheckpoint(file, job(c).parts)).toEqual({ ...state, optimizerFresh: false });
  });

  it('stops a diverging run with the likely causes', async () => {
    const c = config({ epochs: 1, learningRate: 10, optimizer: 'sgd', loss: 'meanSquaredError' });
    const exploding = chain(node('in', 'Input', { shape: [2] }), node('out', 'Dense', { units: 2 }));
    const j = supervisedJob({ task: 'classify', model: compileGraph(exploding), config: c, train: { count: 3200, batch: (idx) => ({ x: tf.fill([idx.length, 2], 1e4), y: tf.zeros([idx.length, 2]) }) }, validation: null, outputIds: ['out'] });
    await expect(runLoop(j, c, recorder(), { runDir: null, resume: null })).rejects.toThrow(/Training diverged: the loss became (NaN|Infinity).*learning rate \(10\) is too high/);
  });
});
