import { describe, expect, it } from 'vitest';
import { interleaved, median, planRounds, warmUp, type Contender } from '../../../../electron/bench/timing.js';

describe('planRounds', () => {
  const limits = { roundMs: 1000, budgetMs: 60_000, minRounds: 3, maxRounds: 9, warmupMs: 0 };

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
      expect(result.ratio).toBeCloseTo(2);
    } finally {
      performance.now = realNow;
    }
  });

  it('takes the ratio within each round, so one slow spell does not decide it', async () => {
    let clock = 0;
    const realNow = performance.now.bind(performance);
    // Batch times on a fake clock: A is twice as fast in rounds 1 and 3; in round 2 a spell
    // of load slows A more. The medians of the rates (A 30 ms, B 25 ms) would say B is faster.
    const contender = (times: number[]): Contender => ({
      train: async () => {
        clock += times.shift()!;
      },
    });
    performance.now = () => clock;
    try {
      const result = await interleaved(contender([10, 30, 100]), contender([20, 25, 200]), { batchesPerRound: 1, rounds: 3 }, 5);
      expect(result.aPerSec / result.bPerSec).toBeCloseTo(25 / 30);
      expect(result.ratio).toBeCloseTo(2);
    } finally {
      performance.now = realNow;
    }
  });

  it('median takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('warmUp', () => {
  it('plans from a batch after the first, which also builds the training function', async () => {
    let clock = 0;
    const realNow = performance.now.bind(performance);
    // The first batch takes 5 s, every later one 2.5 s (slow enough to need no more warm-up), on a fake clock.
    const contender = (): Contender & { trained: number } => {
      const c = {
        trained: 0,
        train: async (batches: number) => {
          for (let i = 0; i < batches; i++) clock += c.trained++ === 0 ? 5000 : 2500;
        },
      };
      return c;
    };
    performance.now = () => clock;
    try {
      const [a, b] = [contender(), contender()];
      expect(await warmUp(a, b, 1000)).toBe(2500);
      expect([a.trained, b.trained]).toEqual([2, 2]);
      expect(await warmUp(contender(), contender(), 0)).toBe(5000);
    } finally {
      performance.now = realNow;
    }
  });
});
