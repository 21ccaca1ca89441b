import * as tf from '@tensorflow/tfjs';
import type { LayerBuilder } from './types.js';
import type { EXTRA_SPECS } from '../../../shared/layers/specs/extras.js';

export const EXTRA_BUILDERS: Record<(typeof EXTRA_SPECS)[number]['type'], LayerBuilder> = {
  LeakyReLU: (p, name) => tf.layers.leakyReLU({ name, alpha: p.alpha as number }),
  GaussianNoise: (p, name) => tf.layers.gaussianNoise({ name, stddev: p.stddev as number }),
};
