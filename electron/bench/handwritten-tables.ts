import * as tf from '@tensorflow/tfjs';

/** Dense layers on a row of numbers: the Iris, Boston house prices and spirals templates. */
function dense(inputs: number, hidden: readonly number[], activation: 'relu' | 'tanh', outputs: number, last: 'softmax' | 'linear'): tf.LayersModel {
  return tf.sequential({
    layers: [
      ...hidden.map((units, i) => tf.layers.dense({ ...(i === 0 ? { inputShape: [inputs] } : {}), units, activation })),
      tf.layers.dense({ units: outputs, activation: last }),
    ],
  });
}

export const mlpIris = (): tf.LayersModel => dense(4, [16], 'relu', 3, 'softmax');
export const mlpBostonHousing = (): tf.LayersModel => dense(13, [32, 32], 'relu', 1, 'linear');
export const mlpSpirals = (): tf.LayersModel => dense(2, [64, 64], 'relu', 2, 'softmax');

/** lstm-sine: 32 steps of one value, an LSTM of 16, the next value. */
export function lstmSine(): tf.LayersModel {
  return tf.sequential({
    layers: [
      // tfjs's LSTM defaults to hard-sigmoid gates and no forget-gate bias; Keras (and NetCanvas) to sigmoid and a bias of 1.
      tf.layers.lstm({ inputShape: [32, 1], units: 16, recurrentActivation: 'sigmoid', unitForgetBias: true }),
      tf.layers.dense({ units: 1 }),
    ],
  });
}

/** embedding-imdb: 200 word ids, a 16-number vector per word, averaged, then two dense layers. */
export function embeddingImdb(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.embedding({ inputShape: [200], inputDim: 10_000, outputDim: 16 }),
      tf.layers.globalAveragePooling1d(),
      tf.layers.dense({ units: 16, activation: 'relu' }),
      tf.layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
}
