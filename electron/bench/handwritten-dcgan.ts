import * as tf from '@tensorflow/tfjs';
import type { Networks } from './networks.js';

/** dcgan-mnist's generator: 64 noise values to a 28×28 image, upsampled twice from 7×7×32. */
function generator(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [64], units: 7 * 7 * 32, useBias: false }),
      tf.layers.batchNormalization(),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.reshape({ targetShape: [7, 7, 32] }),
      tf.layers.conv2dTranspose({ filters: 16, kernelSize: 4, strides: 2, padding: 'same', useBias: false }),
      tf.layers.batchNormalization(),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'sigmoid' }),
    ],
  });
}

/** dcgan-mnist's discriminator: a 28×28 image to one real-or-fake probability. */
function discriminator(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 4, strides: 2, padding: 'same' }),
      // tfjs's LeakyReLU defaults to alpha 0.3; the template (and Keras's DCGAN examples) use 0.2.
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 4, strides: 2, padding: 'same' }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.flatten(),
      tf.layers.dropout({ rate: 0.3 }),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
}

export const dcganMnist = (): Networks => ({ kind: 'gan', generator: generator(), discriminator: discriminator() });
