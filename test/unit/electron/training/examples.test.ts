import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { labelledImages, selfTargetImages, slice, textWindows } from '../../../../electron/training/jobs/examples.js';
import { sampleWithTemperature } from '../../../../electron/training/jobs/samplers.js';
import { seededRandom } from '../../../../electron/training/jobs/tensors.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

const ids = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
const array = async (t: tf.Tensor) => Array.from(await t.data());

describe('text windows', () => {
  it('pairs each window with the character after it', async () => {
    const source = textWindows(ids, { length: 3, stride: 2, vocabulary: 10, oneHotInput: false, everyStep: false, sparse: true });
    expect(source.count).toBe(4);
    const { x, y } = source.batch([0, 3]);
    expect(x.shape).toEqual([2, 3]);
    expect(await array(x)).toEqual([0, 1, 2, 6, 7, 8]);
    expect(await array(y)).toEqual([3, 9]);
  });

  it('targets every position shifted by one, with a trailing axis for sparse losses', async () => {
    const source = textWindows(ids, { length: 4, stride: 4, vocabulary: 10, oneHotInput: false, everyStep: true, sparse: true });
    const { x, y } = source.batch([1]);
    expect(await array(x)).toEqual([4, 5, 6, 7]);
    expect(y.shape).toEqual([1, 4, 1]);
    expect(await array(y)).toEqual([5, 6, 7, 8]);
  });

  it('one-hot encodes inputs and dense targets when asked', async () => {
    const source = textWindows(ids, { length: 2, stride: 1, vocabulary: 10, oneHotInput: true, everyStep: false, sparse: false });
    const { x, y } = source.batch([5]);
    expect(x.shape).toEqual([1, 2, 10]);
    expect(await array(tf.argMax(x, -1))).toEqual([5, 6]);
    expect(await array(tf.argMax(y, -1))).toEqual([7]);
  });
});

describe('image examples', () => {
  const split = { images: Float32Array.from({ length: 3 * 4 }, (_, i) => i / 12), labels: Uint8Array.from([2, 0, 1]), count: 3 };

  it('gives one-hot or sparse labels', async () => {
    const { y } = labelledImages(split, [2, 2, 1], 3, false).batch([0, 2]);
    expect(await array(y)).toEqual([0, 0, 1, 0, 1, 0]);
    const sparse = labelledImages(split, [2, 2, 1], 3, true).batch([1]);
    expect(await array(sparse.y)).toEqual([0]);
    expect(sparse.x.shape).toEqual([1, 2, 2, 1]);
  });

  it('makes each image its own target for autoencoders', async () => {
    const { x, y } = selfTargetImages(split, [2, 2, 1]).batch([1]);
    expect(await array(y)).toEqual(await array(x));
  });

  it('slices a held-out validation part', async () => {
    const tail = slice(labelledImages(split, [2, 2, 1], 3, true), 1, 3);
    expect(tail.count).toBe(2);
    expect(await array(tail.batch([0, 1]).y)).toEqual([0, 1]);
  });
});

describe('sampling at a temperature', () => {
  it('is nearly greedy when cold and spreads out when hot', () => {
    const probs = [0.6, 0.3, 0.1];
    const draw = (t: number) => {
      const random = seededRandom(7);
      return Array.from({ length: 2000 }, () => sampleWithTemperature(probs, t, random));
    };
    const share = (draws: number[], k: number) => draws.filter((d) => d === k).length / draws.length;
    expect(share(draw(0.1), 0)).toBeGreaterThan(0.99);
    expect(share(draw(1), 0)).toBeCloseTo(0.6, 1);
    expect(share(draw(5), 2)).toBeGreaterThan(0.2);
  });
});
