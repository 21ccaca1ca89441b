import { describe, expect, it } from 'vitest';
import { headWeights, rowScaled, shownPositions } from '../../../../../renderer/panels/insight/attention.js';

const heads = [
  [
    [1, 0],
    [0.5, 0.5],
  ],
  [
    [1, 0],
    [0.1, 0.9],
  ],
];

describe('attention weights', () => {
  it('picks one head, or averages them all', () => {
    expect(headWeights(heads, 1)).toEqual(heads[1]);
    expect(headWeights(heads, -1)).toEqual([
      [1, 0],
      [0.3, 0.7],
    ]);
    expect(headWeights(heads, 5)).toEqual([]);
  });

  it('scales each row by its largest weight, so a spread-out row is as visible as a sure one', () => {
    expect(rowScaled([[1, 0], [0.25, 0.5], [0, 0]])).toEqual([[1, 0], [0.5, 1], [0, 0]]);
  });

  it('leaves out the filler before a short text unless asked for it', () => {
    expect(shownPositions(['', '', 'a', 'b'], false)).toEqual([2, 3]);
    expect(shownPositions(['', '', 'a', 'b'], true)).toEqual([0, 1, 2, 3]);
  });
});
