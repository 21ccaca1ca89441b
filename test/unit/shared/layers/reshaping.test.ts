import { describe, expect, it } from 'vitest';
import { exportModel } from '../../../../shared/keras/export.js';
import type { KerasModelJson } from '../../../../shared/keras/format.js';
import { getLayerSpec } from '../../../../shared/layers/registry.js';
import { chain, node } from '../../../fixtures/graphs.js';
import { imported, through } from '../../../fixtures/one-layer.js';

describe('Reshape', () => {
  it('lays out the same values in a new shape, working out one -1 size', () => {
    expect(through([784], 'Reshape', { targetShape: [28, 28, 1] }).shape).toEqual([null, 28, 28, 1]);
    expect(through([784], 'Reshape', { targetShape: [28, -1, 1] }).shape).toEqual([null, 28, 28, 1]);
    expect(through([4, 6, 2], 'Reshape', { targetShape: [-1] }).shape).toEqual([null, 48]);
  });

  it('names both sizes when they cannot match', () => {
    expect(through([784], 'Reshape', { targetShape: [20, 20] }).problems).toEqual([
      {
        code: 'SHAPE_MISMATCH',
        nodeId: 'l',
        message: 'Reshape gets 784 values per example from (?, 784) but the target shape (20, 20) holds 400: pick sizes that multiply to 784, or put -1 in one place.',
      },
    ]);
    expect(through([10, 3], 'Reshape', { targetShape: [4, -1] }).problems[0]).toMatchObject({
      code: 'SHAPE_MISMATCH',
      message: 'Reshape cannot lay out 30 values from (?, 10, 3) as (4, -1): 30 is not a multiple of 4.',
    });
  });

  it('allows one -1 only, and no size of 0 or below -1', () => {
    expect(through([784], 'Reshape', { targetShape: [-1, -1] }).problems[0]).toMatchObject({
      code: 'INVALID_PARAM',
      message: "Reshape's target shape (-1, -1) has 2 sizes of -1; only one size can be left to work out.",
    });
    expect(through([784], 'Reshape', { targetShape: [0, 784] }).problems[0]).toMatchObject({ code: 'EMPTY_OUTPUT' });
    expect(through([784], 'Reshape', { targetShape: [-2, 392] }).problems[0]).toMatchObject({ code: 'INVALID_PARAM' });
  });
});

describe('Permute and RepeatVector', () => {
  it('reorders the dimensions after the batch, counted from 1', () => {
    expect(through([5, 7], 'Permute', { dims: [2, 1] }).shape).toEqual([null, 7, 5]);
    expect(through([2, 3, 4], 'Permute', { dims: [3, 1, 2] }).shape).toEqual([null, 4, 2, 3]);
  });

  it('needs every dimension once', () => {
    expect(through([5, 7], 'Permute', { dims: [1, 1] }).problems[0]).toMatchObject({
      code: 'INVALID_PARAM',
      message: "Permute's order (1,1) must list each of the 2 dimensions of (?, 5, 7) once, counted from 1, e.g. 2,1.",
    });
    expect(through([2, 3, 4], 'Permute', { dims: [2, 1] }).problems[0]).toMatchObject({ code: 'INVALID_PARAM' });
    expect(through([5, 7], 'Permute', { dims: [0, 1] }).problems[0]).toMatchObject({ code: 'INVALID_PARAM' });
  });

  it('repeats a vector into a sequence, and offers Flatten for anything else', () => {
    expect(through([16], 'RepeatVector', { n: 5 }).shape).toEqual([null, 5, 16]);
    expect(through([4, 4], 'RepeatVector').problems[0]).toMatchObject({
      code: 'WRONG_RANK',
      message: 'RepeatVector needs a flat input (batch, features) but gets (?, 4, 4): insert Flatten.',
      fix: { kind: 'insert-before', layerType: 'Flatten' },
    });
  });
});

describe('UpSampling2D, ZeroPadding2D and Cropping2D', () => {
  it('grows images by repeating or blending pixels, square or not', () => {
    expect(through([7, 7, 8], 'UpSampling2D').shape).toEqual([null, 14, 14, 8]);
    expect(through([3, 5, 2], 'UpSampling2D', { size: [2, 3], interpolation: 'bilinear' })).toEqual({ problems: [], shape: [null, 6, 15, 2] });
    expect(through([64], 'UpSampling2D').problems[0]).toMatchObject({ code: 'WRONG_RANK', fix: { params: { targetShape: [8, 8, 1] } } });
  });

  it('pads and crops each side on its own', () => {
    expect(through([28, 28, 1], 'ZeroPadding2D', { padding: [1, 2, 3, 4] }).shape).toEqual([null, 31, 35, 1]);
    expect(through([4, 4, 1], 'Cropping2D', { cropping: [1, 0, 0, 2] }).shape).toEqual([null, 3, 2, 1]);
  });

  it('says when cropping leaves nothing', () => {
    expect(through([4, 5, 1], 'Cropping2D', { cropping: [2, 2, 0, 0] }).problems).toEqual([
      {
        code: 'EMPTY_OUTPUT',
        nodeId: 'l',
        message: 'Cropping2D cuts 4 rows and 0 columns from a 4×5 image (?, 4, 5, 1), which leaves nothing: crop less.',
      },
    ]);
    expect(through([4, 5, 1], 'Cropping2D', { cropping: [0, 0, 3, 3] }).problems[0]).toMatchObject({ code: 'EMPTY_OUTPUT' });
  });

  it('writes Keras ((top, bottom), (left, right)) and reads every form Keras accepts', () => {
    const exported = exportModel(chain(node('in', 'Input', { shape: [8, 8, 1] }), node('pad', 'ZeroPadding2D', { padding: [1, 2, 3, 4] }), node('crop', 'Cropping2D', { cropping: [0, 1, 2, 0] })), 'keras-json');
    if (!exported.ok) throw new Error(exported.error.message);
    const layers = (exported.json as KerasModelJson).config.layers;
    expect(layers.find((l) => l.name === 'pad')?.config).toMatchObject({ padding: [[1, 2], [3, 4]] });
    expect(layers.find((l) => l.name === 'crop')?.config).toMatchObject({ cropping: [[0, 1], [2, 0]] });

    expect(imported([8, 8, 1], 'ZeroPadding2D', { padding: [[1, 2], [3, 4]] }).params).toEqual({ padding: [1, 2, 3, 4] });
    expect(imported([8, 8, 1], 'ZeroPadding2D', { padding: 2 }).params).toEqual({ padding: [2, 2, 2, 2] });
    expect(imported([8, 8, 1], 'Cropping2D', { cropping: [1, 2] }).params).toEqual({ cropping: [1, 1, 2, 2] });
    const tuple = (...items: unknown[]) => ({ class_name: '__tuple__', items });
    expect(imported([8, 8, 1], 'Cropping2D', { cropping: tuple(tuple(1, 0), tuple(0, 2)) }).params).toEqual({ cropping: [1, 0, 0, 2] });
    expect(imported([8, 8, 1], 'ZeroPadding2D', {}).params).toEqual({ padding: [1, 1, 1, 1] });
  });

  it('refuses a padding Keras would not write, saying which forms it takes', () => {
    expect(imported([8, 8, 1], 'ZeroPadding2D', { padding: [1, 2, 3] }).error).toContain(
      'ZeroPadding2D "r": padding [1,2,3] is not one of the forms Keras uses (an int, [height, width] or [[top, bottom], [left, right]]).',
    );
  });
});

describe('LeakyReLU and GaussianNoise', () => {
  it('keep the shape of their input', () => {
    expect(through([3, 4], 'LeakyReLU').shape).toEqual([null, 3, 4]);
    expect(through([5], 'GaussianNoise', { stddev: 0.5 }).shape).toEqual([null, 5]);
  });

  it("reads LeakyReLU's slope as Keras 2's alpha or Keras 3's negative_slope, and writes alpha, which both read", () => {
    expect(imported([4], 'LeakyReLU', { alpha: 0.2 }).params).toEqual({ alpha: 0.2 });
    expect(imported([4], 'LeakyReLU', { negative_slope: 0.1 }).params).toEqual({ alpha: 0.1 });
    expect(imported([4], 'LeakyReLU', {}).params).toEqual({ alpha: 0.3 });
    expect(getLayerSpec('LeakyReLU')!.params.map((p) => p.name)).toEqual(['alpha']);
  });
});
