import { describe, expect, it } from 'vitest';
import { BatchCoalescer } from '../../../../electron/training/coalesce.js';

describe('BatchCoalescer', () => {
  it('sends at most one message per interval and loses no batch', () => {
    let clock = 0;
    const sent: number[][] = [];
    const coalescer = new BatchCoalescer(100, (_p, points) => sent.push(points.map((p) => p.step)), () => clock);
    for (let step = 1; step <= 1000; step++) {
      clock += 1; // 1000 batches in one second
      coalescer.push({ epoch: 1, batch: step, batchesPerEpoch: 1000, samplesPerSec: 1 }, { step, loss: 1, acc: null });
    }
    coalescer.flush();
    expect(sent.length).toBeLessThanOrEqual(12);
    expect(sent.flat()).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });
});
