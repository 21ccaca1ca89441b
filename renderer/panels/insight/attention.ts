/** A query-by-key weight matrix: `weights[query][key]`. */
export type Weights = readonly (readonly number[])[];

/** One head's weights, or with `head` −1 the mean over the heads. */
export function headWeights(heads: readonly Weights[], head: number): number[][] {
  const chosen = head < 0 ? heads : heads[head] ? [heads[head]] : [];
  const rows = chosen[0]?.length ?? 0;
  const cols = chosen[0]?.[0]?.length ?? 0;
  return Array.from({ length: rows }, (_, q) => Array.from({ length: cols }, (_, k) => chosen.reduce((a, h) => a + (h[q]?.[k] ?? 0), 0) / chosen.length));
}

/**
 * Each row scaled by its own largest weight: every position's attention sums to 1, so an early
 * position that can see only itself would otherwise outshine every later one's pattern.
 */
export function rowScaled(weights: Weights): number[][] {
  return weights.map((row) => {
    const most = row.reduce((m, v) => Math.max(m, v), 0);
    return row.map((v) => (most > 0 ? v / most : 0));
  });
}

/** The positions to show: all of them, or only those that are not filler ('' labels) before the text. */
export function shownPositions(labels: readonly string[], withFiller: boolean): number[] {
  const all = labels.map((_, i) => i);
  return withFiller ? all : all.filter((i) => labels[i] !== '');
}
