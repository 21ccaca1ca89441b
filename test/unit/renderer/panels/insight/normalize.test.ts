import { describe, expect, it } from 'vitest';
import { rowFractions, toSignedUnit, toUnitRange, transposed } from '../../../../../renderer/panels/insight/normalize.js';

describe('normalization', () => {
  it('turns a confusion matrix into shares of each true class', () => {
    expect(rowFractions([[3, 1], [0, 0], [2, 2]])).toEqual([[0.75, 0.25], [0, 0], [0.5, 0.5]]);
  });

  it('spreads values onto [0, 1], ignoring what is not a number', () => {
    expect(toUnitRange([2, 4, 6])).toEqual([0, 0.5, 1]);
    expect(toUnitRange([5, 5])).toEqual([0, 0]);
    expect(toUnitRange([1, Number.NaN, 3])).toEqual([0, 0, 1]);
  });

  it('scales signed values by their largest magnitude, keeping 0 at 0', () => {
    expect(toSignedUnit([-4, 2, 0])).toEqual([-1, 0.5, 0]);
    expect(toSignedUnit([0, 0])).toEqual([0, 0]);
  });

  it('turns a heat map on its side', () => {
    // 2 steps × 3 features, row after row.
    expect(transposed({ height: 2, width: 3, values: [1, 2, 3, 4, 5, 6] })).toEqual({ height: 3, width: 2, values: [1, 4, 2, 5, 3, 6] });
  });
});
