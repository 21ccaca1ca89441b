import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../electron/compiler/compile.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import { chain, node } from '../../../fixtures/graphs.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

afterAll(() => {
  tf.disposeVariables();
});

/**
 * Keras's ReLU as its backend computes it: max_value from max_value up, x above the threshold,
 * negative_slope·(x − threshold) otherwise (so 0 at the threshold itself, where the documentation says x).
 */
function kerasRelu(x: number, maxValue: number | null, negativeSlope: number, threshold: number): number {
  if (maxValue !== null && x >= maxValue) return maxValue;
  if (x > threshold) return x;
  return negativeSlope * (x - threshold);
}

const XS = [-3, -1, -0.25, 0, 0.25, 0.5, 0.75, 1, 2, 5.5, 6, 7.5, 10];

describe('ReLU', () => {
  it.each([
    { maxValue: null, negativeSlope: 0, threshold: 0 },
    { maxValue: 6, negativeSlope: 0, threshold: 0 },
    { maxValue: null, negativeSlope: 0.1, threshold: 0 },
    { maxValue: 6, negativeSlope: 0.2, threshold: 0.5 },
    { maxValue: 2, negativeSlope: 0, threshold: 0.75 },
  ])('computes what Keras computes with %o', (params) => {
    const model = compileGraph(chain(node('in', 'Input', { shape: [XS.length] }), node('relu', 'ReLU', params)));
    try {
      const out = tf.tidy(() => (model.predict(tf.tensor2d([XS])) as tf.Tensor).dataSync());
      const expected = XS.map((x) => kerasRelu(x, params.maxValue, params.negativeSlope, params.threshold));
      Array.from(out).forEach((y, i) => expect(y, `x = ${XS[i]}`).toBeCloseTo(expected[i]!, 6));
    } finally {
      model.dispose();
    }
  });

  it("is tfjs's own ReLU when it only caps, so tfjs reads a saved model without NetCanvas", () => {
    const capped = compileGraph(chain(node('in', 'Input', { shape: [2] }), node('relu', 'ReLU', { maxValue: 6 })));
    const sloped = compileGraph(chain(node('in', 'Input', { shape: [2] }), node('relu', 'ReLU', { negativeSlope: 0.1 })));
    try {
      expect(capped.getLayer('relu').getClassName()).toBe('ReLU');
      expect(sloped.getLayer('relu').getClassName()).toBe('KerasReLU');
    } finally {
      capped.dispose();
      sloped.dispose();
    }
  });
});
