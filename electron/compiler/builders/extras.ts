import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { LayerBuilder } from './types.js';
import type { EXTRA_SPECS } from '../../../shared/layers/specs/extras.js';

export interface KerasReLUArgs extends LayerArgs {
  maxValue: number | null;
  negativeSlope: number;
  threshold: number;
}

/**
 * Keras's ReLU with all its settings, which tfjs-layers' ReLU (a cap only) lacks: x above the
 * threshold, capped at maxValue, and negativeSlope·(x − threshold) at or below it, computed as
 * Keras's backend does.
 */
export class KerasReLU extends tf.layers.Layer {
  static className = 'KerasReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: KerasReLUArgs) {
    super(args);
    this.maxValue = args.maxValue;
    this.negativeSlope = args.negativeSlope;
    this.threshold = args.threshold;
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      // step (1 above zero, else 0) has a gradient in tfjs, where a comparison cast to numbers has none.
      let positive = tf.mul(x, tf.step(tf.sub(x, this.threshold)));
      if (this.maxValue !== null) positive = tf.clipByValue(positive, 0, this.maxValue);
      if (this.negativeSlope === 0) return positive;
      return tf.sub(positive, tf.mul(this.negativeSlope, tf.relu(tf.sub(this.threshold, x))));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }
}
tf.serialization.registerClass(KerasReLU);

export const EXTRA_BUILDERS: Record<(typeof EXTRA_SPECS)[number]['type'], LayerBuilder> = {
  LeakyReLU: (p, name) => tf.layers.leakyReLU({ name, alpha: p.alpha as number }),
  ReLU: (p, name) => {
    const maxValue = (p.maxValue as number | null) ?? null;
    const negativeSlope = p.negativeSlope as number;
    const threshold = p.threshold as number;
    // tfjs's own ReLU where it suffices, so a saved tfjs model needs no NetCanvas class.
    if (negativeSlope === 0 && threshold === 0) return tf.layers.reLU({ name, ...(maxValue !== null ? { maxValue } : {}) });
    return new KerasReLU({ name, maxValue, negativeSlope, threshold });
  },
  GaussianNoise: (p, name) => tf.layers.gaussianNoise({ name, stddev: p.stddev as number }),
};
