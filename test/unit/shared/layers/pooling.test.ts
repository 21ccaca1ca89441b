import { describe, expect, it } from 'vitest';
import { getLayerSpec, withDefaults } from '../../../../shared/layers/registry.js';
import { imported, through } from '../../../fixtures/one-layer.js';

describe('windowed pooling', () => {
  it('shrinks by the pool size by default, keeping the channels', () => {
    expect(through([28, 28, 32], 'MaxPooling2D').shape).toEqual([null, 14, 14, 32]);
    expect(through([9, 9, 3], 'AveragePooling2D').shape).toEqual([null, 4, 4, 3]);
    expect(through([9, 9, 3], 'AveragePooling2D', { padding: 'same' }).shape).toEqual([null, 5, 5, 3]);
    expect(through([11, 4], 'MaxPooling1D', { poolSize: [3], strides: [3] }).shape).toEqual([null, 3, 4]);
    expect(through([11, 4], 'AveragePooling1D', { poolSize: [3], strides: [1] }).shape).toEqual([null, 9, 4]);
    expect(through([7, 10, 1], 'MaxPooling2D', { poolSize: [3, 2], strides: [1, 3], padding: 'same' }).shape).toEqual([null, 7, 4, 1]);
    expect(through([28, 28, 32], 'MaxPooling2D').problems).toEqual([]);
  });

  it('says a pool is larger than its input and offers padding "same"', () => {
    expect(through([2, 2, 1], 'MaxPooling2D', { poolSize: [3, 3], strides: [3, 3] }).problems).toEqual([
      {
        code: 'KERNEL_TOO_LARGE',
        nodeId: 'l',
        message: 'MaxPooling2D\'s 3×3 pool is larger than its 2×2 input (?, 2, 2, 1): use padding "same" or a smaller pool.',
        fix: { kind: 'set-param', param: 'padding', value: 'same', label: 'Use padding "same"' },
      },
    ]);
    expect(through([2, 2, 1], 'MaxPooling2D', { poolSize: [3, 3], strides: [3, 3], padding: 'same' }).shape).toEqual([null, 1, 1, 1]);
    expect(through([1, 5], 'AveragePooling1D').problems[0]).toMatchObject({
      code: 'KERNEL_TOO_LARGE',
      message: 'AveragePooling1D\'s pool of 2 steps is longer than its input of 1 step (?, 1, 5): use padding "same" or a smaller pool.',
    });
  });

  it('needs an image or a sequence, and offers a reshape where one is obvious', () => {
    expect(through([64], 'MaxPooling2D').problems[0]).toMatchObject({ code: 'WRONG_RANK', fix: { kind: 'insert-before', layerType: 'Reshape', params: { targetShape: [8, 8, 1] } } });
    expect(through([10, 10, 3], 'MaxPooling1D').problems[0]).toMatchObject({
      code: 'WRONG_RANK',
      message: 'MaxPooling1D needs (batch, steps, channels) but gets (?, 10, 10, 3): feed it a sequence.',
    });
  });

  it('keeps Keras strides None, meaning the pool size', () => {
    expect(imported([9, 9, 1], 'MaxPooling2D', { pool_size: [3, 3], strides: null, padding: 'valid' }).params).toMatchObject({ poolSize: [3, 3], strides: null });
    expect(imported([9, 1], 'AveragePooling1D', { pool_size: 3, strides: null }).params).toMatchObject({ poolSize: [3], strides: null });
    expect(imported([9, 9, 1], 'MaxPooling2D', { pool_size: [3, 3], strides: [1, 2] }).params).toMatchObject({ strides: [1, 2] });
  });

  it('takes strides null (Keras None) as the pool size', () => {
    const spec = getLayerSpec('MaxPooling2D')!;
    const params = withDefaults(spec, { poolSize: [3, 2], strides: null });
    expect(spec.outputShape([[null, 9, 9, 1]], params)).toEqual({ ok: true, shape: [null, 3, 4, 1] });
  });
});

describe('global pooling', () => {
  it('turns each example into one vector of its channels', () => {
    expect(through([9, 9, 3], 'GlobalAveragePooling2D').shape).toEqual([null, 3]);
    expect(through([7, 7, 64], 'GlobalMaxPooling2D').shape).toEqual([null, 64]);
    expect(through([12, 5], 'GlobalAveragePooling1D').shape).toEqual([null, 5]);
    expect(through([1, 2], 'GlobalMaxPooling1D').shape).toEqual([null, 2]);
  });

  it('points to the other global pooling when it gets a sequence or an image', () => {
    expect(through([10, 64], 'GlobalAveragePooling2D').problems[0]).toMatchObject({
      code: 'WRONG_RANK',
      message: 'GlobalAveragePooling2D needs (batch, height, width, channels) but gets (?, 10, 64), a sequence: use GlobalAveragePooling1D.',
    });
    expect(through([4, 4, 8], 'GlobalMaxPooling1D').problems[0]).toMatchObject({
      code: 'WRONG_RANK',
      message: 'GlobalMaxPooling1D needs (batch, steps, channels) but gets (?, 4, 4, 8), an image: use GlobalMaxPooling2D.',
    });
  });

  it('says a flat input needs no pooling', () => {
    expect(through([64], 'GlobalMaxPooling2D').problems[0]).toMatchObject({
      code: 'WRONG_RANK',
      message: 'GlobalMaxPooling2D needs (batch, height, width, channels) but gets (?, 64), which is already one vector per example: remove this layer.',
    });
  });

  it('imports Keras keepdims, which TensorFlow.js does not have, with no setting of its own (a Reshape follows it)', () => {
    expect(imported([4, 4, 2], 'GlobalAveragePooling2D', { keepdims: true })).toEqual({ params: {} });
    expect(imported([4, 4, 2], 'GlobalAveragePooling2D', { keepdims: false }).params).toEqual({});
  });
});
