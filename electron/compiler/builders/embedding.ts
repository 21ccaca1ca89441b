import * as tf from '@tensorflow/tfjs';
import type { LayerBuilder } from './types.js';
import type { EMBEDDING_SPECS } from '../../../shared/layers/specs/embedding.js';

export const EMBEDDING_BUILDERS: Record<(typeof EMBEDDING_SPECS)[number]['type'], LayerBuilder> = {
  Embedding: (p, name) =>
    tf.layers.embedding({ name, inputDim: p.inputDim as number, outputDim: p.outputDim as number, maskZero: p.maskZero as boolean }),
};
