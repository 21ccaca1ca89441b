import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers.js';
import type { ActivationIdentifier } from '@tensorflow/tfjs-layers/dist/keras_format/activation_config.js';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types.js';
import { addAttentionWeights, attentionMask, featuresOf, multiHeadAttention, shapeList, type AttentionWeights } from './multi-head-attention.js';

type LayerShape = tf.Shape;

interface Norm {
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
}

interface Dense {
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable;
}

export interface TransformerEncoderArgs extends LayerArgs {
  intermediateDim: number;
  numHeads: number;
  dropout?: number;
  activation?: string;
  layerNormEpsilon?: number;
  normalizeFirst?: boolean;
}

/**
 * keras-hub's TransformerEncoder: self-attention (keyDim = valueDim = features / numHeads),
 * dropout, residual and layer normalization, then a two-layer feed-forward network, dropout,
 * residual and layer normalization. `normalizeFirst` normalizes before each block instead of
 * after it (pre-norm, as GPT-2). Weight names and order follow keras-hub.
 */
export class TransformerEncoder extends tf.layers.Layer {
  static className = 'TransformerEncoder';
  readonly intermediateDim: number;
  readonly numHeads: number;
  readonly dropout: number;
  readonly activation: string;
  readonly layerNormEpsilon: number;
  readonly normalizeFirst: boolean;
  private readonly activationLayer: tf.layers.Layer;
  private weightsOf: { attention: AttentionWeights; attentionNorm: Norm; feedForwardNorm: Norm; intermediate: Dense; output: Dense; keyDim: number } | null = null;

  constructor(args: TransformerEncoderArgs) {
    super(args);
    this.intermediateDim = args.intermediateDim;
    this.numHeads = args.numHeads;
    this.dropout = args.dropout ?? 0;
    this.activation = args.activation ?? 'relu';
    this.layerNormEpsilon = args.layerNormEpsilon ?? 1e-5;
    this.normalizeFirst = args.normalizeFirst ?? false;
    // tfjs's own activation layer, so the feed-forward activation is exactly Dense's.
    this.activationLayer = tf.layers.activation({ activation: this.activation as ActivationIdentifier });
    // Padding steps (an Embedding with mask zero) are hidden from attention and the mask passes on, as in keras-hub.
    this.supportsMasking = true;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const features = featuresOf(shapeList(inputShape)[0]!, this.name, 'input');
    if (features % this.numHeads !== 0) {
      throw new Error(`${this.name}: ${features} features cannot be split evenly among ${this.numHeads} heads.`);
    }
    const keyDim = features / this.numHeads;
    const add = (name: string, shape: number[], init: Initializer) => this.addWeight(name, shape, 'float32', init);
    const attention = addAttentionWeights(add, {
      queryDim: features,
      keyInputDim: features,
      valueInputDim: features,
      numHeads: this.numHeads,
      keyDim,
      valueDim: keyDim,
      useBias: true,
      prefix: 'self_attention_layer/',
    });
    const norm = (name: string): Norm => ({
      gamma: add(`${name}/gamma`, [features], tf.initializers.ones()),
      beta: add(`${name}/beta`, [features], tf.initializers.zeros()),
    });
    const dense = (name: string, inputs: number, units: number): Dense => ({
      kernel: add(`${name}/kernel`, [inputs, units], tf.initializers.glorotUniform({})),
      bias: add(`${name}/bias`, [units], tf.initializers.zeros()),
    });
    const attentionNorm = norm('self_attention_layer_norm');
    const feedForwardNorm = norm('feedforward_layer_norm');
    const intermediate = dense('feedforward_intermediate_dense', features, this.intermediateDim);
    const output = dense('feedforward_output_dense', this.intermediateDim, features);
    this.weightsOf = { attention, attentionNorm, feedForwardNorm, intermediate, output, keyDim };
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return [...shapeList(inputShape)[0]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const w = this.weightsOf!;
    const training = kwargs.training === true;
    const drop = (x: tf.Tensor) => (training && this.dropout > 0 ? tf.dropout(x, this.dropout) : x);
    const norm = (x: tf.Tensor, n: Norm) => {
      const { mean, variance } = tf.moments(x, -1, true);
      const scaled = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.layerNormEpsilon)));
      return tf.add(tf.mul(scaled, n.gamma.read()), n.beta.read());
    };
    const dense = (x: tf.Tensor, d: Dense) => {
      const [batch, steps, features] = x.shape as [number, number, number];
      const units = d.kernel.shape[1]!;
      const y = tf.add(tf.matMul(tf.reshape(x, [batch * steps, features]), d.kernel.read() as tf.Tensor2D), d.bias.read());
      return tf.reshape(y, [batch, steps, units]);
    };
    return tf.tidy(() => {
      const input = Array.isArray(inputs) ? inputs[0]! : inputs;
      const padding = ((Array.isArray(kwargs.mask) ? kwargs.mask[0] : kwargs.mask) ?? null) as tf.Tensor | null;
      const steps = input.shape[1]!;
      const mask = attentionMask(steps, steps, { queryMask: padding, valueMask: padding, causal: false });
      let x = this.normalizeFirst ? norm(input, w.attentionNorm) : input;
      x = multiHeadAttention(x, x, x, w.attention, { keyDim: w.keyDim, dropout: this.dropout, training, mask });
      x = tf.add(drop(x), input);
      if (!this.normalizeFirst) x = norm(x, w.attentionNorm);
      const residual = x;
      if (this.normalizeFirst) x = norm(x, w.feedForwardNorm);
      x = this.activationLayer.apply(dense(x, w.intermediate)) as tf.Tensor;
      x = tf.add(drop(dense(x, w.output)), residual);
      return this.normalizeFirst ? x : norm(x, w.feedForwardNorm);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      intermediateDim: this.intermediateDim,
      numHeads: this.numHeads,
      dropout: this.dropout,
      activation: this.activation,
      layerNormEpsilon: this.layerNormEpsilon,
      normalizeFirst: this.normalizeFirst,
    };
  }
}

tf.serialization.registerClass(TransformerEncoder);
