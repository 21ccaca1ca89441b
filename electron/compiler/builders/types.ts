import type * as tf from '@tensorflow/tfjs';
import type { ActivationIdentifier } from '@tensorflow/tfjs-layers/dist/keras_format/activation_config.js';
import type { LayerRef, Params } from '../../../shared/graph/types.js';

export interface BuildContext {
  /** Builds a nested layer (the one a wrapper wraps) with its defaults filled in. */
  build(ref: LayerRef, name: string): tf.layers.Layer;
}

/** Turns one node into a tfjs layer. `Input` is made by the compiler itself (it is a tensor, not a layer). */
export type LayerBuilder = (params: Params, name: string, ctx: BuildContext) => tf.layers.Layer;

export const activation = (value: unknown) => value as ActivationIdentifier;
