import { describe, expect, it } from 'vitest';
import { lttb } from '../../../../shared/charts/lttb.js';

describe('lttb', () => {
  const series = Array.from({ length: 10_000 }, (_, i) => ({ x: i, y: Math.exp(-i / 2000) + (i === 5000 ? 3 : 0) }));

  it('keeps the requested number of points, the ends, and a lone spike', () => {
    const out = lttb(series, 400, (p) => p.x, (p) => p.y);
    expect(out).toHaveLength(400);
    expect(out[0]).toBe(series[0]);
    expect(out[out.length - 1]).toBe(series[series.length - 1]);
    expect(out.some((p) => p.x === 5000)).toBe(true);
  });

  it('returns short series whole', () => {
    expect(lttb(series.slice(0, 10), 400, (p) => p.x, (p) => p.y)).toHaveLength(10);
  });
});
