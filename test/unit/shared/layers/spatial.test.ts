import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Params } from '../../../../shared/graph/types.js';
import { chain, node } from '../../../fixtures/graphs.js';

/** Input of `shape` → one layer; the layer's problems and output shape. */
function through(shape: number[], type: string, params: Params = {}) {
  const inference = inferGraph(chain(node('in', 'Input', { shape }), node('l', type, params)));
  return { problems: inference.diagnostics.filter((d) => d.nodeId === 'l'), shape: inference.nodes.l?.outputShape };
}

describe('convolution and pooling shapes', () => {
  it('computes Keras output sizes for strides, padding and dilation', () => {
    expect(through([28, 28, 1], 'Conv2D', { filters: 32, kernelSize: [3, 3] }).shape).toEqual([null, 26, 26, 32]);
    expect(through([28, 28, 1], 'Conv2D', { filters: 8, kernelSize: [3, 3], strides: [2, 2], padding: 'same' }).shape).toEqual([null, 14, 14, 8]);
    expect(through([28, 28, 1], 'Conv2D', { filters: 8, kernelSize: [3, 3], dilationRate: [2, 2] }).shape).toEqual([null, 24, 24, 8]);
    expect(through([7, 7, 64], 'Conv2DTranspose', { filters: 32, kernelSize: [4, 4], strides: [2, 2], padding: 'same' }).shape).toEqual([null, 14, 14, 32]);
    expect(through([7, 7, 64], 'Conv2DTranspose', { filters: 32, kernelSize: [5, 5], strides: [2, 2] }).shape).toEqual([null, 17, 17, 32]);
    expect(through([100, 16], 'Conv1D', { filters: 4, kernelSize: [5], strides: [3] }).shape).toEqual([null, 32, 4]);
    expect(through([9, 9, 3], 'MaxPooling2D', { poolSize: [2, 2], strides: [2, 2] }).shape).toEqual([null, 4, 4, 3]);
    expect(through([9, 9, 3], 'MaxPooling2D', { poolSize: [2, 2], strides: [2, 2], padding: 'same' }).shape).toEqual([null, 5, 5, 3]);
    expect(through([9, 9, 3], 'GlobalAveragePooling2D').shape).toEqual([null, 3]);
  });

  it('says a kernel is larger than its input, and offers padding "same"', () => {
    const { problems } = through([3, 3, 16], 'Conv2D', { kernelSize: [5, 5] });
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'KERNEL_TOO_LARGE',
        message: 'Conv2D\'s 5×5 kernel is larger than its 3×3 input (?, 3, 3, 16): use padding "same" or a smaller kernel.',
        fix: { kind: 'set-param', param: 'padding', value: 'same', label: 'Use padding "same"' },
      }),
    ]);
    expect(through([3, 3, 16], 'Conv2D', { kernelSize: [5, 5], padding: 'same' }).problems).toEqual([]);
  });

  it('refuses strides with dilation, which TensorFlow.js cannot combine', () => {
    const { problems } = through([20, 20, 1], 'Conv2D', { strides: [2, 2], dilationRate: [2, 2] });
    expect(problems[0]).toMatchObject({ code: 'INVALID_PARAM', fix: { kind: 'set-param', param: 'dilationRate', value: [1, 1] } });
  });

  it('offers to reshape a flat input into an image or a sequence', () => {
    expect(through([784], 'Conv2D').problems[0]).toMatchObject({
      code: 'WRONG_RANK',
      message: 'Conv2D needs (batch, height, width, channels) but gets (?, 784): insert Reshape to (28, 28, 1).',
      fix: { kind: 'insert-before', layerType: 'Reshape', params: { targetShape: [28, 28, 1] } },
    });
    expect(through([100], 'Conv1D').problems[0]).toMatchObject({ code: 'WRONG_RANK', fix: { params: { targetShape: [100, 1] } } });
    expect(through([10], 'Conv2D').problems[0]).not.toHaveProperty('fix');
  });
});

describe('reshaping', () => {
  it('works out a -1 size, and names both sizes when they cannot match', () => {
    expect(through([784], 'Reshape', { targetShape: [28, -1, 1] }).shape).toEqual([null, 28, 28, 1]);
    expect(through([784], 'Reshape', { targetShape: [20, 20] }).problems[0]).toMatchObject({
      code: 'SHAPE_MISMATCH',
      message: 'Reshape gets 784 values per example from (?, 784) but the target shape (20, 20) holds 400: pick sizes that multiply to 784, or put -1 in one place.',
    });
    expect(through([784], 'Reshape', { targetShape: [-1, -1] }).problems[0]).toMatchObject({ code: 'INVALID_PARAM' });
    expect(through([784], 'Reshape', { targetShape: [0, 784] }).problems[0]).toMatchObject({ code: 'EMPTY_OUTPUT' });
  });

  it('says when cropping leaves nothing', () => {
    expect(through([4, 4, 1], 'Cropping2D', { cropping: [2, 2, 0, 0] }).problems[0]).toMatchObject({ code: 'EMPTY_OUTPUT' });
    expect(through([4, 4, 1], 'Cropping2D', { cropping: [1, 0, 0, 2] }).shape).toEqual([null, 3, 2, 1]);
  });

  it('checks a permutation lists every dimension once', () => {
    expect(through([5, 7], 'Permute', { dims: [2, 1] }).shape).toEqual([null, 7, 5]);
    expect(through([5, 7], 'Permute', { dims: [1, 1] }).problems[0]).toMatchObject({ code: 'INVALID_PARAM' });
  });
});
