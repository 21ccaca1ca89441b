import * as tf from '@tensorflow/tfjs';
import { KerasReLU } from '../builders/extras.js';
import { Subtract } from '../builders/merge.js';
import { PartialLayerNormalization } from '../builders/normalization.js';
import { MultiHeadAttention } from './multi-head-attention.js';
import { PositionEmbedding, TokenAndPositionEmbedding } from './positional-embedding.js';
import { TransformerEncoder } from './transformer-encoder.js';

/**
 * NetCanvas's own tfjs layer classes, the ones tfjs-layers lacks, as a saved model.json names
 * them. Importing their modules registers them with tfjs's class registry, as the compiler needs;
 * the TensorFlow.js export bundles this module into netcanvas-layers.js, so a page that loads an
 * exported model runs the same code.
 */
export { KerasReLU, MultiHeadAttention, PartialLayerNormalization, PositionEmbedding, Subtract, TokenAndPositionEmbedding, TransformerEncoder };

export const NETCANVAS_LAYER_CLASSES: readonly string[] = [MultiHeadAttention, PositionEmbedding, TokenAndPositionEmbedding, TransformerEncoder, Subtract, KerasReLU].map(
  (layer) => layer.className,
);

/**
 * Registers the LayerNormalization that trains with center or scale off in place of tfjs's own,
 * under tfjs's class name. Left to the caller: it replaces tfjs's class for every model loaded
 * after (it computes the same for those), which the app itself does not want.
 */
export function registerPartialLayerNormalization(): void {
  tf.serialization.registerClass(PartialLayerNormalization);
}
