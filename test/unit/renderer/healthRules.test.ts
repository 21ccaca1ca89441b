import { describe, expect, it } from 'vitest';
import { formatFigure, gradientRows, histogramBins, layerNames, layerWarnings, normRange } from '../../../renderer/panels/insight/healthRules.js';
import type { HealthEpoch } from '../../../shared/api/insight.js';

const flat = { min: -1, max: 1, counts: [1, 2, 1] };

/** Epochs of a network whose layers have these gradient norms, epoch after epoch. */
function epochs(norms: Record<string, number[]>): HealthEpoch[] {
  const count = Math.max(...Object.values(norms).map((n) => n.length));
  return Array.from({ length: count }, (_, e) => ({
    epoch: e + 1,
    layers: Object.entries(norms).map(([name, values]) => ({ name, weights: flat, gradients: flat, weightNorm: 1, gradientNorm: values[e]! })),
  }));
}

const statuses = (h: HealthEpoch[]) => layerWarnings(h).map((w) => [w.layer, w.status]);

describe('training health rules', () => {
  it('finds nothing wrong with gradients of similar size that stay steady', () => {
    expect(layerWarnings(epochs({ a: [0.5, 0.4, 0.3], b: [0.05, 0.06, 0.04] }))).toEqual([]);
    expect(layerWarnings([])).toEqual([]);
  });

  it('calls a layer whose gradient is 0 at the latest epoch dead, and says what that means', () => {
    const h = epochs({ dense: [0.2, 0.1, 0], out: [0.3, 0.3, 0.3] });
    expect(statuses(h)).toEqual([['dense', 'dead']]);
    expect(layerWarnings(h)[0]!.message).toMatch(/^dense: gradient 0 at epoch 3 .*does not learn/);
    // A layer dead once but learning again is not dead now.
    expect(statuses(epochs({ dense: [0, 0.1], out: [0.3, 0.3] }))).toEqual([]);
  });

  it('calls a gradient under a millionth of the largest vanishing, and one just above it not', () => {
    expect(statuses(epochs({ first: [1e-3, 9e-7], out: [1, 1] }))).toEqual([['first', 'vanishing']]);
    expect(statuses(epochs({ first: [1e-3, 1.1e-6], out: [1, 1] }))).toEqual([]);
    expect(layerWarnings(epochs({ first: [5e-8], out: [1] }))[0]!.message).toContain('5.0e-8');
  });

  it('calls a gradient more than 100 times its first epoch’s exploding, and 100 times not yet', () => {
    expect(statuses(epochs({ lstm: [0.01, 0.5, 1.01], out: [1, 1, 1] }))).toEqual([['lstm', 'exploding']]);
    expect(statuses(epochs({ lstm: [0.01, 0.5, 1.0], out: [1, 1, 1] }))).toEqual([]);
    // Growth is measured from the first epoch with a gradient: a layer that starts dead and wakes up is not exploding.
    expect(statuses(epochs({ lstm: [0, 0.001, 0.05], out: [1, 1, 1] }))).toEqual([]);
    expect(layerWarnings(epochs({ lstm: [0.01, 2], out: [1, 1] }))[0]!.message).toMatch(/grew 200× since epoch 1 \(0\.01 → 2\)/);
  });

  it('lays the norms out by epoch for a log chart, 0 left as a gap', () => {
    const h = epochs({ a: [0.5, 0], b: [2, 3] });
    expect(layerNames(h)).toEqual(['a', 'b']);
    expect(gradientRows(h)).toEqual([
      { epoch: 1, a: 0.5, b: 2 },
      { epoch: 2, a: null, b: 3 },
    ]);
    expect(normRange(h)).toEqual([0.5, 3]);
    expect(normRange(epochs({ a: [0, 0] }))).toBeNull();
  });

  it('prints figures with three digits, very small or large ones as powers of ten, whatever their sign', () => {
    expect([0.7412, -0.7412, 0, 2e-3, -2e-3, 12345].map(formatFigure)).toEqual(['0.741', '-0.741', '0', '2.0e-3', '-2.0e-3', '1.2e+4']);
  });

  it('gives a histogram bins of equal width from min to max', () => {
    const bins = histogramBins({ min: -1, max: 2, counts: [4, 0, 6] });
    expect(bins).toEqual([
      { at: -0.5, from: -1, to: 0, count: 4 },
      { at: 0.5, from: 0, to: 1, count: 0 },
      { at: 1.5, from: 1, to: 2, count: 6 },
    ]);
  });
});
