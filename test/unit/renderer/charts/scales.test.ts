import { describe, expect, it } from 'vitest';
import { extent, logScale, niceScale } from '../../../../renderer/charts/scales.js';

describe('axis scales', () => {
  it('spans the data with round ticks', () => {
    expect(niceScale(0, 2.31, 5)).toEqual({ domain: [0, 2.5], ticks: [0, 0.5, 1, 1.5, 2, 2.5] });
    expect(niceScale(1, 938, 6, true).ticks).toEqual([0, 200, 400, 600, 800, 1000]);
  });

  it('never steps by less than one on a count axis, and copes with a single value', () => {
    expect(niceScale(1, 3, 6, true).ticks).toEqual([1, 2, 3]);
    expect(niceScale(5, 5, 5, true).domain).toEqual([5, 6]);
  });

  it('puts log ticks on powers of ten, with 2 and 5 between over a short span', () => {
    const short = logScale(0.05, 2.3);
    expect(short.ticks).toEqual([0.05, 0.1, 0.2, 0.5, 1, 2]);
    expect(short.domain[0]).toBeLessThan(0.05);
    expect(short.domain[1]).toBeGreaterThan(2.3);
    expect(logScale(0.0004, 3).ticks).toEqual([0.001, 0.01, 0.1, 1]);
  });

  it('measures x, or y on one axis only', () => {
    const series = [
      { key: 'l', name: 'loss', color: 'red', axis: 'loss' as const, data: [{ x: 1, y: 2 }, { x: 5, y: 0.5 }] },
      { key: 'a', name: 'acc', color: 'blue', axis: 'acc' as const, data: [{ x: 9, y: 0.9 }] },
    ];
    expect(extent(series, 'x')).toEqual([1, 9]);
    expect(extent(series, 'loss')).toEqual([0.5, 2]);
    expect(extent([], 'acc')).toBeNull();
  });
});
