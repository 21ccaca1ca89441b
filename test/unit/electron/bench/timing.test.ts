import { describe, expect, it } from 'vitest';
import { interleaved, median, planRounds, type Contender } from '../../../../electron/bench/timing.js';

describe('planRounds', () => {
  const limits = { roundMs: 1000, budgetMs: 60_000, minRounds: 3, maxRounds: 9 };

  it('fills a round with fast batches and keeps all rounds', () => {
    expect(planRounds(10, undefined, limits)).toEqual({ batchesPerRound: 100, rounds: 9 });
  });

  it('gives a slow network one batch per round and fewer rounds, never under the minimum', () => {
    expect(planRounds(15_000, undefined, limits)).toEqual({ batchesPerRound: 1, rounds: 3 });
    expect(planRounds(5_000, undefined, limits)).toEqual({ batchesPerRound: 1, rounds: 6 });
  });

  it('takes the batch count it is given', () => {
    expect(planRounds(10, 2, limits)).toEqual({ batchesPerRound: 2, rounds: 9 });
  });
});

describe('interleaved', () => {
  it('alternates the two networks batch by batch and reports each one’s median rate', async () => {
    const order: string[] = [];
    let clock = 0;
    const realNow = performance.now.bind(performance);
    // A batch of A takes 10 ms, of B 20 ms, on a fake clock.
    const contender = (name: string, ms: number): Contender => ({
      train: async (batches) => {
        order.push(name);
        clock += ms * batches;
      },
    });
    performance.now = () => clock;
    try {
      const result = await interleaved(contender('A', 10), contender('B', 20), { batchesPerRound: 2, rounds: 3 }, 5);
      expect(order.join('')).toBe('ABBA' + 'BAAB' + 'ABBA');
      expect(result.aPerSec).toBeCloseTo(500);
      expect(result.bPerSec).toBeCloseTo(250);
      expect(result.ratioSpread).toEqual([2, 2]);
    } finally {
      performance.now = realNow;
    }
  });

  it('median takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
