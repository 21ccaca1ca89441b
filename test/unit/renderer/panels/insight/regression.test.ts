import { describe, expect, it } from 'vitest';
import { regressionPlot } from '../../../../../renderer/panels/insight/regression.js';

describe('the regression plot', () => {
  const plot = regressionPlot([
    { index: 0, actual: 10, predicted: 12 },
    { index: 1, actual: 20, predicted: 17 },
    { index: 2, actual: 30, predicted: 31 },
    { index: 3, actual: Number.NaN, predicted: 5 },
  ]);

  it('uses one scale for both axes covering actual and predicted values', () => {
    expect(plot.scale.domain[0]).toBeLessThanOrEqual(10);
    expect(plot.scale.domain[1]).toBeGreaterThanOrEqual(31);
  });

  it('gives residuals as predicted minus actual, on a scale symmetric around 0', () => {
    expect(plot.residuals).toEqual([
      { index: 0, actual: 10, residual: 2 },
      { index: 1, actual: 20, residual: -3 },
      { index: 2, actual: 30, residual: 1 },
    ]);
    expect(plot.residualScale.domain[0]).toBe(-plot.residualScale.domain[1]);
    expect(plot.residualScale.domain[1]).toBeGreaterThanOrEqual(3);
  });

  it('summarises the error and the bias', () => {
    expect(plot.meanAbsoluteError).toBe(2);
    expect(plot.bias).toBe(0);
    expect(regressionPlot([]).residuals).toEqual([]);
  });
});
