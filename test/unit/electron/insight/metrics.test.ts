import { describe, expect, it } from 'vitest';
import { argmaxRows, binaryRows, classificationFigures, groupFigures, MAX_POINTS, MISTAKES_SHOWN, regressionFigures } from '../../../../electron/insight/metrics.js';
import { CELL_EXAMPLES } from '../../../../shared/api/insight.js';

describe('classificationFigures', () => {
  // index:       0    1    2    3    4     5    6     7
  const truth = [0, 0, 0, 1, 1, 2, 2, 2];
  const predicted = [0, 1, 0, 1, 1, 2, 0, 1];
  const confidence = [0.9, 0.8, 0.7, 0.6, 0.95, 0.5, 0.85, 0.4];
  const figures = classificationFigures(truth, predicted, confidence, ['cat', 'dog', 'bird']);

  it('counts the confusion matrix with true classes as rows', () => {
    // cat → cat, dog, cat; dog → dog, dog; bird → bird, cat, dog.
    expect(figures.confusion).toEqual([
      [2, 1, 0],
      [0, 2, 0],
      [1, 1, 1],
    ]);
    expect(figures.samples).toBe(8);
    // Right: examples 0, 2, 3, 4, 5 → 5 / 8.
    expect(figures.accuracy).toBe(0.625);
  });

  it('gives precision, recall and F1 of each class', () => {
    // cat: 2 right of 3 predicted cat (column 0: 2 + 0 + 1), 2 of 3 true cats; F1 = 2·(2/3)(2/3)/(4/3) = 2/3.
    // dog: 2 right of 4 predicted dog (1 + 2 + 1) = 0.5, 2 of 2 true dogs = 1; F1 = 2·0.5·1/1.5 = 2/3.
    // bird: 1 of 1 predicted bird = 1, 1 of 3 true birds; F1 = 2·1·(1/3)/(4/3) = 0.5.
    const rounded = figures.perClass.map((c) => ({ ...c, precision: round(c.precision), recall: round(c.recall), f1: round(c.f1) }));
    expect(rounded).toEqual([
      { class: 'cat', precision: 0.666667, recall: 0.666667, f1: 0.666667, count: 3 },
      { class: 'dog', precision: 0.5, recall: 1, f1: 0.666667, count: 2 },
      { class: 'bird', precision: 1, recall: 0.333333, f1: 0.5, count: 3 },
    ]);
  });

  it('lists the mistakes most confident first, and each cell its examples', () => {
    // Wrong: 1 (cat as dog, 0.8), 6 (bird as cat, 0.85), 7 (bird as dog, 0.4).
    expect(figures.mistakes).toEqual([
      { index: 6, truth: 'bird', predicted: 'cat', confidence: 0.85 },
      { index: 1, truth: 'cat', predicted: 'dog', confidence: 0.8 },
      { index: 7, truth: 'bird', predicted: 'dog', confidence: 0.4 },
    ]);
    expect(figures.cellExamples).toEqual([
      [[0, 2], [1], []],
      [[], [3, 4], []],
      [[6], [7], [5]],
    ]);
  });

  it('takes 0/0 as 0: a class never predicted, and a class with no examples', () => {
    // a: 1 right of 2 predicted a = 0.5, 1 of 1 true a = 1, F1 = 2·0.5·1/1.5 = 2/3; b: predicted never, so 0/0 → 0,
    // and 0 of 1 true b; c: no examples and never predicted, all 0/0.
    const { perClass } = classificationFigures([0, 1], [0, 0], [0.9, 0.6], ['a', 'b', 'c']);
    expect(perClass.map((c) => [c.class, round(c.precision), round(c.recall), round(c.f1), c.count])).toEqual([
      ['a', 0.5, 1, 0.666667, 1],
      ['b', 0, 0, 0, 1],
      ['c', 0, 0, 0, 0],
    ]);
    expect(classificationFigures([], [], [], ['a']).accuracy).toBe(0);
  });

  it('keeps at most CELL_EXAMPLES per cell and MISTAKES_SHOWN mistakes', () => {
    const n = 40;
    const truth = Array.from({ length: n }, (_, i) => (i < 30 ? 0 : 1));
    // The first 30 are 0 and given 0; the last 10 are 1 and given 0, with rising confidence.
    const figures = classificationFigures(truth, new Array(n).fill(0), Array.from({ length: n }, (_, i) => i / 100), ['x', 'y']);
    expect(figures.cellExamples[0]![0]).toEqual(Array.from({ length: CELL_EXAMPLES }, (_, i) => i));
    expect(figures.confusion).toEqual([
      [30, 0],
      [10, 0],
    ]);
    const few = classificationFigures(new Array(20).fill(1), new Array(20).fill(0), Array.from({ length: 20 }, (_, i) => i / 20), ['x', 'y']);
    expect(few.mistakes.map((m) => m.index)).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8]);
    expect(few.mistakes).toHaveLength(MISTAKES_SHOWN);
  });

  it('names an example whose class is outside the classes', () => {
    expect(() => classificationFigures([0, 3], [0, 0], [1, 1], ['a', 'b'])).toThrow('example 1 has class 3 true and 0 predicted, outside the 2 classes');
  });
});

describe('argmaxRows and binaryRows', () => {
  it('take the most probable class, the first of equals', () => {
    const { predicted, confidence } = argmaxRows([0.1, 0.7, 0.2, 0.5, 0.5, 0], 3);
    expect([...predicted]).toEqual([1, 0]);
    expect([...confidence].map(round)).toEqual([0.7, 0.5]);
  });

  it('read one sigmoid as class 1 from 0.5 up, confident in the class it gives', () => {
    const { predicted, confidence } = binaryRows([0.5, 0.2, 0.9]);
    expect([...predicted]).toEqual([1, 0, 1]);
    // 0.5 → class 1 at 0.5; 0.2 → class 0 at 1 − 0.2; 0.9 → class 1 at 0.9.
    expect([...confidence].map(round)).toEqual([0.5, 0.8, 0.9]);
  });
});

describe('regressionFigures', () => {
  it('gives the mean absolute error and RMSE over every value', () => {
    // Errors 1, 0, 2, 4: MAE 7 / 4 = 1.75; squares 1 + 0 + 4 + 16 = 21, RMSE √(21 / 4) = 2.291288.
    const figures = regressionFigures([1, 2, 3, 4], [2, 2, 5, 0]);
    expect(figures.meanAbsoluteError).toBe(1.75);
    expect(round(figures.rootMeanSquaredError)).toBe(2.291288);
    expect(figures.points).toEqual([
      { index: 0, actual: 1, predicted: 2 },
      { index: 1, actual: 2, predicted: 2 },
      { index: 2, actual: 3, predicted: 5 },
      { index: 3, actual: 4, predicted: 0 },
    ]);
  });

  it('plots the first of several target columns and keeps each example’s own error', () => {
    // Two examples of two values: (1, 2) given (2, 2), (3, 4) given (5, 0); errors (1 + 0) / 2 and (2 + 4) / 2.
    const figures = regressionFigures([1, 2, 3, 4], [2, 2, 5, 0], 2);
    expect(figures.samples).toBe(2);
    expect(figures.meanAbsoluteError).toBe(1.75);
    expect([...figures.errors]).toEqual([0.5, 3]);
    expect(figures.points).toEqual([
      { index: 0, actual: 1, predicted: 2 },
      { index: 1, actual: 3, predicted: 5 },
    ]);
  });

  it('spreads at most MAX_POINTS points evenly over many examples', () => {
    const n = 5000;
    const values = Float32Array.from({ length: n }, (_, i) => i);
    const { points } = regressionFigures(values, values);
    expect(points).toHaveLength(MAX_POINTS);
    // Every 2.5 examples: 0, 2, 5, 7, 10, … up to ⌊1999 · 2.5⌋ = 4997.
    expect(points.slice(0, 5).map((p) => p.index)).toEqual([0, 2, 5, 7, 10]);
    expect(points[MAX_POINTS - 1]!.index).toBe(4997);
  });
});

describe('groupFigures', () => {
  const groups = ['10', '2', 'a', '2', '10'];

  it('gives each group its count and accuracy, groups in natural order', () => {
    // 2: examples 1 (wrong) and 3 (right) → 1/2; 10: examples 0 and 4, both right; a: example 2, right.
    expect(groupFigures(groups, { correct: [true, false, true, true, true] })).toEqual([
      { group: '2', count: 2, accuracy: 0.5 },
      { group: '10', count: 2, accuracy: 1 },
      { group: 'a', count: 1, accuracy: 1 },
    ]);
  });

  it('gives each group its mean absolute error', () => {
    // 2: (3 + 5) / 2 = 4; 10: (1 + 2) / 2 = 1.5; a: 0.
    expect(groupFigures(groups, { errors: [1, 3, 0, 5, 2] })).toEqual([
      { group: '2', count: 2, meanAbsoluteError: 4 },
      { group: '10', count: 2, meanAbsoluteError: 1.5 },
      { group: 'a', count: 1, meanAbsoluteError: 0 },
    ]);
  });
});

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
