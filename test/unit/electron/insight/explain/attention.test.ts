import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataAccess } from '../../../../../electron/data/access.js';
import { explain } from '../../../../../electron/insight/explain/index.js';
import { prepareInput } from '../../../../../electron/insight/inputs.js';
import type { PreparedInput, Session } from '../../../../../electron/insight/session.js';
import { explanationSchema, type ExplainRequest, type Explanation } from '../../../../../shared/api/insight.js';
import { closeSession, trainedSession } from '../trained.js';

/** The character Transformer's attention, read for a prompt after a few batches of Moby-Dick. */

const access = new DataAccess();
let session: Session;
let prepared: PreparedInput;

beforeAll(async () => {
  session = await trainedSession('char-transformer-moby-dick', { batches: 8, config: { batchSize: 16 }, backend: 'wasm', seededWeights: true });
  prepared = await prepareInput(session, { kind: 'text', text: 'call me ishmael. some years ago, never mind how long' }, access);
}, 120_000);

afterAll(() => {
  prepared.tensor.dispose();
  closeSession(session);
});

async function explained(request: ExplainRequest): Promise<Explanation> {
  const before = tf.memory().numTensors;
  const result = await explain(session, prepared, request);
  expect(tf.memory().numTensors).toBe(before);
  // What crosses the API is checked against the contract.
  return explanationSchema.parse(result);
}

describe('attention of a causal MultiHeadAttention layer', () => {
  it("gives each head's queries × keys weights: rows of 1, nothing from the future, the characters as labels", async () => {
    const result = await explained({ method: 'attention' });
    if (result.kind !== 'attention') throw new Error(result.kind);
    expect(result.layer).toBe('attention');
    expect(result.heads).toHaveLength(4);
    expect(prepared.tokens).toHaveLength(48);
    expect(result.queries).toEqual(prepared.tokens);
    expect(result.keys).toEqual(prepared.tokens);
    expect(result.queries.join('')).toContain('ishmael');
    for (const head of result.heads) {
      expect(head).toHaveLength(48);
      head.forEach((row, i) => {
        expect(row).toHaveLength(48);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        row.forEach((w, j) => (j > i ? expect(w).toBe(0) : expect(w).toBeGreaterThan(0)));
      });
    }
  });

  it("are the weights the layer mixes its values with: they give the layer's output", async () => {
    const result = await explained({ method: 'attention', layer: 'attention' });
    if (result.kind !== 'attention') throw new Error(result.kind);
    const layer = session.model.getLayer('Encoder_attention');
    const [given, output] = tf.tidy(() => {
      const probe = tf.model({ inputs: session.model.inputs, outputs: [session.model.getLayer('embed').output as tf.SymbolicTensor, layer.output as tf.SymbolicTensor] });
      const [e, o] = probe.predict(prepared.tensor) as tf.Tensor[];
      return [tf.keep(e!.reshape([48, 64])), tf.keep(o!.reshape([48, 64]))];
    });
    const mixed = tf.tidy(() => {
      const named = new Map(layer.weights.map((w) => [w.originalName.split('/').slice(-2).join('/'), w.read()]));
      const [, heads, valueDim] = named.get('value/kernel')!.shape as [number, number, number];
      // Each head's values, (heads, keys, valueDim), mixed by its weights and projected back.
      const values = tf.add(tf.matMul(given!, named.get('value/kernel')!.reshape([64, heads * valueDim])), named.get('value/bias')!.reshape([heads * valueDim]));
      const perHead = values.reshape([48, heads, valueDim]).transpose([1, 0, 2]);
      const read = tf.matMul(tf.tensor(result.heads), perHead);
      const flat = read.transpose([1, 0, 2]).reshape([48, heads * valueDim]);
      return tf.add(tf.matMul(flat, named.get('attention_output/kernel')!.reshape([heads * valueDim, 64])), named.get('attention_output/bias')!);
    });
    const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(mixed, output!))).dataSync()[0]!);
    const scale = tf.tidy(() => tf.max(tf.abs(output!)).dataSync()[0]!);
    tf.dispose([given!, output!, mixed]);
    expect(scale).toBeGreaterThan(0.01);
    expect(difference).toBeLessThan(1e-4 * Math.max(1, scale));
  });

  it('refuses a layer that is not attention, and the gradient methods on token ids, saying what to try', async () => {
    await expect(explain(session, prepared, { method: 'attention', layer: 'ff1' })).rejects.toThrow('Attention is read from a MultiHeadAttention layer, and Encoder_ff1 is a Dense.');
    await expect(explain(session, prepared, { method: 'saliency' })).rejects.toThrow(/reads token ids, which have none: try attribution instead/);
    await expect(explain(session, prepared, { method: 'adversarial' })).rejects.toThrow(/token ids/);
  });

  it("attributes the next character to the prompt's characters through the embedding", async () => {
    const result = await explained({ method: 'attribution' });
    if (result.kind !== 'attribution') throw new Error(result.kind);
    expect(result.tokens).toEqual(prepared.tokens!.filter((t) => t !== ''));
    expect(Math.max(...result.scores.map(Math.abs))).toBeCloseTo(1, 6);
    expect(result.className).toBe(session.data.corpus!.tokens[result.classIndex]);
  });
});
