import * as tf from '@tensorflow/tfjs';
// tfjs-layers has no attention or token-and-position embedding, so a tfjs user would write
// such layers themselves; the hand-written Transformer takes NetCanvas's own, because the
// bench compares the graph compiler against wiring layers by hand, not one layer against another.
import { MultiHeadAttention } from '../compiler/custom/multi-head-attention.js';
import { TokenAndPositionEmbedding } from '../compiler/custom/positional-embedding.js';
import { TEXT_ALPHABET } from '../data/text.js';

/** The characters both Moby-Dick templates read and predict. */
const ALPHABET_SIZE = TEXT_ALPHABET.length;

/** char-lstm-moby-dick: 40 character ids → embedding → LSTM → the next character. */
export function charLstm(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.embedding({ inputShape: [40], inputDim: ALPHABET_SIZE, outputDim: 24 }),
      // tfjs's LSTM defaults to hard-sigmoid gates and no forget-gate bias; Keras (and NetCanvas) to sigmoid and a bias of 1.
      tf.layers.lstm({ units: 96, recurrentActivation: 'sigmoid', unitForgetBias: true }),
      tf.layers.dense({ units: ALPHABET_SIZE, activation: 'softmax' }),
    ],
  });
}

/** char-transformer-moby-dick: one post-norm decoder block over 48 characters, a next-character softmax at every step. */
export function charTransformer(): tf.LayersModel {
  const steps = 48;
  const width = 64;
  const chars = tf.input({ shape: [steps] });
  const embedded = new TokenAndPositionEmbedding({ vocabularySize: ALPHABET_SIZE, sequenceLength: steps, embeddingDim: width }).apply(chars) as tf.SymbolicTensor;
  const attended = new MultiHeadAttention({ numHeads: 4, keyDim: 16, useCausalMask: true }).apply(embedded) as tf.SymbolicTensor;
  const norm1 = tf.layers.layerNormalization().apply(tf.layers.add().apply([embedded, attended])) as tf.SymbolicTensor;
  const hidden = tf.layers.dense({ units: 128, activation: 'relu' }).apply(norm1);
  const fed = tf.layers.dense({ units: width }).apply(hidden) as tf.SymbolicTensor;
  const norm2 = tf.layers.layerNormalization().apply(tf.layers.add().apply([norm1, fed]));
  const next = tf.layers.dense({ units: ALPHABET_SIZE, activation: 'softmax' }).apply(norm2) as tf.SymbolicTensor;
  return tf.model({ inputs: chars, outputs: next });
}
