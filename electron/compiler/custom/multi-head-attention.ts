import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers.js';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types.js';

type LayerShape = tf.Shape;

/** Keras's masked-softmax adder: large enough to vanish, finite so gradients stay finite. */
const MASKED_SCORE = -1e9;

/** The weights of one attention block, laid out as Keras's EinsumDense kernels. */
export interface AttentionWeights {
  /** (dq, heads, keyDim) and (heads, keyDim). */
  queryKernel: tf.LayerVariable;
  queryBias: tf.LayerVariable | null;
  /** (dk, heads, keyDim) and (heads, keyDim). */
  keyKernel: tf.LayerVariable;
  keyBias: tf.LayerVariable | null;
  /** (dv, heads, valueDim) and (heads, valueDim). */
  valueKernel: tf.LayerVariable;
  valueBias: tf.LayerVariable | null;
  /** (heads, valueDim, dq) and (dq,). */
  outputKernel: tf.LayerVariable;
  outputBias: tf.LayerVariable | null;
}

export interface AttentionOptions {
  keyDim: number;
  dropout: number;
  training: boolean;
  /** From attentionMask: 1 where a query may see a key, broadcastable to (batch, queries, keys). */
  mask: tf.Tensor | null;
}

/** (batch, steps, features) → (batch, heads, steps, size) through a (features, heads, size) kernel. */
function project(x: tf.Tensor, kernel: tf.LayerVariable, bias: tf.LayerVariable | null): tf.Tensor4D {
  const [batch, steps, features] = x.shape as [number, number, number];
  const [, heads, size] = kernel.shape as [number, number, number];
  let y = tf.matMul(tf.reshape(x, [batch * steps, features]), tf.reshape(kernel.read(), [features, heads * size]));
  if (bias) y = tf.add(y, tf.reshape(bias.read(), [heads * size]));
  return tf.transpose(tf.reshape(y, [batch, steps, heads, size]), [0, 2, 1, 3]);
}

/** 1 where query i may see key j (j ≤ i), 0 after: Keras's causal mask. */
function causalMask(queries: number, keys: number): tf.Tensor2D {
  const values = new Float32Array(queries * keys);
  for (let i = 0; i < queries; i++) for (let j = 0; j <= i && j < keys; j++) values[i * keys + j] = 1;
  return tf.tensor2d(values, [queries, keys]);
}

export interface MaskSources {
  /** (batch, queries): 0 for padding steps of the query. */
  queryMask?: tf.Tensor | null;
  /** (batch, keys): 0 for padding steps of the value (and so of the key). */
  valueMask?: tf.Tensor | null;
  causal: boolean;
}

/**
 * Keras's attention mask: the query mask as (batch, queries, 1), the value mask as
 * (batch, 1, keys), the causal mask as (1, queries, keys), all ANDed; null when none applies.
 */
export function attentionMask(queries: number, keys: number, m: MaskSources): tf.Tensor | null {
  if (!m.queryMask && !m.valueMask && !m.causal) return null;
  return tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    if (m.queryMask) parts.push(tf.expandDims(tf.cast(m.queryMask, 'float32'), 2));
    if (m.valueMask) parts.push(tf.expandDims(tf.cast(m.valueMask, 'float32'), 1));
    if (m.causal) parts.push(tf.expandDims(causalMask(queries, keys), 0));
    return parts.reduce((a, b) => tf.mul(a, b));
  });
}

/**
 * Keras MultiHeadAttention's computation on concrete tensors: project, scale by
 * 1/sqrt(keyDim), mask, softmax over keys, dropout on the probabilities, mix values, project back.
 */
export function multiHeadAttention(query: tf.Tensor, value: tf.Tensor, key: tf.Tensor, w: AttentionWeights, options: AttentionOptions): tf.Tensor {
  return tf.tidy(() => {
    const [batch, queries, features] = query.shape as [number, number, number];
    const q = tf.mul(project(query, w.queryKernel, w.queryBias), 1 / Math.sqrt(options.keyDim));
    const k = project(key, w.keyKernel, w.keyBias);
    const v = project(value, w.valueKernel, w.valueBias);
    let scores = tf.matMul(q, k, false, true);
    if (options.mask) scores = tf.add(scores, tf.mul(tf.sub(1, tf.expandDims(options.mask, 1)), MASKED_SCORE));
    let probs = tf.softmax(scores);
    if (options.training && options.dropout > 0) probs = tf.dropout(probs, options.dropout);
    const mixed = tf.matMul(probs, v);
    const [, heads, , valueDim] = mixed.shape as [number, number, number, number];
    const flat = tf.reshape(tf.transpose(mixed, [0, 2, 1, 3]), [batch * queries, heads * valueDim]);
    let out = tf.matMul(flat, tf.reshape(w.outputKernel.read(), [heads * valueDim, features]));
    if (w.outputBias) out = tf.add(out, w.outputBias.read());
    return tf.reshape(out, [batch, queries, features]);
  });
}

/**
 * Each head's attention weights, (batch, heads, queries, keys): the probabilities
 * `multiHeadAttention` mixes the values with (before dropout), to show what a trained layer reads.
 */
export function attentionProbabilities(query: tf.Tensor, key: tf.Tensor, w: AttentionWeights, options: { keyDim: number; mask: tf.Tensor | null }): tf.Tensor4D {
  return tf.tidy(() => {
    const q = tf.mul(project(query, w.queryKernel, w.queryBias), 1 / Math.sqrt(options.keyDim));
    const k = project(key, w.keyKernel, w.keyBias);
    let scores = tf.matMul(q, k, false, true);
    if (options.mask) scores = tf.add(scores, tf.mul(tf.sub(1, tf.expandDims(options.mask, 1)), MASKED_SCORE));
    return tf.softmax(scores) as tf.Tensor4D;
  });
}

/** A layer's inputs as a list, whether tfjs passed one shape or several. */
export function shapeList(inputShape: LayerShape | LayerShape[]): LayerShape[] {
  return Array.isArray(inputShape[0]) ? (inputShape as LayerShape[]) : [inputShape as LayerShape];
}

/** The feature size of a (batch, steps, features) input; tfjs-level guard, as the registry checks this first. */
export function featuresOf(shape: LayerShape, layer: string, what: string): number {
  const d = shape[shape.length - 1];
  if (shape.length !== 3 || d === null || d === undefined) {
    throw new Error(`${layer} needs its ${what} as (batch, steps, features) with known features, but got [${shape.join(', ')}].`);
  }
  return d;
}

export interface AttentionWeightOptions {
  queryDim: number;
  keyInputDim: number;
  valueInputDim: number;
  numHeads: number;
  keyDim: number;
  valueDim: number;
  useBias: boolean;
  /** Prefix of every weight name, e.g. "self_attention_layer/". */
  prefix: string;
}

export type AddWeight = (name: string, shape: number[], initializer: Initializer) => tf.LayerVariable;

/** Creates the weights in Keras's order and with its names (query/kernel, query/bias, key/…, value/…, attention_output/…). */
export function addAttentionWeights(add: AddWeight, o: AttentionWeightOptions): AttentionWeights {
  const kernel = () => tf.initializers.glorotUniform({});
  const zeros = () => tf.initializers.zeros();
  const dense = (name: string, kernelShape: number[], biasShape: number[]) => ({
    kernel: add(`${o.prefix}${name}/kernel`, kernelShape, kernel()),
    bias: o.useBias ? add(`${o.prefix}${name}/bias`, biasShape, zeros()) : null,
  });
  const query = dense('query', [o.queryDim, o.numHeads, o.keyDim], [o.numHeads, o.keyDim]);
  const key = dense('key', [o.keyInputDim, o.numHeads, o.keyDim], [o.numHeads, o.keyDim]);
  const value = dense('value', [o.valueInputDim, o.numHeads, o.valueDim], [o.numHeads, o.valueDim]);
  const output = dense('attention_output', [o.numHeads, o.valueDim, o.queryDim], [o.queryDim]);
  return {
    queryKernel: query.kernel,
    queryBias: query.bias,
    keyKernel: key.kernel,
    keyBias: key.bias,
    valueKernel: value.kernel,
    valueBias: value.bias,
    outputKernel: output.kernel,
    outputBias: output.bias,
  };
}

export interface MultiHeadAttentionArgs extends LayerArgs {
  numHeads: number;
  keyDim: number;
  /** `null` or absent: the same as keyDim, as Keras's `value_dim=None`. */
  valueDim?: number | null;
  dropout?: number;
  useBias?: boolean;
  /** Keras takes this at call time; NetCanvas builds layers without call arguments, so it is config here. */
  useCausalMask?: boolean;
}

/**
 * Keras's MultiHeadAttention for tfjs-layers, which has none: inputs [query], [query, value]
 * or [query, value, key], each (batch, steps, features); output shaped like the query.
 */
export class MultiHeadAttention extends tf.layers.Layer {
  static className = 'MultiHeadAttention';
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number | null;
  readonly dropout: number;
  readonly useBias: boolean;
  useCausalMask: boolean;
  private w: AttentionWeights | null = null;

  constructor(args: MultiHeadAttentionArgs) {
    super(args);
    this.numHeads = args.numHeads;
    this.keyDim = args.keyDim;
    this.valueDim = args.valueDim ?? null;
    this.dropout = args.dropout ?? 0;
    this.useBias = args.useBias ?? true;
    this.useCausalMask = args.useCausalMask ?? false;
    this.supportsMasking = true;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const [query, value = query, key = value] = shapeList(inputShape) as [LayerShape, LayerShape?, LayerShape?];
    const valueSteps = value[1];
    const keySteps = key[1];
    if (valueSteps !== null && keySteps !== null && valueSteps !== keySteps) {
      throw new Error(`${this.name}: value and key need the same number of steps, but got [${value.join(', ')}] and [${key.join(', ')}].`);
    }
    this.w = addAttentionWeights((name, shape, init) => this.addWeight(name, shape, 'float32', init), {
      queryDim: featuresOf(query, this.name, 'query'),
      valueInputDim: featuresOf(value, this.name, 'value'),
      keyInputDim: featuresOf(key, this.name, 'key'),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim ?? this.keyDim,
      useBias: this.useBias,
      prefix: '',
    });
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return [...shapeList(inputShape)[0]!];
  }

  override apply(
    inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[],
    kwargs?: Kwargs,
  ): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    // A loaded model passes Keras's call argument use_causal_mask here, once; fit and predict never pass it again.
    if (typeof kwargs?.useCausalMask === 'boolean') this.useCausalMask = kwargs.useCausalMask;
    return super.apply(inputs, kwargs);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const [query, value = query, key = value] = list as [tf.Tensor, tf.Tensor?, tf.Tensor?];
    // fit and predict hand a layer only its first input's mask, so value and key masks are left out
    // everywhere (rather than only there); with one input, that mask is the value's too, as in Keras.
    const queryMask = ((Array.isArray(kwargs.mask) ? kwargs.mask[0] : kwargs.mask) ?? null) as tf.Tensor | null;
    return tf.tidy(() => {
      const mask = attentionMask(query.shape[1]!, key.shape[1]!, {
        queryMask,
        valueMask: list.length === 1 ? queryMask : null,
        causal: this.useCausalMask,
      });
      return multiHeadAttention(query, value, key, this.w!, { keyDim: this.keyDim, dropout: this.dropout, training: kwargs.training === true, mask });
    });
  }

  /**
   * Each head's attention weights for concrete inputs, with the masks `call` applies (the
   * query's mask as given, the causal mask when the layer uses one): (batch, heads, queries, keys).
   */
  attentionWeights(inputs: tf.Tensor | tf.Tensor[], queryMask: tf.Tensor | null = null): tf.Tensor4D {
    if (!this.w) throw new Error(`${this.name} has no weights yet: it is built when first applied.`);
    const w = this.w;
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const [query, value = query, key = value] = list as [tf.Tensor, tf.Tensor?, tf.Tensor?];
    return tf.tidy(() => {
      const mask = attentionMask(query.shape[1]!, key.shape[1]!, { queryMask, valueMask: list.length === 1 ? queryMask : null, causal: this.useCausalMask });
      return attentionProbabilities(query, key, w, { keyDim: this.keyDim, mask });
    });
  }

  /** Keras keeps the query's mask on the output. */
  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    // tfjs's typings leave out the null (no mask) that its own computeMask returns.
    return ((Array.isArray(mask) ? mask[0] : mask) ?? null) as tf.Tensor;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropout,
      useBias: this.useBias,
      useCausalMask: this.useCausalMask,
    };
  }
}

tf.serialization.registerClass(MultiHeadAttention);
