import * as tf from '@tensorflow/tfjs';
import type { LayerBuilder } from './types.js';
import type { Params } from '../../../shared/graph/types.js';
import type { POOLING_SPECS } from '../../../shared/layers/specs/pooling.js';

const windowArgs = (p: Params, name: string) => ({
  name,
  poolSize: p.poolSize as [number, number],
  strides: p.strides as [number, number],
  padding: p.padding as 'valid' | 'same',
});

export const POOLING_BUILDERS: Record<(typeof POOLING_SPECS)[number]['type'], LayerBuilder> = {
  MaxPooling1D: (p, name) => tf.layers.maxPooling1d({ ...windowArgs(p, name), poolSize: p.poolSize as [number], strides: p.strides as [number] }),
  MaxPooling2D: (p, name) => tf.layers.maxPooling2d(windowArgs(p, name)),
  AveragePooling1D: (p, name) => tf.layers.averagePooling1d({ ...windowArgs(p, name), poolSize: p.poolSize as [number], strides: p.strides as [number] }),
  AveragePooling2D: (p, name) => tf.layers.averagePooling2d(windowArgs(p, name)),
  GlobalMaxPooling1D: (_p, name) => tf.layers.globalMaxPooling1d({ name }),
  GlobalMaxPooling2D: (_p, name) => tf.layers.globalMaxPooling2d({ name }),
  GlobalAveragePooling1D: (_p, name) => tf.layers.globalAveragePooling1d({ name }),
  GlobalAveragePooling2D: (_p, name) => tf.layers.globalAveragePooling2d({ name }),
};
