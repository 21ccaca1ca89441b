import { niceScale, type Scale } from '../../charts/scales.js';

export interface RegressionPoint {
  index: number;
  actual: number;
  predicted: number;
}

export interface RegressionPlot {
  /** One scale for both axes of predicted against actual, so y = x is the diagonal. */
  scale: Scale;
  residuals: { index: number; actual: number; residual: number }[];
  /** Symmetric around 0, so over- and under-estimates weigh the same to the eye. */
  residualScale: Scale;
  meanAbsoluteError: number;
  /** The mean residual: positive when the network guesses too high on the whole. */
  bias: number;
}

/** What the regression view draws, from the points of an evaluation; finite points only. */
export function regressionPlot(points: readonly RegressionPoint[]): RegressionPlot {
  const finite = points.filter((p) => Number.isFinite(p.actual) && Number.isFinite(p.predicted));
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of finite) {
    lo = Math.min(lo, p.actual, p.predicted);
    hi = Math.max(hi, p.actual, p.predicted);
  }
  const residuals = finite.map((p) => ({ index: p.index, actual: p.actual, residual: p.predicted - p.actual }));
  const most = residuals.reduce((m, r) => Math.max(m, Math.abs(r.residual)), 0);
  const n = Math.max(1, residuals.length);
  return {
    scale: finite.length > 0 ? niceScale(lo, hi) : niceScale(0, 1),
    residuals,
    residualScale: niceScale(-(most || 1), most || 1),
    meanAbsoluteError: residuals.reduce((a, r) => a + Math.abs(r.residual), 0) / n,
    bias: residuals.reduce((a, r) => a + r.residual, 0) / n,
  };
}
