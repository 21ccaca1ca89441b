import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBenchData } from '../../../../electron/bench/batches.js';
import { HANDWRITTEN } from '../../../../electron/bench/handwritten.js';
import { compiledNetworks } from '../../../../electron/bench/jobs.js';
import { disposeNetworks, partsOf } from '../../../../electron/bench/networks.js';
import { defaultTemplatesDir, TemplateStore } from '../../../../electron/backend/templates.js';
import { resolveRunConfig } from '../../../../electron/training/run-config.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type * as tf from '@tensorflow/tfjs';

const store = new TemplateStore(defaultTemplatesDir());
const templateIds = readdirSync(defaultTemplatesDir())
  .filter((f) => f.endsWith('.netcanvas.json'))
  .map((f) => f.slice(0, -'.netcanvas.json'.length));

beforeAll(async () => {
  // wasm, not cpu: the LSTM's orthogonal initializer alone takes about a minute on tfjs's JavaScript backend.
  await selectBackend('wasm');
});

const layersOf = (m: tf.LayersModel) => m.layers.filter((l) => l.getClassName() !== 'InputLayer');
const types = (m: tf.LayersModel) => layersOf(m).map((l) => l.getClassName());

/**
 * A layer's settings, less what does not change the computation: its name, and the input
 * shape and dtype a Sequential's first layer records. Embedding leaves maskZero unset when
 * not given, which it reads as false.
 */
function settings(layer: tf.layers.Layer): Record<string, unknown> {
  const { name: _name, batchInputShape: _shape, dtype: _dtype, ...rest } = layer.getConfig();
  const given = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return layer.getClassName() === 'Embedding' ? { maskZero: false, ...given } : given;
}

// The comparison is only honest if the hand-written network is the template's network.
describe('the hand-written networks of the training-speed bench', () => {
  it('are each named after a template that exists', () => {
    expect(templateIds).toEqual(expect.arrayContaining(Object.keys(HANDWRITTEN)));
  });

  it.each(Object.keys(HANDWRITTEN))('%s has the compiled template’s parts, parameter counts, layers and their settings, and output shapes', async (id) => {
    const project = (await store.load(id))!;
    const compiled = compiledNetworks(project, resolveRunConfig(project, {}), await loadBenchData(project.training.dataset));
    const hand = HANDWRITTEN[id]!();
    try {
      expect(partsOf(hand).map(([name]) => name)).toEqual(partsOf(compiled).map(([name]) => name));
      for (const [[name, c], [, h]] of partsOf(compiled).map((part, i) => [part, partsOf(hand)[i]!] as const)) {
        expect(h.countParams(), name).toBe(c.countParams());
        expect(h.trainableWeights.map((w) => w.shape), name).toEqual(c.trainableWeights.map((w) => w.shape));
        expect(h.outputs.map((o) => o.shape), name).toEqual(c.outputs.map((o) => o.shape));
        expect(types(h), name).toEqual(types(c));
        // Same sizes could still hide different settings, such as tfjs's hard-sigmoid LSTM gates.
        expect(layersOf(h).map(settings), name).toEqual(layersOf(c).map(settings));
      }
    } finally {
      disposeNetworks(compiled);
      disposeNetworks(hand);
    }
  });
});
