import * as tf from '@tensorflow/tfjs';
import type { LayerBuilder } from './types.js';
import type { LayerRef } from '../../../shared/graph/types.js';
import type { WRAPPER_SPECS } from '../../../shared/layers/specs/wrappers.js';

type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';

const innerName = (name: string, ref: LayerRef) => `${name}_${ref.type.toLowerCase()}`;

export const WRAPPER_BUILDERS: Record<(typeof WRAPPER_SPECS)[number]['type'], LayerBuilder> = {
  Bidirectional: (p, name, ctx) => {
    const ref = p.layer as LayerRef;
    return tf.layers.bidirectional({ name, layer: ctx.build(ref, innerName(name, ref)) as tf.RNN, mergeMode: p.mergeMode as MergeMode });
  },
  TimeDistributed: (p, name, ctx) => {
    const ref = p.layer as LayerRef;
    return tf.layers.timeDistributed({ name, layer: ctx.build(ref, innerName(name, ref)) });
  },
};
