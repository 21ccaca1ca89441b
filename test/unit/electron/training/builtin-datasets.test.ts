import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR } from '../../../../electron/data/idx-files.js';
import { createJob } from '../../../../electron/training/jobs/create.js';
import { seededRandom, shuffled } from '../../../../electron/data/random.js';
import { resolveRunConfig } from '../../../../electron/training/run-config.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type { BuiltinDatasetId } from '../../../../shared/data/source.js';
import { projectSchema, type Project } from '../../../../shared/project/schema.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

const template = (id: string): Project => projectSchema.parse(JSON.parse(readFileSync(`templates/${id}.netcanvas.json`, 'utf8')));

/** Each built-in dataset and a template that trains on it. */
const PAIRS: Array<{ dataset: BuiltinDatasetId; template: string; batches: number }> = [
  { dataset: 'mnist', template: 'mlp-mnist', batches: 40 },
  { dataset: 'fashion-mnist', template: 'mlp-mnist', batches: 40 },
  { dataset: 'moby-dick', template: 'char-lstm-moby-dick', batches: 12 },
  { dataset: 'imdb', template: 'embedding-imdb', batches: 60 },
  { dataset: 'iris', template: 'mlp-iris', batches: 150 },
  { dataset: 'boston-housing', template: 'mlp-boston-housing', batches: 150 },
  { dataset: 'spirals', template: 'mlp-spirals', batches: 150 },
  { dataset: 'xor', template: 'mlp-spirals', batches: 150 },
  { dataset: 'circles', template: 'mlp-spirals', batches: 150 },
  { dataset: 'sine', template: 'lstm-sine', batches: 60 },
];

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('every built-in dataset trains with a template', () => {
  for (const { dataset, template: id, batches } of PAIRS) {
    const missing = dataset === 'fashion-mnist' && !existsSync(FASHION_MNIST_DIR);
    it.skipIf(missing)(`${dataset} with ${id}`, { timeout: 120_000 }, async () => {
      const project = template(id);
      project.training.dataset = dataset;
      const config = resolveRunConfig(project, {});
      const job = await createJob(project, config, {});
      try {
        expect(job.trainCount).toBeGreaterThan(0);
        const order = shuffled(job.trainCount, seededRandom(1));
        const size = Math.min(config.batchSize, job.trainCount);
        const losses: number[] = [];
        for (let b = 0; b < batches; b++) {
          const start = (b * size) % Math.max(1, job.trainCount - size);
          losses.push((await job.trainBatch(order.subarray(start, start + size))).loss);
        }
        expect(losses.every(Number.isFinite)).toBe(true);
        const tenth = Math.max(2, Math.floor(batches / 5));
        expect(mean(losses.slice(-tenth)), `${dataset}: the loss should fall from ${mean(losses.slice(0, tenth))}`).toBeLessThan(mean(losses.slice(0, tenth)));
      } finally {
        job.dispose();
      }
    });
  }
});
