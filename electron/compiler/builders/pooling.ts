import * as tf from '@tensorflow/tfjs';
import type { LayerBuilder } from './types.js';
import type { Params } from '../../../shared/graph/types.js';
import type { POOLING_SPECS } from '../../../shared/layers/specs/pooling.js';

/** Strides `null` (Keras's None) leaves tfjs to use the pool size, as Keras does. */
function windowArgs<Window extends number[]>(p: Params, name: string) {
  return {
    name,
    poolSize: p.poolSize as Window,
    strides: (p.strides as Window | null) ?? undefined,
    padding: p.padding as 'valid' | 'same',
  };
}

export const POOLING_BUILDERS: Record<(typeof POOLING_SPECS)[number]['type'], LayerBuilder> = {
  MaxPooling1D: (p, name) => tf.layers.maxPooling1d(windowArgs<[number]>(p, name)),
  MaxPooling2D: (p, name) => tf.layers.maxPooling2d(windowArgs<[number, number]>(p, name)),
  AveragePooling1D: (p, name) => tf.layers.averagePooling1d(windowArgs<[number]>(p, name)),
  AveragePooling2D: (p, name) => tf.layers.averagePooling2d(windowArgs<[number, number]>(p, name)),
  GlobalMaxPooling1D: (_p, name) => tf.layers.globalMaxPooling1d({ name }),
  GlobalMaxPooling2D: (_p, name) => tf.layers.globalMaxPooling2d({ name }),
  GlobalAveragePooling1D: (_p, name) => tf.layers.globalAveragePooling1d({ name }),
  GlobalAveragePooling2D: (_p, name) => tf.layers.globalAveragePooling2d({ name }),
};
