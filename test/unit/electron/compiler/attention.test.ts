import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../electron/compiler/compile.js';
import { MultiHeadAttention } from '../../../../electron/compiler/custom/multi-head-attention.js';
import { PositionEmbedding } from '../../../../electron/compiler/custom/positional-embedding.js';
import { TransformerEncoder } from '../../../../electron/compiler/custom/transformer-encoder.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Graph, GraphEdge, GraphNode } from '../../../../shared/graph/types.js';
import { chain, node } from '../../../fixtures/graphs.js';
import { createRng } from '../../../fixtures/layers/types.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

afterAll(() => {
  tf.disposeVariables();
});

/** Inputs of the given shapes, all feeding one layer (in slot order when `slots` is given). */
function fanIn(shapes: number[][], layer: GraphNode, slots?: readonly string[]): Graph {
  const nodes = shapes.map((shape, i) => node(`in${i}`, 'Input', { shape }));
  const edges: GraphEdge[] = shapes.map((_, i) => ({
    id: `e${i}`,
    source: `in${i}`,
    target: layer.id,
    ...(slots ? { targetHandle: slots[i]! } : {}),
  }));
  return { nodes: [...nodes, layer], edges };
}

/** Keras MultiHeadAttention's parameter count, written out from its four EinsumDense layers. */
function kerasMhaCount(dq: number, dv: number, dk: number, h: number, k: number, v: number, bias: boolean): number {
  const b = bias ? 1 : 0;
  const query = h * k * dq + b * h * k;
  const key = h * k * dk + b * h * k;
  const value = h * v * dv + b * h * v;
  const output = h * v * dq + b * dq;
  return query + key + value + output;
}

describe('MultiHeadAttention parameters', () => {
  it('counts what Keras counts and what the tfjs layer holds, for random configurations', () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 40; trial++) {
      const count = rng.int(1, 3);
      const [dq, dv0, dk0] = [rng.int(1, 9), rng.int(1, 9), rng.int(1, 9)];
      const dv = count >= 2 ? dv0 : dq;
      const dk = count === 3 ? dk0 : dv;
      const steps = rng.int(1, 4);
      const shapes = [[rng.int(1, 4), dq], [steps, dv], [steps, dk]].slice(0, count);
      const h = rng.int(1, 4);
      const k = rng.int(1, 7);
      const valueDim = rng.bool() ? null : rng.int(1, 7);
      const useBias = rng.bool();
      const params = { numHeads: h, keyDim: k, valueDim, useBias, dropout: 0, useCausalMask: rng.bool() };
      const graph = fanIn(shapes, node('mha', 'MultiHeadAttention', params));
      const what = JSON.stringify({ shapes, params });

      const inference = inferGraph(graph);
      expect(inference.diagnostics, what).toEqual([]);
      const expected = kerasMhaCount(dq, dv, dk, h, k, valueDim ?? k, useBias);
      expect(inference.nodes.mha!.trainableParams, what).toBe(expected);

      const model = compileGraph(graph);
      const layer = model.getLayer('mha');
      expect(layer.countParams(), what).toBe(expected);
      const v = valueDim ?? k;
      const layout: [string, number[]][] = [
        ['query/kernel', [dq, h, k]],
        ['query/bias', [h, k]],
        ['key/kernel', [dk, h, k]],
        ['key/bias', [h, k]],
        ['value/kernel', [dv, h, v]],
        ['value/bias', [h, v]],
        ['attention_output/kernel', [h, v, dq]],
        ['attention_output/bias', [dq]],
      ];
      const want = layout.filter(([name]) => useBias || name.endsWith('kernel'));
      expect(
        layer.weights.map((w) => [w.originalName.slice('mha/'.length), w.shape]),
        what,
      ).toEqual(want);
      model.dispose();
    }
  });

  it('matches the formula for equal query, key and value sizes', () => {
    const [d, h, k, v] = [12, 3, 5, 4];
    const graph = chain(node('in', 'Input', { shape: [7, d] }), node('mha', 'MultiHeadAttention', { numHeads: h, keyDim: k, valueDim: v }));
    expect(inferGraph(graph).nodes.mha!.trainableParams).toBe(2 * h * k * (d + 1) + h * v * (d + 1) + h * v * d + d);
  });

  it('takes its inputs by slot name, whatever order the connections were made in', () => {
    const graph = fanIn([[4, 6], [5, 3], [4, 2]], node('mha', 'MultiHeadAttention', { numHeads: 2, keyDim: 3 }), ['key', 'query', 'value']);
    // in0 is the key (dk 6), in1 the query (dq 3), in2 the value (dv 2).
    const inference = inferGraph(graph);
    expect(inference.diagnostics).toEqual([]);
    expect(inference.nodes.mha!.outputShape).toEqual([null, 5, 3]);
    expect(inference.nodes.mha!.trainableParams).toBe(kerasMhaCount(3, 2, 6, 2, 3, 3, true));
  });
});

interface MhaWeights {
  queryKernel: tf.Tensor3D;
  queryBias: tf.Tensor2D | null;
  keyKernel: tf.Tensor3D;
  keyBias: tf.Tensor2D | null;
  valueKernel: tf.Tensor3D;
  valueBias: tf.Tensor2D | null;
  outputKernel: tf.Tensor3D;
  outputBias: tf.Tensor1D | null;
}

/** One head's (in, size) slice of a (in, heads, size) kernel. */
const headOf = (kernel: tf.Tensor3D, head: number): tf.Tensor2D => {
  const [rows, , size] = kernel.shape;
  return tf.reshape(tf.slice(kernel, [0, head, 0], [rows, 1, size]), [rows, size]);
};

/**
 * Attention written head by head and example by example, as in the paper: each head's
 * softmax(QKᵀ/√k)V, projected back and summed over heads.
 */
function referenceAttention(query: tf.Tensor3D, value: tf.Tensor3D, key: tf.Tensor3D, w: MhaWeights, causal: boolean): tf.Tensor3D {
  return tf.tidy(() => {
    const [batch, tq, dq] = query.shape;
    const tk = key.shape[1];
    const [, heads, keyDim] = w.queryKernel.shape;
    const valueDim = w.valueKernel.shape[2];
    const future = tf.tensor2d(Array.from({ length: tq }, (_, i) => Array.from({ length: tk }, (_, j) => (j > i ? 1 : 0)))).cast('bool');
    const examples: tf.Tensor2D[] = [];
    for (let b = 0; b < batch; b++) {
      const example = (t: tf.Tensor3D) => tf.reshape(tf.slice(t, [b, 0, 0], [1, t.shape[1], t.shape[2]]), [t.shape[1], t.shape[2]]) as tf.Tensor2D;
      const [qx, vx, kx] = [example(query), example(value), example(key)];
      let out: tf.Tensor2D = tf.zeros([tq, dq]);
      for (let h = 0; h < heads; h++) {
        const bias = (t: tf.Tensor2D | null, size: number) => (t ? tf.reshape(tf.slice(t, [h, 0], [1, size]), [size]) : tf.zeros([size]));
        const q = tf.add(tf.matMul(qx, headOf(w.queryKernel, h)), bias(w.queryBias, keyDim));
        const k = tf.add(tf.matMul(kx, headOf(w.keyKernel, h)), bias(w.keyBias, keyDim));
        const v = tf.add(tf.matMul(vx, headOf(w.valueKernel, h)), bias(w.valueBias, valueDim));
        let scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(keyDim));
        if (causal) scores = tf.where(future, tf.fill([tq, tk], -Infinity), scores);
        const mixed = tf.matMul(tf.softmax(scores), v);
        const back = tf.reshape(tf.slice(w.outputKernel, [h, 0, 0], [1, valueDim, dq]), [valueDim, dq]) as tf.Tensor2D;
        out = tf.add(out, tf.matMul(mixed, back));
      }
      examples.push(w.outputBias ? tf.add(out, w.outputBias) : out);
    }
    return tf.stack(examples) as tf.Tensor3D;
  });
}

describe('MultiHeadAttention computes attention', () => {
  const cases = [
    { name: 'cross-attention with three different sizes, causal', shapes: [[4, 5], [6, 3], [6, 4]], h: 2, k: 3, v: 2, bias: true, causal: true },
    { name: 'cross-attention without biases', shapes: [[3, 5], [4, 3], [4, 2]], h: 3, k: 2, v: 4, bias: false, causal: false },
    { name: 'query and value, key = value', shapes: [[5, 4], [3, 6]], h: 2, k: 4, v: 4, bias: true, causal: false },
    { name: 'self-attention, causal', shapes: [[6, 8]], h: 2, k: 4, v: 3, bias: true, causal: true },
  ];

  it.each(cases)('$name equals a step-by-step reference', ({ shapes, h, k, v, bias, causal }) => {
    const graph = fanIn(shapes, node('mha', 'MultiHeadAttention', { numHeads: h, keyDim: k, valueDim: v, useBias: bias, useCausalMask: causal }));
    const model = compileGraph(graph);
    const [dq, dv, dk] = [shapes[0]![1]!, (shapes[1] ?? shapes[0]!)[1]!, (shapes[2] ?? shapes[1] ?? shapes[0]!)[1]!];
    const w: MhaWeights = {
      queryKernel: tf.randomNormal([dq, h, k]),
      queryBias: bias ? tf.randomNormal([h, k]) : null,
      keyKernel: tf.randomNormal([dk, h, k]),
      keyBias: bias ? tf.randomNormal([h, k]) : null,
      valueKernel: tf.randomNormal([dv, h, v]),
      valueBias: bias ? tf.randomNormal([h, v]) : null,
      outputKernel: tf.randomNormal([h, v, dq]),
      outputBias: bias ? tf.randomNormal([dq]) : null,
    };
    const ordered: (tf.Tensor | null)[] = [w.queryKernel, w.queryBias, w.keyKernel, w.keyBias, w.valueKernel, w.valueBias, w.outputKernel, w.outputBias];
    const weights = ordered.filter((t): t is tf.Tensor => t !== null);
    model.getLayer('mha').setWeights(weights);
    const xs = shapes.map((s) => tf.randomNormal([2, ...s]));
    const got = model.predict(xs.length === 1 ? xs[0]! : xs) as tf.Tensor;
    const [query, value = query, key = value] = xs as [tf.Tensor3D, tf.Tensor3D?, tf.Tensor3D?];
    const want = referenceAttention(query, value, key, w, causal);
    expect(got.shape).toEqual(want.shape);
    const diff = tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]!;
    expect(diff).toBeLessThan(1e-4);
    tf.dispose([got, want, ...xs, ...weights]);
    model.dispose();
  });

  it('the causal mask hides later tokens: changing one leaves every earlier output unchanged', () => {
    const outputsFor = (causal: boolean) => {
      const graph = chain(
        node('in', 'Input', { shape: [6] }),
        node('tokens', 'TokenAndPositionEmbedding', { vocabularySize: 10, sequenceLength: 6, embeddingDim: 8 }),
        node('mha', 'MultiHeadAttention', { numHeads: 2, keyDim: 4, useCausalMask: causal }),
      );
      const model = compileGraph(graph);
      const before = model.predict(tf.tensor2d([[1, 2, 3, 4, 5, 6]])) as tf.Tensor;
      const after = model.predict(tf.tensor2d([[1, 2, 3, 9, 5, 6]])) as tf.Tensor;
      // Largest change at each position.
      const change = Array.from(tf.max(tf.abs(tf.sub(after, before)), [0, 2]).dataSync());
      tf.dispose([before, after]);
      model.dispose();
      return change;
    };
    const causal = outputsFor(true);
    expect(causal.slice(0, 3).every((c) => c < 1e-6), `changes ${causal.join(', ')}`).toBe(true);
    expect(causal.slice(3).every((c) => c > 1e-6), `changes ${causal.join(', ')}`).toBe(true);
    const open = outputsFor(false);
    expect(open.slice(0, 3).every((c) => c > 1e-6), `without the mask, changes ${open.join(', ')}`).toBe(true);
  });
});

describe('positional embeddings', () => {
  it('PositionalEmbedding adds the first T rows of its table to the input', () => {
    const model = compileGraph(chain(node('in', 'Input', { shape: [3, 4] }), node('pos', 'PositionalEmbedding', { sequenceLength: 5 })));
    const [table] = model.getLayer('pos').getWeights() as [tf.Tensor2D];
    expect(table.shape).toEqual([5, 4]);
    const x = tf.randomNormal([2, 3, 4]);
    const got = model.predict(x) as tf.Tensor;
    const want = tf.add(x, tf.slice(table, [0, 0], [3, 4]));
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([x, got, want]); // the table is the layer's own variable
    model.dispose();
  });

  it('TokenAndPositionEmbedding looks each token up and adds its position', () => {
    const model = compileGraph(
      chain(node('in', 'Input', { shape: [3] }), node('emb', 'TokenAndPositionEmbedding', { vocabularySize: 7, sequenceLength: 4, embeddingDim: 2 })),
    );
    const layer = model.getLayer('emb');
    expect(layer.weights.map((w) => [w.originalName.slice('emb/'.length), w.shape])).toEqual([
      ['token_embedding/embeddings', [7, 2]],
      ['position_embedding/embeddings', [4, 2]],
    ]);
    const tokens = tf.tensor2d([[0, 1, 2, 3, 4, 5, 6], [10, 11, 12, 13, 14, 15, 16]]).transpose() as tf.Tensor2D;
    const positions = tf.tensor2d([[100, 200], [300, 400], [500, 600], [700, 800]]);
    layer.setWeights([tokens, positions]);
    const got = model.predict(tf.tensor2d([[6, 0, 3]])) as tf.Tensor;
    expect(Array.from(got.dataSync())).toEqual([106, 216, 300, 410, 503, 613]);
    tf.dispose([tokens, positions, got]);
    model.dispose();
  });
});

/** Adam on a fixed batch; returns the loss of every step. */
async function trainLosses(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, steps: number): Promise<number[]> {
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push((await model.trainOnBatch(x, y)) as number);
  return losses;
}

describe('TransformerEncoderBlock', () => {
  it.each([false, true])('trains on a toy task that needs attention (normalizeFirst %s)', async (normalizeFirst) => {
    // Every step must output the mean of the first feature over the whole sequence.
    const x = tf.randomNormal([32, 6, 8]);
    const y = tf.tile(tf.mean(tf.slice(x, [0, 0, 0], [32, 6, 1]), 1, true), [1, 6, 1]);
    const graph = chain(
      node('in', 'Input', { shape: [6, 8] }),
      node('enc', 'TransformerEncoderBlock', { intermediateDim: 16, numHeads: 2, normalizeFirst, dropout: 0 }),
      node('out', 'Dense', { units: 1 }),
    );
    const model = compileGraph(graph);
    const losses = await trainLosses(model, x, y, 60);
    const first = losses.slice(0, 5).reduce((a, b) => a + b, 0) / 5;
    const last = losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
    expect(losses.every(Number.isFinite), losses.join(', ')).toBe(true);
    expect(last, `losses ${losses.map((l) => l.toFixed(3)).join(', ')}`).toBeLessThan(first * 0.5);
    tf.dispose([x, y]);
    model.dispose();
  });

  it.each([false, true])('equals keras-hub’s computation written out step by step (normalizeFirst %s)', (normalizeFirst) => {
    const [steps, d, h, ff, eps] = [4, 6, 2, 5, 1e-3];
    const graph = chain(
      node('in', 'Input', { shape: [steps, d] }),
      node('enc', 'TransformerEncoderBlock', { intermediateDim: ff, numHeads: h, normalizeFirst, layerNormEpsilon: eps, activation: 'tanh' }),
    );
    const model = compileGraph(graph);
    const layer = model.getLayer('enc');
    // Random values everywhere, norms included, so that every weight shows in the output.
    const ws = layer.weights.map((w) => tf.randomNormal(w.shape as number[]));
    layer.setWeights(ws);
    const [qk, qb, kk, kb, vk, vb, ok, ob, g1, b1, g2, b2, k1, c1, k2, c2] = ws as [
      tf.Tensor3D, tf.Tensor2D, tf.Tensor3D, tf.Tensor2D, tf.Tensor3D, tf.Tensor2D, tf.Tensor3D, tf.Tensor1D,
      tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D,
    ];
    const mha: MhaWeights = { queryKernel: qk, queryBias: qb, keyKernel: kk, keyBias: kb, valueKernel: vk, valueBias: vb, outputKernel: ok, outputBias: ob };
    const norm = (t: tf.Tensor3D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => {
      const { mean, variance } = tf.moments(t, 2, true);
      return tf.add(tf.mul(tf.div(tf.sub(t, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta) as tf.Tensor3D;
    };
    const dense = (t: tf.Tensor3D, kernel: tf.Tensor2D, bias: tf.Tensor1D) => {
      const [b, s, f] = t.shape;
      return tf.reshape(tf.add(tf.matMul(tf.reshape(t, [b * s, f]), kernel), bias), [b, s, kernel.shape[1]]) as tf.Tensor3D;
    };
    const attend = (t: tf.Tensor3D) => referenceAttention(t, t, t, mha, false);
    const feedForward = (t: tf.Tensor3D) => dense(tf.tanh(dense(t, k1, c1)), k2, c2);
    const x = tf.randomNormal([2, steps, d]) as tf.Tensor3D;
    let want: tf.Tensor3D;
    if (normalizeFirst) {
      const a = tf.add(x, attend(norm(x, g1, b1))) as tf.Tensor3D;
      want = tf.add(a, feedForward(norm(a, g2, b2)));
    } else {
      const a = norm(tf.add(x, attend(x)), g1, b1);
      want = norm(tf.add(a, feedForward(a)), g2, b2);
    }
    const got = model.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-4);
    model.dispose();
  });

  it('names its weights as keras-hub does and counts them by the formula', () => {
    const [d, h, ff] = [12, 3, 20];
    const graph = chain(node('in', 'Input', { shape: [4, d] }), node('enc', 'TransformerEncoderBlock', { intermediateDim: ff, numHeads: h }));
    const k = d / h;
    const mha = 2 * h * k * (d + 1) + h * k * (d + 1) + h * k * d + d;
    const formula = mha + 2 * (2 * d) + (d * ff + ff) + (ff * d + d);
    expect(inferGraph(graph).nodes.enc!.trainableParams).toBe(formula);
    const model = compileGraph(graph);
    const layer = model.getLayer('enc');
    expect(layer.countParams()).toBe(formula);
    expect(layer.weights.map((w) => w.originalName.slice('enc/'.length))).toEqual([
      'self_attention_layer/query/kernel',
      'self_attention_layer/query/bias',
      'self_attention_layer/key/kernel',
      'self_attention_layer/key/bias',
      'self_attention_layer/value/kernel',
      'self_attention_layer/value/bias',
      'self_attention_layer/attention_output/kernel',
      'self_attention_layer/attention_output/bias',
      'self_attention_layer_norm/gamma',
      'self_attention_layer_norm/beta',
      'feedforward_layer_norm/gamma',
      'feedforward_layer_norm/beta',
      'feedforward_intermediate_dense/kernel',
      'feedforward_intermediate_dense/bias',
      'feedforward_output_dense/kernel',
      'feedforward_output_dense/bias',
    ]);
    model.dispose();
  });
});

describe('padding masks', () => {
  /** Embedding(mask zero) → the layers under test, once for 5 steps and once for 3, sharing every layer. */
  function paddedAndShort(layers: () => tf.layers.Layer[], maskZero = true) {
    const embedding = tf.layers.embedding({ inputDim: 10, outputDim: 6, maskZero });
    const stack = layers();
    const build = (steps: number) => {
      const input = tf.input({ shape: [steps] });
      let x = embedding.apply(input) as tf.SymbolicTensor;
      for (const layer of stack) x = layer.apply(x) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: x });
    };
    const [padded, short] = [build(5), build(3)];
    const a = padded.predict(tf.tensor2d([[4, 7, 2, 0, 0]])) as tf.Tensor;
    const b = short.predict(tf.tensor2d([[4, 7, 2]])) as tf.Tensor;
    const diff = tf.max(tf.abs(tf.sub(tf.slice(a, [0, 0, 0], [1, 3, -1]), b))).dataSync()[0]!;
    tf.dispose([a, b]);
    padded.dispose();
    return diff;
  }

  it('hide padding steps from attention, as Keras does with an Embedding that masks zeros', () => {
    expect(paddedAndShort(() => [new MultiHeadAttention({ numHeads: 2, keyDim: 3 })])).toBeLessThan(1e-5);
    expect(
      paddedAndShort(() => [new PositionEmbedding({ sequenceLength: 5 }), new TransformerEncoder({ numHeads: 2, intermediateDim: 4 })]),
    ).toBeLessThan(1e-5);
    // Without the mask, the padding steps would change what the real ones see.
    expect(paddedAndShort(() => [new MultiHeadAttention({ numHeads: 2, keyDim: 3 })], false)).toBeGreaterThan(1e-4);
  });
});

describe('saving and loading', () => {
  it('a model with every custom layer round-trips through toJSON and modelFromJSON', async () => {
    const graph: Graph = {
      nodes: [
        node('in', 'Input', { shape: [5] }),
        node('tokens', 'TokenAndPositionEmbedding', { vocabularySize: 12, sequenceLength: 8, embeddingDim: 8 }),
        node('pos', 'PositionalEmbedding', { sequenceLength: 6 }),
        node('mha', 'MultiHeadAttention', { numHeads: 2, keyDim: 3, valueDim: 5, useCausalMask: true, dropout: 0.1, useBias: false }),
        node('enc', 'TransformerEncoderBlock', { intermediateDim: 10, numHeads: 4, activation: 'gelu', normalizeFirst: true, layerNormEpsilon: 1e-3 }),
      ],
      edges: [
        { id: 'a', source: 'in', target: 'tokens' },
        { id: 'b', source: 'tokens', target: 'pos' },
        { id: 'c', source: 'pos', target: 'mha', targetHandle: 'query' },
        { id: 'd', source: 'tokens', target: 'mha', targetHandle: 'value' },
        { id: 'e', source: 'mha', target: 'enc' },
      ],
    };
    const model = compileGraph(graph);
    const json = model.toJSON(null, false) as Exclude<ReturnType<typeof model.toJSON>, string>;
    const loaded = await tf.models.modelFromJSON({ modelTopology: json });
    expect(loaded.countParams()).toBe(model.countParams());
    for (const name of ['tokens', 'pos', 'mha', 'enc']) {
      const [a, b] = [model.getLayer(name), loaded.getLayer(name)];
      expect(b.getClassName()).toBe(a.getClassName());
      expect(b.getConfig()).toEqual(a.getConfig());
      expect(b.weights.map((w) => w.shape)).toEqual(a.weights.map((w) => w.shape));
    }
    expect(model.getLayer('enc').getClassName()).toBe('TransformerEncoder');
    const weights = model.getWeights();
    loaded.setWeights(weights);
    const ids = tf.tensor2d([[3, 1, 4, 1, 5]]);
    const [want, got] = [model.predict(ids) as tf.Tensor, loaded.predict(ids) as tf.Tensor];
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([ids, want, got]);
    loaded.dispose();
    model.dispose();
  });

  it('a model file that passes use_causal_mask as a call argument, as Keras writes it, loads causal', async () => {
    const model = compileGraph(chain(node('in', 'Input', { shape: [4, 3] }), node('mha', 'MultiHeadAttention', { numHeads: 1, keyDim: 2 })));
    const json = model.toJSON(null, false) as { config: { layers: { name: string; config: Record<string, unknown>; inbound_nodes: unknown[][][] }[] } };
    const layer = json.config.layers.find((l) => l.name === 'mha')!;
    delete layer.config.use_causal_mask;
    layer.inbound_nodes = [[['in', 0, 0, { use_causal_mask: true }]]];
    const loaded = await tf.models.modelFromJSON({ modelTopology: json as unknown as Exclude<ReturnType<typeof model.toJSON>, string> });
    const x = tf.randomNormal([1, 4, 3]);
    const changed = tf.concat([tf.slice(x, [0, 0, 0], [1, 3, 3]), tf.fill([1, 1, 3], 5)], 1);
    const [a, b] = [loaded.predict(x) as tf.Tensor, loaded.predict(changed) as tf.Tensor];
    const change = Array.from(tf.max(tf.abs(tf.sub(a, b)), [0, 2]).dataSync());
    expect(change.slice(0, 3).every((c) => c < 1e-6), `changes ${change.join(', ')}`).toBe(true);
    expect(change[3]).toBeGreaterThan(1e-6);
    tf.dispose([x, changed, a, b]);
    loaded.dispose();
    model.dispose();
  });
});

describe('problems are plain sentences with a fix', () => {
  const diagnosticsOf = (graph: Graph) => inferGraph(graph).diagnostics;

  it('MultiHeadAttention on a flat input names the shape and the rank problem', () => {
    const [problem] = diagnosticsOf(chain(node('in', 'Input', { shape: [10] }), node('mha', 'MultiHeadAttention', {})));
    expect(problem).toMatchObject({ code: 'WRONG_RANK', nodeId: 'mha' });
    expect(problem!.message).toContain('(batch, steps, features) but gets (?, 10)');
  });

  it('MultiHeadAttention on an image offers a Reshape that makes each pixel a step', () => {
    const [problem] = diagnosticsOf(chain(node('in', 'Input', { shape: [4, 5, 3] }), node('mha', 'MultiHeadAttention', {})));
    expect(problem).toMatchObject({
      code: 'WRONG_RANK',
      fix: { kind: 'insert-before', layerType: 'Reshape', params: { targetShape: [20, 3] } },
    });
    expect(problem!.message).toContain('(?, 4, 5, 3): insert Reshape to (20, 3)');
  });

  it('MultiHeadAttention names the slot of a wrongly shaped input and refuses value/key of different lengths', () => {
    const [rank] = diagnosticsOf(fanIn([[4, 8], [8]], node('mha', 'MultiHeadAttention', {})));
    expect(rank!.message).toContain('its value input');
    const [lengths] = diagnosticsOf(fanIn([[4, 8], [5, 8], [6, 8]], node('mha', 'MultiHeadAttention', {})));
    expect(lengths).toMatchObject({ code: 'SHAPE_MISMATCH' });
    expect(lengths!.message).toContain('value (?, 5, 8) has 5 steps and its key (?, 6, 8) has 6');
  });

  it('TransformerEncoderBlock names the head counts that divide the features', () => {
    const [problem] = diagnosticsOf(chain(node('in', 'Input', { shape: [8, 10] }), node('enc', 'TransformerEncoderBlock', { numHeads: 4 })));
    expect(problem).toMatchObject({ code: 'SHAPE_MISMATCH', fix: { kind: 'set-param', param: 'numHeads', value: 5 } });
    expect(problem!.message).toContain('10 features of (?, 8, 10)');
    expect(problem!.message).toContain('use 2 or 5 heads');
    const [tooMany] = diagnosticsOf(chain(node('in', 'Input', { shape: [8, 3] }), node('enc', 'TransformerEncoderBlock', { numHeads: 4 })));
    expect(tooMany).toMatchObject({ fix: { param: 'numHeads', value: 3 } });
    expect(tooMany!.message).toContain('use 3 heads');
  });

  it('TransformerEncoderBlock needs a sequence', () => {
    const [problem] = diagnosticsOf(chain(node('in', 'Input', { shape: [16] }), node('enc', 'TransformerEncoderBlock', {})));
    expect(problem).toMatchObject({ code: 'WRONG_RANK' });
    expect(problem!.message).toContain('TransformerEncoderBlock needs its input as a sequence (batch, steps, features) but gets (?, 16)');
  });

  it('a sequence longer than the positional table asks for a longer table', () => {
    const [pos] = diagnosticsOf(chain(node('in', 'Input', { shape: [6, 8] }), node('pos', 'PositionalEmbedding', { sequenceLength: 4 })));
    expect(pos).toMatchObject({ code: 'SHAPE_MISMATCH', fix: { kind: 'set-param', param: 'sequenceLength', value: 6 } });
    expect(pos!.message).toBe(
      'PositionalEmbedding learns positions for sequences of up to 4 steps but its input (?, 6, 8) has 6: set its sequence length to at least 6.',
    );
    const [tokens] = diagnosticsOf(
      chain(node('in', 'Input', { shape: [9] }), node('emb', 'TokenAndPositionEmbedding', { sequenceLength: 8, vocabularySize: 5, embeddingDim: 4 })),
    );
    expect(tokens).toMatchObject({ code: 'SHAPE_MISMATCH', fix: { param: 'sequenceLength', value: 9 } });
  });

  it('token ids and embedded sequences each point to the other embedding layer', () => {
    const [ids] = diagnosticsOf(chain(node('in', 'Input', { shape: [20] }), node('pos', 'PositionalEmbedding', {})));
    expect(ids!.message).toContain('use TokenAndPositionEmbedding');
    const [vectors] = diagnosticsOf(chain(node('in', 'Input', { shape: [20, 8] }), node('emb', 'TokenAndPositionEmbedding', {})));
    expect(vectors!.message).toContain('use PositionalEmbedding');
    const [column] = diagnosticsOf(chain(node('in', 'Input', { shape: [20, 1] }), node('emb', 'TokenAndPositionEmbedding', {})));
    expect(column).toMatchObject({ code: 'WRONG_RANK', fix: { kind: 'insert-before', layerType: 'Flatten' } });
  });
});
