import { tokenIds } from './core.js';
import { activate, activationProblem } from '../activations.js';
import { constant, inner, optionalWeight, weight, type LayerCall, type LayerEmitter } from '../layer.js';

/*
 * NetCanvas's own layers (electron/compiler/custom/) as MatMul, Softmax and Add graphs,
 * step for step as their tfjs code computes them.
 */

/** Keras's masked-softmax adder, as the tfjs layer uses. */
const MASKED_SCORE = -1e9;

/** (batch, steps, features) → (batch, heads, steps, size) through a (features, heads, size) kernel. */
function project(c: LayerCall, x: string, steps: number, prefix: string): string {
  const { b } = c;
  const kernel = weight(c, `${prefix}/kernel`);
  const [features, heads, size] = kernel.shape as [number, number, number];
  let y = b.matmul(x, constant(c, kernel, [features, heads * size]));
  const bias = optionalWeight(c, `${prefix}/bias`);
  if (bias) y = b.add(y, constant(c, bias, [heads * size]));
  return b.transpose(b.reshape(y, [0, steps, heads, size]), [0, 2, 1, 3]);
}

interface Attention {
  query: string;
  value: string;
  key: string;
  queries: number;
  keys: number;
  keyDim: number;
  causal: boolean;
}

/** Keras MultiHeadAttention: project, scale by 1/sqrt(keyDim), mask, softmax over keys, mix values, project back. */
function attention(c: LayerCall, a: Attention): string {
  const { b } = c;
  const q = b.mul(project(c, a.query, a.queries, 'query'), b.scalar(1 / Math.sqrt(a.keyDim), 'scale'));
  const k = project(c, a.key, a.keys, 'key');
  const v = project(c, a.value, a.keys, 'value');
  let scores = b.matmul(q, b.transpose(k, [0, 1, 3, 2]));
  if (a.causal) {
    const mask = new Float32Array(a.queries * a.keys);
    for (let i = 0; i < a.queries; i++) for (let j = i + 1; j < a.keys; j++) mask[i * a.keys + j] = MASKED_SCORE;
    scores = b.add(scores, b.floats('causal_mask', [a.queries, a.keys], mask));
  }
  const probs = b.op1('Softmax', [scores], { axis: -1 });
  const out = weight(c, 'attention_output/kernel');
  const [heads, valueDim, features] = out.shape as [number, number, number];
  const mixed = b.reshape(b.transpose(b.matmul(probs, v), [0, 2, 1, 3]), [0, a.queries, heads * valueDim]);
  let y = b.matmul(mixed, constant(c, out, [heads * valueDim, features]));
  const bias = optionalWeight(c, 'attention_output/bias');
  if (bias) y = b.add(y, constant(c, bias));
  return y;
}

function multiHeadAttention(c: LayerCall): string {
  const [query, value = query, key = value] = c.inputs as [string, string?, string?];
  const [queryShape, valueShape = queryShape] = c.inputShapes;
  return attention(c, {
    query,
    value,
    key,
    queries: inner(queryShape!)[0]!,
    keys: inner(valueShape!)[0]!,
    keyDim: c.params.keyDim as number,
    causal: c.params.useCausalMask as boolean,
  });
}

/** The first `steps` rows of a (sequenceLength, features) position table. */
function positions(c: LayerCall, suffix: string, steps: number): string {
  const table = weight(c, suffix);
  const features = table.shape[1]!;
  return constant(c, table, [steps, features], table.values.subarray(0, steps * features));
}

function transformerEncoder(c: LayerCall): string {
  const { b } = c;
  const input = c.inputs[0]!;
  const [steps, features] = inner(c.inputShapes[0]!) as [number, number];
  const epsilon = c.params.layerNormEpsilon as number;
  const first = c.params.normalizeFirst as boolean;
  const norm = (x: string, name: string) =>
    b.op1('LayerNormalization', [x, constant(c, weight(c, `${name}/gamma`)), constant(c, weight(c, `${name}/beta`))], { axis: -1, epsilon: { float: epsilon } });
  const dense = (x: string, name: string) => b.add(b.matmul(x, constant(c, weight(c, `${name}/kernel`))), constant(c, weight(c, `${name}/bias`)));
  let x = first ? norm(input, 'self_attention_layer_norm') : input;
  x = attention(c, { query: x, value: x, key: x, queries: steps, keys: steps, keyDim: features / (c.params.numHeads as number), causal: false });
  x = b.add(x, input);
  if (!first) x = norm(x, 'self_attention_layer_norm');
  const residual = x;
  if (first) x = norm(x, 'feedforward_layer_norm');
  x = activate(b, dense(x, 'feedforward_intermediate_dense'), c.params.activation as string);
  x = b.add(dense(x, 'feedforward_output_dense'), residual);
  return first ? x : norm(x, 'feedforward_layer_norm');
}

export const ATTENTION_EMITTERS: Record<string, LayerEmitter> = {
  MultiHeadAttention: { emit: (c) => [multiHeadAttention(c)] },
  PositionalEmbedding: {
    emit: (c) => [c.b.add(c.inputs[0]!, positions(c, 'embeddings', inner(c.inputShapes[0]!)[0]!))],
  },
  TokenAndPositionEmbedding: {
    emit: (c) => {
      const steps = inner(c.inputShapes[0]!)[0]!;
      const tokens = c.b.op1('Gather', [constant(c, weight(c, 'token_embedding/embeddings')), tokenIds(c.b, c.inputs[0]!)], { axis: 0 });
      return [c.b.add(tokens, positions(c, 'position_embedding/embeddings', steps))];
    },
  },
  TransformerEncoderBlock: { refuse: (p) => activationProblem(p.activation as string), emit: (c) => [transformerEncoder(c)] },
};
