import { describe, expect, it } from 'vitest';
import { checkExpectation } from '../../../../electron/cli/expectation.js';
import { project } from '../../../fixtures/graphs.js';

const record = (epoch: number, valAcc: number) => ({ epoch, loss: 0.1, acc: 0.9, valLoss: 0.2, valAcc });

describe('checking a template against the quality it states', () => {
  const p = { ...project(), expected: { metric: 'valAcc' as const, atLeast: 0.98, epochs: 2 } };

  it('passes at the promised epoch', () => {
    expect(checkExpectation(p, [record(1, 0.97), record(2, 0.985)])).toMatchObject({ met: true, value: 0.985, epoch: 2, message: 'Meets its stated quality: valAcc 0.9850 ≥ 0.98 after 2 epochs.' });
  });

  it('fails below the promise, or when the run ended before its epoch', () => {
    expect(checkExpectation(p, [record(1, 0.97), record(2, 0.975)])).toMatchObject({ met: false, message: expect.stringContaining('this run reached 0.9750 after epoch 2') });
    expect(checkExpectation(p, [record(1, 0.99)])).toMatchObject({ met: false, epoch: 1 });
  });

  it('has nothing to check without a promise', () => {
    expect(checkExpectation(project(), [record(1, 0.5)])).toBeNull();
  });
});
