import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchOrder, benchDataKey, loadBenchData, type BenchData } from '../../../../electron/bench/batches.js';
import { benchJob, compiledNetworks } from '../../../../electron/bench/jobs.js';
import { partsOf } from '../../../../electron/bench/networks.js';
import { seededRandom } from '../../../../electron/data/random.js';
import { resolveRunConfig } from '../../../../electron/training/run-config.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import { startWebGpu, type WebGpuStart } from '../../../../electron/training/webgpu.js';
import { projectSchema, type Project } from '../../../../shared/project/schema.js';

/**
 * Every template trained a few batches on WebGPU (here Mesa's software adapter, where no GPU
 * is) and on the cpu backend from the same weights on the same batches: the same losses.
 */

const STEPS = 3;
// The image folder of the transfer-learning template is the user's own.
const TEMPLATES = ['mlp-mnist', 'cnn-mnist', 'autoencoder-mnist', 'dcgan-mnist', 'char-lstm-moby-dick', 'char-transformer-moby-dick', 'embedding-imdb', 'mlp-iris', 'mlp-boston-housing', 'mlp-spirals', 'lstm-sine', 'resnet-mnist', 'gru-imdb', 'transformer-imdb'];

function template(id: string): Project {
  const project = projectSchema.parse(JSON.parse(readFileSync(`templates/${id}.netcanvas.json`, 'utf8')));
  // Dropout draws its masks from each backend's own random generator: off, so both train the same function.
  for (const node of project.graph.nodes) if (node.type === 'Dropout') node.params.rate = 0;
  return project;
}

let webgpu: WebGpuStart;
const datasets = new Map<string, BenchData>();

beforeAll(async () => {
  webgpu = await startWebGpu();
}, 60_000);

/** The losses of the first STEPS batches on `backend`, from `weights` when given (else the fresh ones, returned). */
async function losses(backend: 'cpu' | 'webgpu', project: Project, data: BenchData, weights?: Float32Array[][]): Promise<{ losses: number[][]; weights: Float32Array[][] }> {
  // setBackend says false, and no more, when a backend fails to start.
  expect(await tf.setBackend(backend)).toBe(true);
  Math.random = seededRandom(7);
  const config = resolveRunConfig(project, { batchSize: 8 });
  const networks = compiledNetworks(project, config, data);
  const parts = partsOf(networks).map(([, model]) => model);
  if (weights) parts.forEach((model, p) => model.setWeights(model.getWeights().map((w, i) => tf.tensor(weights[p]![i]!, w.shape))));
  const start = await Promise.all(parts.map((model) => Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array))));
  const job = benchJob(project, config, networks, data);
  const order = batchOrder(job.trainCount, config.batchSize, config.seed);
  const out: number[][] = [];
  try {
    for (let k = 0; k < STEPS; k++) {
      const result = await job.trainBatch(order.batch(k));
      expect(tf.getBackend()).toBe(backend);
      out.push([result.loss, ...(result.dLoss !== undefined ? [result.dLoss, result.gLoss!] : [])]);
    }
  } finally {
    job.dispose();
  }
  return { losses: out, weights: start };
}

describe('training on WebGPU', () => {
  it('finds an adapter, or says why there is none', () => {
    if (webgpu.failure !== null) expect(webgpu.failure).toMatch(/not installed|no GPU adapter|does not load|did not start/);
    else expect(webgpu.adapter.name.length).toBeGreaterThan(0);
  });

  it('is the backend when asked for, named by its adapter; a software one is said to be', async (context) => {
    if (webgpu.failure !== null) context.skip(`no WebGPU here: ${webgpu.failure}`);
    const selection = await selectBackend('webgpu');
    expect(selection.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(selection.device).toBe(webgpu.adapter!.software ? `${webgpu.adapter!.name}, rendered in software` : webgpu.adapter!.name);
    await selectBackend('cpu');
  });

  for (const id of TEMPLATES) {
    it(`trains ${id} to the cpu backend's losses`, async (context) => {
      if (webgpu.failure !== null) context.skip(`no WebGPU here: ${webgpu.failure}`);
      const project = template(id);
      const key = benchDataKey(project.training.dataset);
      if (!datasets.has(key)) datasets.set(key, await loadBenchData(project.training.dataset));
      const data = datasets.get(key)!;
      const cpu = await losses('cpu', project, data);
      const gpu = await losses('webgpu', project, data, cpu.weights);
      await selectBackend('cpu');
      expect(gpu.losses).toHaveLength(STEPS);
      gpu.losses.flat().forEach((loss, i) => {
        const expected = cpu.losses.flat()[i]!;
        expect(Number.isFinite(loss)).toBe(true);
        expect(Math.abs(loss - expected), `${id}: loss ${i} is ${loss} on webgpu, ${expected} on cpu`).toBeLessThan(1e-3 * Math.max(1, Math.abs(expected)));
      });
    }, 180_000);
  }
});
