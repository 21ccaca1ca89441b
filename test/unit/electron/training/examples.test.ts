import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { memorySplit } from '../../../../electron/data/dataset.js';
import { slice, supervisedExamples, textWindows } from '../../../../electron/training/jobs/examples.js';
import { sampleWithTemperature } from '../../../../electron/training/jobs/samplers.js';
import { seededRandom } from '../../../../electron/data/random.js';
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

describe('examples of a split', () => {
  const split = memorySplit(Float32Array.from({ length: 3 * 4 }, (_, i) => i / 12), 4, { labels: Int32Array.from([2, 0, 1]) });
  const classes = (sparse: boolean) => ({ kind: 'classes' as const, numClasses: 3, sparse });

  it('gives one-hot or sparse labels', async () => {
    const { y } = supervisedExamples(split, [2, 2, 1], classes(false)).batch([0, 2]);
    expect(await array(y)).toEqual([0, 0, 1, 0, 1, 0]);
    const sparse = supervisedExamples(split, [2, 2, 1], classes(true)).batch([1]);
    expect(await array(sparse.y)).toEqual([0]);
    expect(sparse.x.shape).toEqual([1, 2, 2, 1]);
  });

  it('shapes inputs as the network reads them, trailing axes of 1 dropped', async () => {
    const { x } = supervisedExamples(split, [2, 2], classes(true)).batch([2]);
    expect(x.shape).toEqual([1, 2, 2]);
    expect(await array(x)).toEqual([8, 9, 10, 11].map((v) => expect.closeTo(v / 12, 6)));
  });

  it('makes each image its own target for autoencoders', async () => {
    const { x, y } = supervisedExamples(split, [2, 2, 1], { kind: 'self', shape: [4] }).batch([1]);
    expect(y.shape).toEqual([1, 4]);
    expect(await array(y)).toEqual(await array(x));
  });

  it('gives two classes as one probability for a sigmoid output', async () => {
    const two = memorySplit(Float32Array.from([1, 2, 3]), 1, { labels: Int32Array.from([1, 0, 1]) });
    const { y } = supervisedExamples(two, [1], { kind: 'binary' }).batch([2, 1]);
    expect(y.shape).toEqual([2, 1]);
    expect(await array(y)).toEqual([1, 0]);
  });

  it('gives regression values', async () => {
    const values = memorySplit(Float32Array.from([1, 2, 3, 4]), 2, { values: Float32Array.from([10, 11, 20, 21]) });
    const { x, y } = supervisedExamples(values, [2], { kind: 'values', size: 2 }).batch([1, 0]);
    expect(await array(x)).toEqual([3, 4, 1, 2]);
    expect(y.shape).toEqual([2, 2]);
    expect(await array(y)).toEqual([20, 21, 10, 11]);
  });

  it('augments training inputs through a transform', async () => {
    const { x } = supervisedExamples(split, [2, 2, 1], classes(true), (f) => f.map((v) => 1 - v)).batch([0]);
    expect(await array(x)).toEqual([1, 11 / 12, 10 / 12, 9 / 12].map((v) => expect.closeTo(v, 6)));
  });

  it('slices a held-out validation part', async () => {
    const tail = slice(supervisedExamples(split, [2, 2, 1], classes(true)), 1, 3);
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
