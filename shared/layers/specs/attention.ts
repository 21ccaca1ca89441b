import { ACTIVATIONS } from '../activations.js';
import { defineLayer, type KerasConfig, type ShapeResult } from '../types.js';
import type { Fix } from '../../graph/diagnostics.js';
import { formatShape, type Shape } from '../../graph/types.js';

const known = (dims: (number | null)[]): dims is number[] => dims.every((d) => d !== null);

/**
 * WRONG_RANK for a layer that needs (batch, steps, features). From an image-like input the
 * obvious repair is a Reshape that makes each position one step.
 */
function needsSequence(layer: string, what: string, shape: Shape, offerFix: boolean): ShapeResult {
  const inner = shape.slice(1);
  const prefix = `${layer} needs ${what} as a sequence (batch, steps, features) but gets ${formatShape(shape)}`;
  if (inner.length > 2 && known(inner)) {
    const steps = inner.slice(0, -1).reduce((a, b) => a * b, 1);
    const features = inner[inner.length - 1]!;
    const fix: Fix = { kind: 'insert-before', layerType: 'Reshape', params: { targetShape: [steps, features] }, label: `Insert Reshape to (${steps}, ${features})` };
    return {
      ok: false,
      code: 'WRONG_RANK',
      message: `${prefix}: insert Reshape to (${steps}, ${features}) so each position becomes one step.`,
      ...(offerFix ? { fix } : {}),
    };
  }
  if (inner.length > 2) return { ok: false, code: 'WRONG_RANK', message: `${prefix}: insert Reshape to lay it out as (steps, features).` };
  return {
    ok: false,
    code: 'WRONG_RANK',
    message: `${prefix}: feed it a sequence, e.g. from an Embedding or a recurrent layer with return sequences on.`,
  };
}

function unknownFeatures(layer: string, what: string, shape: Shape): ShapeResult {
  return { ok: false, code: 'UNKNOWN_DIMENSION', message: `${layer} needs a known number of features in ${what} but gets ${formatShape(shape)}.` };
}

/** A sequence longer than the positions a layer has learned; the fix is a longer table. */
function tooLong(layer: string, shape: Shape, sequenceLength: number): ShapeResult | null {
  const steps = shape[1];
  if (steps === null || steps === undefined || steps <= sequenceLength) return null;
  return {
    ok: false,
    code: 'SHAPE_MISMATCH',
    message: `${layer} learns positions for sequences of up to ${sequenceLength} steps but its input ${formatShape(shape)} has ${steps}: set its sequence length to at least ${steps}.`,
    fix: { kind: 'set-param', param: 'sequenceLength', value: steps, label: `Set sequence length to ${steps}` },
  };
}

const SLOTS = ['query', 'value', 'key'] as const;

/** Query, value and key feature sizes; key defaults to value and value to query, as in Keras. */
function attentionDims(inputs: readonly Shape[]): { dq: number; dv: number; dk: number } {
  const last = (s: Shape | undefined) => (s ? (s[s.length - 1] ?? 0) : undefined);
  const dq = last(inputs[0]) ?? 0;
  const dv = last(inputs[1]) ?? dq;
  return { dq, dv, dk: last(inputs[2]) ?? dv };
}

/** Keras MultiHeadAttention's weights: query, key, value and output EinsumDense kernels (and biases). */
export function attentionParams(dims: { dq: number; dv: number; dk: number }, heads: number, keyDim: number, valueDim: number, useBias: boolean): number {
  const { dq, dk, dv } = dims;
  const bias = useBias ? 1 : 0;
  return heads * keyDim * (dq + bias) + heads * keyDim * (dk + bias) + heads * valueDim * (dv + bias) + heads * valueDim * dq + bias * dq;
}

export const multiHeadAttention = defineLayer({
  type: 'MultiHeadAttention',
  kerasClass: 'MultiHeadAttention',
  category: 'Attention',
  summary:
    'Lets each step of a sequence look at every step of another sequence (or the same one) and mix in what is relevant: the heart of Transformers. One input attends to itself; or connect query, value and key separately.',
  params: [
    { kind: 'int', name: 'numHeads', label: 'Heads', default: 2, min: 1, max: 256, help: 'Number of attention heads; each learns its own way of relating steps.' },
    { kind: 'int', name: 'keyDim', label: 'Key size', default: 16, min: 1, max: 4096, help: 'Size of each head’s query and key vectors.' },
    {
      kind: 'int',
      name: 'valueDim',
      label: 'Value size',
      default: null,
      min: 1,
      max: 4096,
      nullable: true,
      nullLabel: 'Same as key size',
      advanced: true,
      help: 'Size of each head’s value vectors; empty means the same as the key size.',
    },
    { kind: 'float', name: 'dropout', label: 'Dropout', default: 0, min: 0, max: 1, maxExclusive: true, help: 'Fraction of attention weights dropped at random while training, against overfitting.' },
    { kind: 'bool', name: 'useBias', label: 'Use bias', default: true, advanced: true, help: 'Add a learned offset in each projection.' },
    {
      kind: 'bool',
      name: 'useCausalMask',
      label: 'Causal',
      default: false,
      help: 'Each step sees only itself and earlier steps, never later ones: needed to predict the next item of a sequence.',
    },
  ],
  inputs: { min: 1, max: 3, slots: SLOTS },
  callParams: ['useCausalMask'],
  outputShape(inputs) {
    const single = inputs.length === 1;
    for (const [i, shape] of inputs.entries()) {
      const what = single ? 'its input' : `its ${SLOTS[i]} input`;
      if (shape.length !== 3) return needsSequence('MultiHeadAttention', what, shape, single);
      if (shape[2] === null) return unknownFeatures('MultiHeadAttention', what, shape);
    }
    const value = inputs[1];
    const key = inputs[2];
    if (value && key && value[1] !== null && key[1] !== null && value[1] !== key[1]) {
      return {
        ok: false,
        code: 'SHAPE_MISMATCH',
        message: `MultiHeadAttention pairs each key with the value at the same step, but its value ${formatShape(value)} has ${value[1]} steps and its key ${formatShape(key)} has ${key[1]}: feed value and key sequences of the same length.`,
      };
    }
    return { ok: true, shape: [...inputs[0]!] };
  },
  paramCount(inputs, params) {
    const keyDim = params.keyDim as number;
    const valueDim = (params.valueDim as number | null) ?? keyDim;
    return { trainable: attentionParams(attentionDims(inputs), params.numHeads as number, keyDim, valueDim, params.useBias as boolean), nonTrainable: 0 };
  },
  fromKeras(config: KerasConfig) {
    // NetCanvas's layer always outputs the query's feature size and attends over the steps axis.
    if (config.output_shape !== null && config.output_shape !== undefined) {
      throw new Error(`output_shape ${JSON.stringify(config.output_shape)} is not supported: the output has the query's feature size; add a Dense after the attention instead`);
    }
    const axes = config.attention_axes;
    const list = Array.isArray(axes) ? axes : [axes];
    if (axes !== null && axes !== undefined && !(list.length === 1 && (list[0] === 1 || list[0] === -2))) {
      throw new Error(`attention_axes ${JSON.stringify(axes)} is not supported: attention runs over the steps of (batch, steps, features)`);
    }
    return {};
  },
});

export const positionalEmbedding = defineLayer({
  type: 'PositionalEmbedding',
  kerasAddsToInput: true,
  kerasClass: 'PositionEmbedding',
  category: 'Attention',
  summary:
    'Adds a learned vector for each position to a sequence, so the attention layers after it know the order of the steps.',
  params: [
    {
      kind: 'int',
      name: 'sequenceLength',
      label: 'Sequence length',
      default: 64,
      min: 1,
      max: 1_000_000,
      help: 'The longest sequence it learns positions for; inputs may be shorter.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, params) {
    const shape = inputs[0]!;
    if (shape.length === 2) {
      return {
        ok: false,
        code: 'WRONG_RANK',
        message: `PositionalEmbedding needs a sequence of vectors (batch, steps, features) but gets ${formatShape(shape)}: for token ids use TokenAndPositionEmbedding instead, or put an Embedding before it.`,
      };
    }
    if (shape.length !== 3) return needsSequence('PositionalEmbedding', 'its input', shape, true);
    if (shape[2] === null) return unknownFeatures('PositionalEmbedding', 'its input', shape);
    return tooLong('PositionalEmbedding', shape, params.sequenceLength as number) ?? { ok: true, shape: [...shape] };
  },
  paramCount(inputs, params) {
    const shape = inputs[0]!;
    return { trainable: (params.sequenceLength as number) * (shape[shape.length - 1] ?? 0), nonTrainable: 0 };
  },
});

export const tokenAndPositionEmbedding = defineLayer({
  type: 'TokenAndPositionEmbedding',
  kerasClass: 'TokenAndPositionEmbedding',
  category: 'Attention',
  summary:
    'Turns token ids into learned vectors and adds a learned vector for each position, so the network knows which token sits where. The usual first layer of a Transformer.',
  params: [
    { kind: 'int', name: 'vocabularySize', label: 'Vocabulary size', default: 1000, min: 1, max: 10_000_000, help: 'How many different tokens there are: ids run from 0 to this minus 1.' },
    { kind: 'int', name: 'sequenceLength', label: 'Sequence length', default: 64, min: 1, max: 1_000_000, help: 'The longest sequence it learns positions for; inputs may be shorter.' },
    { kind: 'int', name: 'embeddingDim', label: 'Embedding size', default: 32, min: 1, max: 100_000, help: 'Length of the vector each token becomes.' },
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, params) {
    const shape = inputs[0]!;
    if (shape.length !== 2) {
      const rest = shape.slice(2);
      if (shape.length > 2 && rest.every((d) => d === 1)) {
        return {
          ok: false,
          code: 'WRONG_RANK',
          message: `TokenAndPositionEmbedding needs token ids as (batch, steps) but gets ${formatShape(shape)}: insert Flatten.`,
          fix: { kind: 'insert-before', layerType: 'Flatten', label: 'Insert Flatten' },
        };
      }
      const advice = shape.length > 2 ? 'this looks embedded already; use PositionalEmbedding instead' : 'give its Input a shape with a number of steps, e.g. 64';
      return { ok: false, code: 'WRONG_RANK', message: `TokenAndPositionEmbedding needs token ids as (batch, steps) but gets ${formatShape(shape)}: ${advice}.` };
    }
    return tooLong('TokenAndPositionEmbedding', shape, params.sequenceLength as number) ?? { ok: true, shape: [...shape, params.embeddingDim as number] };
  },
  paramCount(_inputs, params) {
    const dim = params.embeddingDim as number;
    return { trainable: ((params.vocabularySize as number) + (params.sequenceLength as number)) * dim, nonTrainable: 0 };
  },
});

/** Head counts that split `features` evenly, nearest to `heads`: the largest below and the smallest above. */
export function nearestHeadCounts(features: number, heads: number): number[] {
  let below = 1;
  for (let h = Math.min(heads - 1, features); h >= 1; h--) {
    if (features % h === 0) {
      below = h;
      break;
    }
  }
  let above: number | null = null;
  for (let h = heads + 1; h <= features; h++) {
    if (features % h === 0) {
      above = h;
      break;
    }
  }
  return above === null ? [below] : [below, above];
}

export const transformerEncoderBlock = defineLayer({
  type: 'TransformerEncoderBlock',
  kerasClass: 'TransformerEncoder',
  category: 'Attention',
  summary:
    'One Transformer encoder layer: self-attention, then a small feed-forward network, each with a shortcut connection and layer normalization. Stack several to build a Transformer.',
  params: [
    { kind: 'int', name: 'intermediateDim', label: 'Feed-forward size', default: 64, min: 1, max: 1_000_000, help: 'Width of the hidden layer of the feed-forward network.' },
    { kind: 'int', name: 'numHeads', label: 'Heads', default: 2, min: 1, max: 256, help: 'Number of attention heads; the features must split evenly among them.' },
    { kind: 'float', name: 'dropout', label: 'Dropout', default: 0, min: 0, max: 1, maxExclusive: true, help: 'Fraction of values dropped at random while training, against overfitting.' },
    { kind: 'enum', name: 'activation', label: 'Activation', default: 'relu', options: ACTIVATIONS, help: 'Function in the feed-forward network; relu or gelu are usual.' },
    { kind: 'float', name: 'layerNormEpsilon', label: 'Norm epsilon', default: 1e-5, min: 1e-12, max: 1, advanced: true, help: 'Small number added in layer normalization to avoid dividing by zero.' },
    {
      kind: 'bool',
      name: 'normalizeFirst',
      label: 'Normalize first',
      default: false,
      advanced: true,
      help: 'Normalize before attention and feed-forward (pre-norm, as GPT-2; often trains more steadily) instead of after (as the original Transformer and BERT).',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, params) {
    const shape = inputs[0]!;
    if (shape.length !== 3) return needsSequence('TransformerEncoderBlock', 'its input', shape, true);
    const features = shape[2];
    if (features === null || features === undefined) return unknownFeatures('TransformerEncoderBlock', 'its input', shape);
    const heads = params.numHeads as number;
    if (features % heads !== 0) {
      const options = nearestHeadCounts(features, heads);
      const nearest = options.reduce((best, h) => (Math.abs(h - heads) < Math.abs(best - heads) ? h : best));
      return {
        ok: false,
        code: 'SHAPE_MISMATCH',
        message: `TransformerEncoderBlock splits the ${features} features of ${formatShape(shape)} evenly among its attention heads, and ${features} cannot be split into ${heads}: use ${options.join(' or ')} heads, or make the features a multiple of ${heads}.`,
        fix: { kind: 'set-param', param: 'numHeads', value: nearest, label: `Use ${nearest} heads` },
      };
    }
    return { ok: true, shape: [...shape] };
  },
  paramCount(inputs, params) {
    const shape = inputs[0]!;
    const d = shape[shape.length - 1] ?? 0;
    const heads = params.numHeads as number;
    const ff = params.intermediateDim as number;
    const keyDim = Math.floor(d / heads);
    const attention = attentionParams({ dq: d, dv: d, dk: d }, heads, keyDim, keyDim, true);
    return { trainable: attention + 2 * (2 * d) + (d * ff + ff) + (ff * d + d), nonTrainable: 0 };
  },
});

export const ATTENTION_SPECS = [tokenAndPositionEmbedding, positionalEmbedding, multiHeadAttention, transformerEncoderBlock] as const;
