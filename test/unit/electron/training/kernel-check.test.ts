import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../electron/compiler/compile.js';
import { layerLackingGradient } from '../../../../electron/training/kernel-check.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import { chain, node } from '../../../fixtures/graphs.js';

const cnn = chain(
  node('in', 'Input', { shape: [8, 8, 1] }),
  node('scale', 'Activation', { activation: 'relu' }),
  node('conv', 'Conv2D', { filters: 2, kernelSize: [3, 3] }),
  node('flat', 'Flatten'),
  node('out', 'Dense', { units: 2, activation: 'softmax' }),
);

describe('which layer a backend cannot train', () => {
  let saved: tf.KernelConfig | undefined;
  beforeAll(async () => {
    await selectBackend('wasm');
    // As on a backend without a convolution filter gradient (tfjs-backend-wasm as shipped).
    saved = tf.getKernel('Conv2DBackpropFilter', 'wasm');
    if (saved) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  });
  afterAll(() => {
    if (saved) tf.registerKernel(saved);
  });

  it('names the layer and its class, not only the kernel', () => {
    const missing = layerLackingGradient(compileGraph(cnn));
    expect(missing).toMatchObject({ layer: 'conv', className: 'Conv2D', reason: expect.stringContaining('Conv2DBackpropFilter') });
  });

  it('finds nothing to report for a network the backend can train', () => {
    expect(layerLackingGradient(compileGraph(chain(node('in', 'Input', { shape: [4] }), node('out', 'Dense', { units: 2 }))))).toBeNull();
  });
});
