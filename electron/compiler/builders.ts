import * as tf from '@tensorflow/tfjs';
import type { ActivationIdentifier } from '@tensorflow/tfjs-layers/dist/keras_format/activation_config.js';
import type { Params } from '../../shared/graph/types.js';
import type { LayerType } from '../../shared/layers/registry.js';

/** Turns one node into a tfjs layer. `Input` is made by the compiler itself (it is a tensor, not a layer). */
export type LayerBuilder = (params: Params, name: string) => tf.layers.Layer;

const activation = (value: unknown) => value as ActivationIdentifier;

export const BUILDERS: Record<Exclude<LayerType, 'Input'>, LayerBuilder> = {
  Dense: (p, name) =>
    tf.layers.dense({ name, units: p.units as number, activation: activation(p.activation), useBias: p.useBias as boolean }),
  Activation: (p, name) => tf.layers.activation({ name, activation: activation(p.activation) }),
  Dropout: (p, name) => tf.layers.dropout({ name, rate: p.rate as number }),
  Flatten: (_p, name) => tf.layers.flatten({ name }),
};
