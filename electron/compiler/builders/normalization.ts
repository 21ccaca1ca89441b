import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { LayerBuilder } from './types.js';
import '../tile-gradient.js';
import type { NORMALIZATION_SPECS } from '../../../shared/layers/specs/normalization.js';

/*
 * tfjs-layers 4.22 trains neither normalization layer with center or scale off: BatchNormalization
 * reads gamma and beta unconditionally, and both hand a null offset or scale to tfjs's batch-norm
 * kernel, whose gradient then fails on the missing input. The builders below keep tfjs's layers
 * where they work and give the same result, with the same weights, where they do not.
 */

const onlyShape = (shape: tf.Shape | tf.Shape[]) => (Array.isArray(shape[0]) ? (shape as tf.Shape[])[0]! : (shape as tf.Shape));

/** Stands in constant ones (scale) or zeros (offset) for BatchNormalization's missing gamma or beta. */
function withConstantStandIns(layer: tf.layers.Layer, center: boolean, scale: boolean): tf.layers.Layer {
  const build = layer.build.bind(layer);
  layer.build = (inputShape) => {
    build(inputShape);
    const shape = onlyShape(inputShape);
    const features = shape[shape.length - 1]!;
    const weights = layer as unknown as { gamma?: { read(): tf.Tensor }; beta?: { read(): tf.Tensor } };
    if (!scale) weights.gamma = { read: () => tf.ones([features]) };
    if (!center) weights.beta = { read: () => tf.zeros([features]) };
  };
  return layer;
}

interface LayerNormalizationArgs extends LayerArgs {
  axis: number[];
  epsilon: number;
  center: boolean;
  scale: boolean;
}

/**
 * Keras's LayerNormalization in elementwise ops that broadcast, also for center or scale off.
 * Same weights as tfjs's (gamma, beta: the sizes along the normalized axes), config and class
 * name, so a saved model loads as tfjs's own layer.
 */
export class PartialLayerNormalization extends tf.layers.Layer {
  static className = 'LayerNormalization';
  private readonly settings: Omit<LayerNormalizationArgs, keyof LayerArgs>;
  private axes: number[] = [];
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;

  constructor(args: LayerNormalizationArgs) {
    super(args);
    this.settings = { axis: [...args.axis], epsilon: args.epsilon, center: args.center, scale: args.scale };
    this.supportsMasking = true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = onlyShape(inputShape);
    this.axes = this.settings.axis.map((a) => (a < 0 ? a + shape.length : a));
    const size = this.axes.map((a) => shape[a]!);
    if (this.settings.scale) this.gamma = this.addWeight('gamma', size, 'float32', tf.initializers.ones());
    if (this.settings.center) this.beta = this.addWeight('beta', size, 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return onlyShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const { mean, variance } = tf.moments(x, this.axes, true);
      let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.settings.epsilon)));
      const along = x.shape.map((d, i) => (this.axes.includes(i) ? d : 1));
      if (this.gamma) y = tf.mul(y, tf.reshape(this.gamma.read(), along));
      if (this.beta) y = tf.add(y, tf.reshape(this.beta.read(), along));
      return y;
    });
  }

  /** tfjs's own layer's config (its axes resolved once built, its initializers), so a saved model reads as one. */
  override getConfig(): tf.serialization.ConfigDict {
    const initializer = (className: 'Ones' | 'Zeros') => ({ className, config: {} });
    return {
      ...super.getConfig(),
      ...this.settings,
      axis: this.built ? [...this.axes] : [...this.settings.axis],
      betaInitializer: initializer('Zeros'),
      gammaInitializer: initializer('Ones'),
      betaRegularizer: null,
      gammaRegularizer: null,
    };
  }
}

export const NORMALIZATION_BUILDERS: Record<(typeof NORMALIZATION_SPECS)[number]['type'], LayerBuilder> = {
  BatchNormalization: (p, name) => {
    const center = p.center as boolean;
    const scale = p.scale as boolean;
    const layer = tf.layers.batchNormalization({ name, axis: p.axis as number, momentum: p.momentum as number, epsilon: p.epsilon as number, center, scale });
    return center && scale ? layer : withConstantStandIns(layer, center, scale);
  },
  LayerNormalization: (p, name) => {
    // tfjs resolves negative axes in place, so each layer gets its own copy.
    const args = { name, axis: [...(p.axis as number[])], epsilon: p.epsilon as number, center: p.center as boolean, scale: p.scale as boolean };
    // Elementwise ops that broadcast, where tfjs's own layer tiles its statistics to the input's
    // shape: on wasm, that Tile and its gradient took a quarter of a Transformer's time.
    return new PartialLayerNormalization(args);
  },
};
