import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../electron/compiler/compile.js';
import { loadIris } from '../../../../electron/data/tabular.js';
import type { LoadedDataset } from '../../../../electron/data/dataset.js';
import { seededRandom } from '../../../../electron/data/random.js';
import { checkpointFile, loadCheckpoint } from '../../../../electron/training/checkpoint.js';
import {
  HEALTH_FILE,
  HISTOGRAM_BINS,
  healthBatch,
  healthBefore,
  healthRecorder,
  measureHealth,
  nodeNames,
  readHealth,
} from '../../../../electron/training/health.js';
import { createJob } from '../../../../electron/training/jobs/create.js';
import { ganJob } from '../../../../electron/training/jobs/gan.js';
import type { TrainingJob } from '../../../../electron/training/jobs/job.js';
import { supervisedJob } from '../../../../electron/training/jobs/supervised.js';
import { runLoop, unwatchedHooks } from '../../../../electron/training/loop.js';
import { resolveRunConfig, type ResolvedRunConfig } from '../../../../electron/training/run-config.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type { HealthEpoch } from '../../../../shared/api/insight.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { trainingDefaultsSchema, type Project } from '../../../../shared/project/schema.js';
import { chain, node } from '../../../fixtures/graphs.js';

const hooks = unwatchedHooks;

/** Iris through an MLP; the second Dense's name is no identifier, so its tfjs layer is named otherwise. */
function irisGraph(): Graph {
  return chain(
    node('in', 'Input', { shape: [4] }),
    { ...node('hidden', 'Dense', { units: 12, activation: 'tanh' }), name: 'first hidden' },
    node('relu', 'Dense', { units: 8, activation: 'relu' }),
    { ...node('out', 'Dense', { units: 3, activation: 'softmax' }), name: 'species' },
  );
}

function irisProject(graph: Graph): Project {
  return {
    schemaVersion: 1,
    name: 'iris health',
    description: '',
    graph,
    training: trainingDefaultsSchema.parse({ dataset: 'iris', loss: 'categoricalCrossentropy', optimizer: 'adam', learningRate: 0.02, batchSize: 16, epochs: 3, seed: 11 }),
  };
}

interface Trained {
  dir: string;
  job: TrainingJob;
  config: ResolvedRunConfig;
  epochs: HealthEpoch[];
}

/** Trains through the Trainer's job and loop, recording health into a fresh run folder. */
async function train(graph: Graph, prepare?: (model: tf.LayersModel) => void): Promise<Trained> {
  const project = irisProject(graph);
  const config = resolveRunConfig(project, { validation: { kind: 'test' } });
  const job = await createJob(project, config, {});
  prepare?.(job.parts[0]!.model);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-health-'));
  const health = healthRecorder({ runDir: dir, job, seed: config.seed, batchSize: config.batchSize, nodeName: nodeNames(graph) })!;
  try {
    await runLoop(job, config, hooks, { runDir: dir, resume: null, health });
  } finally {
    health.dispose();
  }
  return { dir, job, config, epochs: JSON.parse(await readFile(path.join(dir, HEALTH_FILE), 'utf8')) as HealthEpoch[] };
}

/** The fixed batch as the test builds it from the dataset itself: features and one-hot species. */
function fixedBatch(data: LoadedDataset, config: ResolvedRunConfig): { x: tf.Tensor; y: tf.Tensor } {
  const indices = healthBatch(data.train.count, config.batchSize, config.seed);
  const labels = Array.from(indices, (i) => data.train.labels![i]!);
  return { x: tf.tensor2d(data.train.features(indices), [indices.length, 4]), y: tf.oneHot(labels, 3).toFloat() };
}

/** Each layer's gradient norm of the cross-entropy on that batch, by tf.variableGrads, summed in doubles here. */
async function ownGradientNorms(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): Promise<Map<string, number>> {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => {
    const p = tf.clipByValue(model.predict(x) as tf.Tensor, 1e-7, 1 - 1e-7);
    return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(p)), -1))) as tf.Scalar;
  }, variables);
  value.dispose();
  const norms = new Map<string, number>();
  for (const layer of model.layers) {
    let squares = 0;
    for (const w of layer.trainableWeights) for (const g of await grads[(w.read() as tf.Variable).name]!.data()) squares += g * g;
    if (layer.trainableWeights.length > 0) norms.set(layer.name, Math.sqrt(squares));
  }
  tf.dispose(Object.values(grads));
  return norms;
}

const total = (counts: readonly number[]) => counts.reduce((a, b) => a + b, 0);

let iris: LoadedDataset;
let healthy: Trained;

beforeAll(async () => {
  await selectBackend('cpu');
  iris = await loadIris();
  healthy = await train(irisGraph());
}, 60_000);

describe('training health', () => {
  it('records one entry per epoch and one per layer with weights, named by the graph nodes', async () => {
    expect(healthy.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    for (const epoch of healthy.epochs) expect(epoch.layers.map((l) => l.name)).toEqual(['first hidden', 'relu', 'species']);
    expect(await readHealth(healthy.dir)).toEqual(healthy.epochs);
    // The weights move from epoch to epoch: each entry is measured anew.
    expect(healthy.epochs[2]!.layers[0]!.weightNorm).not.toBe(healthy.epochs[0]!.layers[0]!.weightNorm);
  });

  it("gives each layer histograms of 30 bins holding every one of its parameters, within the values' range", () => {
    const inference = inferGraph(irisGraph());
    const counts = ['hidden', 'relu', 'out'].map((id) => inference.nodes[id]!.trainableParams + inference.nodes[id]!.nonTrainableParams);
    expect(counts).toEqual([60, 104, 27]);
    for (const epoch of healthy.epochs) {
      epoch.layers.forEach((layer, i) => {
        for (const h of [layer.weights, layer.gradients]) {
          expect(h.counts).toHaveLength(HISTOGRAM_BINS);
          expect(total(h.counts)).toBe(counts[i]);
          expect(h.min).toBeLessThan(h.max);
        }
      });
    }
  });

  it('records the real gradients: the last epoch matches tf.variableGrads of the loss on the same batch', async () => {
    const model = healthy.job.parts[0]!.model;
    const { x, y } = fixedBatch(iris, healthy.config);
    const own = await ownGradientNorms(model, x, y);
    tf.dispose([x, y]);
    const last = healthy.epochs.at(-1)!;
    const tfjsNames = ['first_hidden', 'relu', 'species'];
    last.layers.forEach((layer, i) => {
      const expected = own.get(tfjsNames[i]!)!;
      expect(expected).toBeGreaterThan(1e-4);
      expect(Math.abs(layer.gradientNorm - expected) / expected, layer.name).toBeLessThan(1e-4);
    });
    const kernel = await model.getLayer('relu').getWeights()[0]!.data();
    const weightNorm = Math.sqrt([...kernel, ...(await model.getLayer('relu').getWeights()[1]!.data())].reduce((s, v) => s + v * v, 0));
    expect(Math.abs(last.layers[1]!.weightNorm - weightNorm) / weightNorm).toBeLessThan(1e-4);
  });

  it('shows a dead layer: a Dense whose bias drives its ReLU below zero has gradient norm 0', async () => {
    const dead = await train(irisGraph(), (model) => {
      const layer = model.getLayer('relu');
      const [kernel, bias] = layer.getWeights();
      layer.setWeights([kernel!, tf.fill(bias!.shape, -1e3)]);
    });
    const last = dead.epochs.at(-1)!.layers;
    expect(last.map((l) => l.name)).toEqual(['first hidden', 'relu', 'species']);
    // Nothing passes the dead ReLU: neither it nor the layer before learns; the output's bias still does.
    expect(last[1]!.gradientNorm).toBe(0);
    expect(last[0]!.gradientNorm).toBe(0);
    expect(last[2]!.gradientNorm).toBeGreaterThan(0);
    expect(last[1]!.gradients.counts[0]).toBe(104);
    dead.job.dispose();
  });

  it('keeps the epochs of the run a continued run goes on from, and adds its own', async () => {
    const project = irisProject(irisGraph());
    const config = resolveRunConfig(project, { validation: { kind: 'test' }, epochs: 1 });
    const job = await createJob(project, config, {});
    const resume = await loadCheckpoint(checkpointFile(healthy.dir, 'last'), job.parts);
    expect(resume.epoch).toBe(3);
    const before = await healthBefore(checkpointFile(healthy.dir, 'last'), 2);
    expect(before.map((e) => e.epoch)).toEqual([1, 2]);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-health-'));
    const health = healthRecorder({ runDir: dir, job, seed: config.seed, batchSize: config.batchSize, earlier: await healthBefore(checkpointFile(healthy.dir, 'last'), resume.epoch) })!;
    await runLoop(job, config, hooks, { runDir: dir, resume, health });
    health.dispose();
    job.dispose();
    expect((await readHealth(dir)).map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
  });

  it('reads a missing or damaged file as no epochs', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-health-'));
    expect(await readHealth(dir)).toEqual([]);
    await writeFile(path.join(dir, HEALTH_FILE), '[{"epoch": 1, "layers": [');
    expect(await readHealth(dir)).toEqual([]);
    await writeFile(path.join(dir, HEALTH_FILE), '[{"epoch": "one", "layers": []}]');
    expect(await readHealth(dir)).toEqual([]);
  });

  it('includes a frozen layer, whose gradient is zero', async () => {
    const graph = irisGraph();
    graph.nodes[1] = { ...graph.nodes[1]!, frozen: true };
    const project = irisProject(graph);
    const config = resolveRunConfig(project, {});
    const train = { count: 8, batch: (idx: ArrayLike<number>) => fixedBatch(iris, { ...config, batchSize: idx.length }) };
    const job = supervisedJob({ task: 'classify', model: compileGraph(graph), config, train, validation: null, outputIds: ['out'] });
    const probe = job.healthProbe!(healthBatch(8, 8, 1));
    const layers = await measureHealth(probe, nodeNames(graph));
    probe.dispose();
    job.dispose();
    expect(layers.map((l) => [l.name, l.gradientNorm > 0])).toEqual([
      ['first hidden', false],
      ['relu', true],
      ['species', true],
    ]);
    expect(layers[0]!.weightNorm).toBeGreaterThan(0);
    expect(total(layers[0]!.gradients.counts)).toBe(60);
  });

  it("records both of a GAN's networks, each under its own name", async () => {
    const generator = compileGraph(chain(node('z', 'Input', { shape: [3] }), node('g', 'Dense', { units: 4, activation: 'tanh' })));
    const discriminator = compileGraph(chain(node('x', 'Input', { shape: [4] }), node('d', 'Dense', { units: 1, activation: 'sigmoid' })));
    const config = resolveRunConfig(irisProject(irisGraph()), {});
    const job = ganJob({ generator, discriminator, config, images: iris.train, imageShape: [4], latentDim: 3, signed: false, random: seededRandom(1), gridSize: 4 });
    const probe = job.healthProbe!(healthBatch(iris.train.count, 16, 1));
    const layers = await measureHealth(probe);
    probe.dispose();
    job.dispose();
    expect(layers.map((l) => l.name)).toEqual(['generator/g', 'discriminator/d']);
    expect(layers.map((l) => total(l.weights.counts))).toEqual([16, 5]);
    for (const layer of layers) expect(layer.gradientNorm).toBeGreaterThan(0);
  });
});
