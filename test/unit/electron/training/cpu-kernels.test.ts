import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCpuKernelFixes } from '../../../../electron/training/wasm-gradients.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The sum tfjs's own cpu kernel computes, from a plain loop: rows of x added into their segment's row. */
function segmentSums(x: number[][], ids: number[], segments: number): number[][] {
  const out = Array.from({ length: segments }, () => new Array<number>(x[0]!.length).fill(0));
  ids.forEach((id, i) => {
    if (id >= 0 && id < segments) x[i]!.forEach((v, k) => (out[id]![k]! += v));
  });
  return out;
}

describe('the cpu backend’s UnsortedSegmentSum, replaced', () => {
  it('gives the same sums as tfjs’s own kernel, dropping ids out of range', async () => {
    const x = [
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
      [9, 10],
    ];
    const ids = [2, 0, 2, -1, 3];
    const before = await tf.unsortedSegmentSum(tf.tensor2d(x), tf.tensor1d(ids, 'int32'), 3).array();
    registerCpuKernelFixes();
    registerCpuKernelFixes();
    const after = await tf.unsortedSegmentSum(tf.tensor2d(x), tf.tensor1d(ids, 'int32'), 3).array();
    expect(after).toEqual(before);
    expect(after).toEqual(segmentSums(x, ids, 3));
  });

  it('sums an Embedding-sized gradient (10,000 rows, a batch of 16 reviews of 200 words) exactly', async () => {
    registerCpuKernelFixes();
    const count = 16 * 200;
    const ids = Array.from({ length: count }, (_, i) => (i * 7919) % 10_000);
    const x = Array.from({ length: count }, (_, i) => Array.from({ length: 16 }, (_, k) => ((i + k) % 5) - 2));
    const sums = (await tf.unsortedSegmentSum(tf.tensor2d(x), tf.tensor1d(ids, 'int32'), 10_000).array()) as number[][];
    expect(sums).toEqual(segmentSums(x, ids, 10_000));
  });
});
