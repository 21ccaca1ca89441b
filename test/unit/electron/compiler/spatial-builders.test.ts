import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../electron/compiler/compile.js';
import type { Params } from '../../../../shared/graph/types.js';
import { chain, node } from '../../../fixtures/graphs.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Input of `shape` → one layer, compiled. */
const compiled = (shape: number[], type: string, params: Params) => compileGraph(chain(node('in', 'Input', { shape }), node('l', type, params)));

/** The loss before and after one SGD step on random data; throws where tfjs cannot train the layer. */
async function trainOnce(model: tf.LayersModel): Promise<void> {
  model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
  const x = tf.randomNormal([2, ...(model.inputs[0]!.shape.slice(1) as number[])]);
  const y = tf.randomNormal([2, ...(model.outputs[0]!.shape.slice(1) as number[])]);
  const loss = await model.trainOnBatch(x, y);
  expect(Number.isFinite(loss as number)).toBe(true);
  tf.dispose([x, y]);
}

describe('dilated convolutions', () => {
  // tfjs 4.22 has no gradient for a dilated convolution; the builders compute it another way.
  const cases: [string, number[], Params][] = [
    ['Conv1D', [11, 2], { filters: 3, kernelSize: [3], dilationRate: [2], activation: 'relu' }],
    ['Conv2D', [9, 8, 2], { filters: 2, kernelSize: [3, 2], dilationRate: [2, 3], padding: 'same', activation: 'softmax' }],
    ['SeparableConv2D', [8, 7, 3], { filters: 4, kernelSize: [2, 3], dilationRate: [3, 1], depthMultiplier: 2, useBias: false }],
  ];

  it.each(cases)('%s computes what tfjs computes, and trains', async (type, shape, params) => {
    const model = compiled(shape, type, params);
    const reference = compiled(shape, type, params);
    reference.setWeights(model.getWeights());
    // The reference runs tfjs's own dilated convolution, which works forwards.
    const layer = reference.getLayer('l');
    layer.call = Object.getPrototypeOf(layer).call.bind(layer);
    const x = tf.randomNormal([2, ...shape]);
    const ours = model.predict(x) as tf.Tensor;
    const theirs = reference.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0]).toBeLessThan(1e-5);
    await trainOnce(model);
    tf.dispose([x, ours, theirs]);
    model.dispose();
    reference.dispose();
  });
});

describe('bilinear UpSampling2D', () => {
  it('trains on images that are not square, with the gradient of the resize', async () => {
    const model = compiled([3, 5, 2], 'UpSampling2D', { size: [2, 3], interpolation: 'bilinear' });
    const x = tf.randomNormal([2, 3, 5, 2]);
    const dy = tf.randomNormal([2, 6, 15, 2]);
    // A linear map's gradient is its adjoint: <f(x), dy> = <x, grad>.
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(model.apply(t) as tf.Tensor, dy)))(x);
    const forward = tf.sum(tf.mul(model.predict(x) as tf.Tensor, dy)).dataSync()[0]!;
    expect(tf.sum(tf.mul(x, grad)).dataSync()[0]).toBeCloseTo(forward, 3);
    tf.dispose([x, dy, grad]);
    model.dispose();
  });
});
