import * as tf from '@tensorflow/tfjs';
import { dcganMnist } from './handwritten-dcgan.js';
import { embeddingImdb, lstmSine, mlpBostonHousing, mlpIris, mlpSpirals } from './handwritten-tables.js';
import { charLstm, charTransformer } from './handwritten-text.js';
import type { Networks } from './networks.js';

/**
 * Each template's networks written by hand with tf.layers, as a tfjs user would write them:
 * the same layers, sizes and settings, tfjs's default initialisers (NetCanvas's own layers
 * only where tfjs has none, see handwritten-text.ts). The benchmark times
 * these against what the compiler builds from the template's graph, so anything the
 * compiler adds (a layer, a copy, a slower custom layer) shows up as a lower ratio.
 */
export type HandwrittenNetworks = () => Networks;

const MNIST_IMAGE = [28, 28, 1];

const single = (build: () => tf.LayersModel): HandwrittenNetworks => () => ({ kind: 'single', model: build() });

function mlpMnist(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: MNIST_IMAGE }),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dropout({ rate: 0.2 }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

function cnnMnist(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: MNIST_IMAGE, filters: 16, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

function autoencoderMnist(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: MNIST_IMAGE }),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 32, activation: 'relu' }),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 784, activation: 'sigmoid' }),
      tf.layers.reshape({ targetShape: MNIST_IMAGE }),
    ],
  });
}

/** By template id (the file name without `.netcanvas.json`). A template missing here is skipped. */
export const HANDWRITTEN: Readonly<Record<string, HandwrittenNetworks>> = {
  'mlp-mnist': single(mlpMnist),
  'cnn-mnist': single(cnnMnist),
  'autoencoder-mnist': single(autoencoderMnist),
  'dcgan-mnist': dcganMnist,
  'char-lstm-moby-dick': single(charLstm),
  'char-transformer-moby-dick': single(charTransformer),
  'embedding-imdb': single(embeddingImdb),
  'mlp-iris': single(mlpIris),
  'mlp-boston-housing': single(mlpBostonHousing),
  'mlp-spirals': single(mlpSpirals),
  'lstm-sine': single(lstmSine),
};
