import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../../electron/compiler/compile.js';
import { DataAccess } from '../../../../../electron/data/access.js';
import { loadImdb } from '../../../../../electron/data/imdb.js';
import { seededRandom } from '../../../../../electron/data/random.js';
import { explain } from '../../../../../electron/insight/explain/index.js';
import { prepareInput } from '../../../../../electron/insight/inputs.js';
import { closeSession, sessionOf } from '../../../../../electron/insight/open.js';
import type { Session } from '../../../../../electron/insight/session.js';
import { resolveRunConfig } from '../../../../../electron/training/run-config.js';
import { selectBackend } from '../../../../../electron/training/tf-backend.js';
import type { Project } from '../../../../../shared/project/schema.js';
import { template } from '../trained.js';

/**
 * Attribution on a small sentiment network whose reviews are positive exactly when they hold
 * the word "great": that word must get the largest share, for the class and against the other.
 */

const NEUTRAL = ['the', 'film', 'was', 'a', 'story', 'of', 'and', 'it', 'plot', 'actor'];
const LENGTH = 8;
const SEED = 11;
const access = new DataAccess();
let folder: string;
let session: Session;

/** Reviews of seven words, neutral but for "great" in the positive ones. */
function reviews(count: number): { t: string; s: number }[] {
  const random = seededRandom(5);
  const pick = () => NEUTRAL[Math.floor(random() * NEUTRAL.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const words = Array.from({ length: 7 }, pick);
    const positive = i % 2;
    if (positive) words[Math.floor(random() * 7)] = 'great';
    return { t: words.join(' '), s: positive };
  });
}

function project(): Project {
  const base = template('embedding-imdb');
  const graph = structuredClone(base.graph);
  for (const node of graph.nodes) {
    if (node.type === 'Input') node.params = { ...node.params, shape: [LENGTH] };
    if (node.type === 'Embedding') node.params = { ...node.params, inputDim: 16, outputDim: 8 };
  }
  return { ...base, graph };
}

beforeAll(async () => {
  await selectBackend('cpu');
  folder = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-attribution-'));
  const file = path.join(folder, 'reviews.json');
  await writeFile(file, JSON.stringify(reviews(400)));
  const data = await loadImdb({ vocabulary: 16, length: LENGTH, train: 320, test: 40 }, file);
  const network = project();
  // tfjs draws its initial weights and fit's shuffles from Math.random: seeded, the network
  // trained here is the same on every run, as a run's trainer process makes it.
  const random = Math.random;
  Math.random = seededRandom(SEED);
  const model = compileGraph(network.graph);
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const count = data.train.count;
  const x = tf.tensor2d(data.train.features(Array.from({ length: count }, (_, i) => i)), [count, LENGTH]);
  const y = tf.oneHot(tf.tensor1d(data.train.labels!, 'int32'), 2);
  const history = await model.fit(x, y, { epochs: 25, batchSize: 32, verbose: 0 }).finally(() => {
    Math.random = random;
  });
  tf.dispose([x, y]);
  expect(history.history.acc!.at(-1)).toBeGreaterThan(0.95);
  session = sessionOf({ runId: 'attribution-test', project: network, settings: resolveRunConfig(network, { backend: 'cpu' }), model, data, checkpoint: 'last' });
}, 60_000);

afterAll(async () => {
  closeSession(session);
  await rm(folder, { recursive: true, force: true });
});

describe('text attribution', () => {
  it('gives the deciding word the largest score, for its class and against the other', async () => {
    for (const text of ['the film was great and it', 'great plot of the actor', 'a story of the film and great']) {
      const prepared = await prepareInput(session, { kind: 'text', text }, access);
      try {
        const before = tf.memory().numTensors;
        const positive = await explain(session, prepared, { method: 'attribution' });
        const negative = await explain(session, prepared, { method: 'attribution', classIndex: 0 });
        expect(tf.memory().numTensors).toBe(before);
        if (positive.kind !== 'attribution' || negative.kind !== 'attribution') throw new Error('not an attribution');
        // Padding is left out: one score per word of the text.
        expect(positive.tokens).toEqual(text.split(' '));
        expect(positive.className).toBe('positive');
        expect(negative.className).toBe('negative');
        const great = positive.tokens.indexOf('great');
        expect(positive.scores[great]).toBeCloseTo(1, 6);
        expect(negative.scores[great]).toBeCloseTo(-1, 6);
        positive.scores.forEach((score, i) => i !== great && expect(Math.abs(score)).toBeLessThan(0.9));
      } finally {
        prepared.tensor.dispose();
      }
    }
  });

  it('refuses a network without an embedding', async () => {
    const prepared = await prepareInput(session, { kind: 'text', text: 'great' }, access);
    const withoutEmbedding = { ...session, info: { ...session.info, embeddingLayer: null } };
    await expect(explain(withoutEmbedding, prepared, { method: 'attribution' })).rejects.toThrow('Attribution reads an Embedding (or TokenAndPositionEmbedding) layer, and this network has none.');
    prepared.tensor.dispose();
  });
});
