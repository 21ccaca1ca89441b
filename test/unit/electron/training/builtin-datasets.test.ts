import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR } from '../../../../electron/data/idx-files.js';
import { loadTextFiles } from '../../../../electron/data/text-files.js';
import { createJob } from '../../../../electron/training/jobs/create.js';
import { seededRandom, shuffled } from '../../../../electron/data/random.js';
import { resolveRunConfig } from '../../../../electron/training/run-config.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import { textSourceSchema, type BuiltinDatasetId } from '../../../../shared/data/source.js';
import { projectSchema, type Project } from '../../../../shared/project/schema.js';
import { chain, node, project } from '../../../fixtures/graphs.js';

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

describe('a text file of your own trains a word-level language model', () => {
  it('learns the next word and writes words', { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-words-'));
    const file = path.join(dir, 'story.txt');
    const sentences = ['the cat sat on the mat.', 'the dog ran to the park.', 'a bird sang in the tree.'];
    await writeFile(file, Array.from({ length: 120 }, (_, i) => sentences[i % 3]).join(' '));
    const source = textSourceSchema.parse({ kind: 'text', path: file, level: 'word', length: 6, stride: 1 });
    const data = await loadTextFiles(source);
    const v = data.vocabulary!;
    const graph = chain(
      node('in', 'Input', { shape: [6] }),
      node('embed', 'Embedding', { inputDim: v, outputDim: 16 }),
      node('lstm', 'LSTM', { units: 32 }),
      node('out', 'Dense', { units: v, activation: 'softmax' }),
    );
    const p = project(graph, 16);
    p.training = { ...p.training, dataset: source, task: 'language-model', learningRate: 0.02 };
    const job = await createJob(p, resolveRunConfig(p, {}), {});
    try {
      const losses: number[] = [];
      const order = shuffled(job.trainCount, seededRandom(3));
      for (let b = 0; b < 60; b++) losses.push((await job.trainBatch(order.subarray((b * 16) % (job.trainCount - 16), ((b * 16) % (job.trainCount - 16)) + 16))).loss);
      expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)) / 2);
      const samples = await job.samples(0.5);
      expect(samples).toMatchObject({ kind: 'text' });
      if (samples?.kind !== 'text') return;
      const words = samples.text.trim().split(' ');
      expect(words.length).toBeGreaterThan(20);
      expect(words.every((w) => ['the', 'cat', 'sat', 'on', 'mat', 'dog', 'ran', 'to', 'park', 'a', 'bird', 'sang', 'in', 'tree', '.', '<unk>'].includes(w))).toBe(true);
    } finally {
      job.dispose();
    }
  });
});

describe('two classes and one sigmoid output', () => {
  it('trains with binary cross-entropy on the class as 0 or 1', { timeout: 60_000 }, async () => {
    const p = template('mlp-spirals');
    p.training = { ...p.training, dataset: 'xor', loss: 'binaryCrossentropy' };
    p.graph.nodes = p.graph.nodes.map((n) => (n.id === 'output' ? { ...n, params: { ...n.params, units: 1, activation: 'sigmoid' } } : n));
    const job = await createJob(p, resolveRunConfig(p, {}), {});
    try {
      const order = shuffled(job.trainCount, seededRandom(1));
      const losses: number[] = [];
      for (let b = 0; b < 100; b++) {
        const start = (b * 32) % (job.trainCount - 32);
        losses.push((await job.trainBatch(order.subarray(start, start + 32))).loss);
      }
      expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)) * 0.8);
      const { valAcc } = await job.validate();
      expect(valAcc).toBeGreaterThan(0.8);
    } finally {
      job.dispose();
    }
  });
});
