import * as tf from '@tensorflow/tfjs';
import { activation, type LayerBuilder } from './types.js';
import type { CORE_SPECS } from '../../../shared/layers/registry.js';

type CoreType = Exclude<(typeof CORE_SPECS)[number]['type'], 'Input'>;

export const CORE_BUILDERS: Record<CoreType, LayerBuilder> = {
  Dense: (p, name) =>
    tf.layers.dense({ name, units: p.units as number, activation: activation(p.activation), useBias: p.useBias as boolean }),
  Activation: (p, name) => tf.layers.activation({ name, activation: activation(p.activation) }),
  Dropout: (p, name) => tf.layers.dropout({ name, rate: p.rate as number }),
  Flatten: (_p, name) => {
    // Keras lets Flatten take (batch, features), leaving it as it is; tfjs asks for three axes or more.
    const layer = tf.layers.flatten({ name });
    layer.inputSpec = [{ minNDim: 2 }];
    return layer;
  },
};
