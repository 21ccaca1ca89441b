import type { HeatMap } from '../../../shared/api/insight.js';

/** Each row divided by its sum: a confusion matrix's rows as shares of each true class. An empty row is all 0. */
export function rowFractions(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (sum > 0 ? v / sum : 0));
  });
}

/** Values spread onto [0, 1] between their smallest and largest; all equal (or none finite) is all 0. */
export function toUnitRange(values: readonly number[]): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  return values.map((v) => (Number.isFinite(v) && span > 0 ? (v - lo) / span : 0));
}

/** Signed values scaled so the largest magnitude is 1, keeping 0 at 0 (a bar chart of activations around its axis). */
export function toSignedUnit(values: readonly number[]): number[] {
  const most = values.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);
  return values.map((v) => (Number.isFinite(v) && most > 0 ? v / most : 0));
}

/** A heat map turned on its side: a sequence's (steps × features) drawn with time running across. */
export function transposed(heat: HeatMap): HeatMap {
  const values = new Array<number>(heat.height * heat.width);
  for (let y = 0; y < heat.height; y++) for (let x = 0; x < heat.width; x++) values[x * heat.height + y] = heat.values[y * heat.width + x] ?? 0;
  return { height: heat.width, width: heat.height, values };
}
