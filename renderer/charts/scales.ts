import type { Series } from './series.js';

export interface Scale {
  domain: [number, number];
  ticks: number[];
}

/**
 * Round ticks (1, 2 or 5 × a power of ten apart) and a domain ending on them. Given to the
 * axes, they spare recharts measuring fresh tick labels on every redraw.
 */
export function niceScale(min: number, max: number, count = 5, integer = false): Scale {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { domain: [0, 1], ticks: [0, 1] };
  if (max <= min) max = min + (integer ? 1 : Math.abs(min) || 1);
  const rough = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  let step = [1, 2, 5, 10].map((m) => m * power).find((st) => st >= rough) ?? 10 * power;
  if (integer) step = Math.max(1, Math.round(step));
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; lo + i * step <= hi + step * 1e-9; i++) ticks.push(Number((lo + i * step).toPrecision(12)));
  return { domain: [ticks[0]!, ticks[ticks.length - 1]!], ticks };
}

/** A log scale a little wider than the data, ticked at powers of ten, or at 1, 2 and 5 × them when it spans little. */
export function logScale(min: number, max: number): Scale {
  const lo = (min > 0 ? min : 1e-3) / 1.15;
  const hi = Math.max(lo * 10, (max > 0 ? max : 1) * 1.15);
  const ticksAt = (steps: readonly number[]) => {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of steps) out.push(Number((m * 10 ** e).toPrecision(12)));
    }
    return out.filter((t) => t >= lo && t <= hi);
  };
  const powers = ticksAt([1]);
  return { domain: [lo, hi], ticks: powers.length >= 3 ? powers : ticksAt([1, 2, 5]) };
}

/** The extent of x, or of y on one axis, over the series drawn. */
export function extent(series: readonly Series[], of: 'x' | Series['axis']): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    if (of !== 'x' && s.axis !== of) continue;
    for (const point of s.data) {
      const v = of === 'x' ? point.x : point.y;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}
