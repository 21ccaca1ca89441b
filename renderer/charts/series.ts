import { lttb } from '../../shared/charts/lttb.js';
import type { EpochRecord, MetricPoint } from '../../shared/api/contract.js';

export type XAxisMode = 'batch' | 'epoch';

export interface ChartOptions {
  axis: XAxisMode;
  /** EMA factor 0…0.99 for per-batch curves; 0 draws the raw values alone. */
  smoothing: number;
  logScale: boolean;
  /** Points drawn in all, across every series of the chart. */
  maxPoints: number;
}

export interface XY {
  x: number;
  y: number;
}

export interface Series {
  key: string;
  name: string;
  color: string;
  axis: 'loss' | 'acc';
  data: XY[];
  /** Raw values drawn thin behind their smoothed curve. */
  faint?: boolean;
  dashed?: boolean;
  /** Sparse points (one per epoch) drawn as dots. */
  dots?: boolean;
}

export interface RunData {
  points: readonly MetricPoint[];
  history: readonly EpochRecord[];
  batchesPerEpoch: number;
}

export const MAX_DRAWN_POINTS = 500;

export const COLORS = {
  loss: '#dc2626',
  lossRaw: '#f3a5a5',
  acc: '#1d4ed8',
  accRaw: '#9bb8f5',
  valLoss: '#b45309',
  valAcc: '#047857',
  dLoss: '#7c3aed',
  dLossRaw: '#c9b2f7',
  gLoss: '#0e7490',
  gLossRaw: '#9fd8e6',
};

/** Exponential moving average, bias-corrected as TensorBoard's is; nulls are skipped and kept. */
export function smooth(values: readonly (number | null)[], factor: number): (number | null)[] {
  let avg = 0;
  let seen = 0;
  return values.map((v) => {
    if (v === null) return null;
    avg = factor * avg + (1 - factor) * v;
    seen++;
    return factor === 0 ? v : avg / (1 - factor ** seen);
  });
}

/** Batches per epoch; saved runs do not say, so it is read off their steps and epochs. */
export function stepsPerEpoch(run: RunData): number {
  if (run.batchesPerEpoch > 0) return run.batchesPerEpoch;
  const lastStep = run.points[run.points.length - 1]?.step ?? 0;
  const epochs = run.history[run.history.length - 1]?.epoch ?? 0;
  return epochs > 0 && lastStep > 0 ? lastStep / epochs : 1;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function toXY(xs: readonly number[], ys: readonly (number | null | undefined)[], keep: readonly number[], logScale: boolean): XY[] {
  const out: XY[] = [];
  for (const i of keep) {
    const y = ys[i];
    if (y === null || y === undefined || !Number.isFinite(y) || (logScale && y <= 0)) continue;
    out.push({ x: xs[i]!, y });
  }
  return out;
}

type BatchMetric = 'loss' | 'acc' | 'dLoss' | 'gLoss';
type EpochMetric = 'loss' | 'acc' | 'valLoss' | 'valAcc' | 'dLoss' | 'gLoss';

const NAMES: Record<EpochMetric, string> = {
  loss: 'loss',
  acc: 'accuracy',
  valLoss: 'val loss',
  valAcc: 'val accuracy',
  dLoss: 'discriminator loss',
  gLoss: 'generator loss',
};

const has = (rows: readonly object[], field: string) => rows.some((r) => (r as Record<string, unknown>)[field] != null);

/** Which per-batch curves a run has: a GAN's two losses instead of their sum. */
function batchMetrics(points: readonly MetricPoint[]): BatchMetric[] {
  const gan = has(points, 'dLoss') || has(points, 'gLoss');
  return [...(gan ? (['dLoss', 'gLoss'] as const) : (['loss'] as const)), ...(has(points, 'acc') ? (['acc'] as const) : [])];
}

/**
 * The curves of one run: per batch (smoothed over faint raw values, validation as dots at
 * each epoch's end) or per epoch. Long runs are cut down with LTTB so peaks survive.
 */
export function runSeries(run: RunData, options: ChartOptions): Series[] {
  const { logScale } = options;
  const axisOf = (m: EpochMetric) => (m === 'acc' || m === 'valAcc' ? 'acc' : 'loss');
  if (options.axis === 'epoch') {
    const h = run.history;
    const gan = has(h, 'dLoss') || has(h, 'gLoss');
    const metrics: EpochMetric[] = [...(gan ? (['dLoss', 'gLoss'] as const) : (['loss'] as const)), 'valLoss', 'acc', 'valAcc'];
    const present = metrics.filter((m) => has(h, m));
    const keep = lttb(range(h.length), Math.max(3, Math.floor(options.maxPoints / Math.max(1, present.length))), (i) => h[i]!.epoch, (i) => h[i]!.loss);
    const xs = h.map((r) => r.epoch);
    return present.map((m) => ({
      key: m,
      name: NAMES[m],
      color: COLORS[m],
      axis: axisOf(m),
      data: toXY(xs, h.map((r) => r[m]), keep, logScale && axisOf(m) === 'loss'),
      dots: h.length <= 60,
      dashed: m === 'valLoss' || m === 'valAcc',
    }));
  }

  const p = run.points;
  const metrics = batchMetrics(p);
  const drawnPerPoint = metrics.length * (options.smoothing > 0 ? 2 : 1);
  // One choice of points for every curve, made on the raw loss: its spikes are what LTTB keeps.
  const keep = lttb(range(p.length), Math.max(3, Math.floor(options.maxPoints / Math.max(1, drawnPerPoint))), (i) => p[i]!.step, (i) => p[i]!.loss);
  const xs = p.map((q) => q.step);
  const series: Series[] = [];
  for (const m of metrics) {
    const raw = p.map((q) => q[m] ?? null);
    const color = COLORS[m];
    if (options.smoothing > 0) {
      series.push({ key: `${m}Raw`, name: `${NAMES[m]} (raw)`, color: COLORS[`${m}Raw`], axis: axisOf(m), data: toXY(xs, raw, keep, logScale && m !== 'acc'), faint: true });
    }
    series.push({ key: m, name: NAMES[m], color, axis: axisOf(m), data: toXY(xs, smooth(raw, options.smoothing), keep, logScale && m !== 'acc') });
  }
  const perEpoch = stepsPerEpoch(run);
  const ex = run.history.map((r) => r.epoch * perEpoch);
  const all = range(run.history.length);
  for (const m of ['valLoss', 'valAcc'] as const) {
    if (!has(run.history, m)) continue;
    series.push({ key: m, name: NAMES[m], color: COLORS[m], axis: axisOf(m), data: toXY(ex, run.history.map((r) => r[m]), all, logScale && m === 'valLoss'), dots: true, dashed: true });
  }
  return series;
}

export interface CompareRun {
  key: string;
  label: string;
  color: string;
  data: RunData;
}

/** Several runs' loss in one chart, one colour each: training solid, validation dashed. */
export function compareSeries(runs: readonly CompareRun[], options: ChartOptions): Series[] {
  const budget = Math.max(40, Math.floor(options.maxPoints / Math.max(1, runs.length)));
  const log = options.logScale;
  const out: Series[] = [];
  for (const run of runs) {
    const { points, history } = run.data;
    let train: XY[];
    let val: XY[];
    if (options.axis === 'epoch') {
      const keep = lttb(range(history.length), budget, (i) => history[i]!.epoch, (i) => history[i]!.loss);
      const xs = history.map((h) => h.epoch);
      train = toXY(xs, history.map((h) => h.loss), keep, log);
      val = toXY(xs, history.map((h) => h.valLoss), keep, log);
    } else {
      const smoothed = smooth(points.map((q) => q.loss), options.smoothing);
      const keep = lttb(range(points.length), budget, (i) => points[i]!.step, (i) => smoothed[i]!);
      train = toXY(points.map((q) => q.step), smoothed, keep, log);
      const perEpoch = stepsPerEpoch(run.data);
      val = toXY(history.map((h) => h.epoch * perEpoch), history.map((h) => h.valLoss), range(history.length), log);
    }
    out.push({ key: `${run.key}-loss`, name: run.label, color: run.color, axis: 'loss', data: train });
    if (val.length > 0) out.push({ key: `${run.key}-val`, name: `${run.label} (val)`, color: run.color, axis: 'loss', data: val, dashed: true, dots: true });
  }
  return out;
}

export type Row = Record<string, number>;

/** One row per x value, each series' value under its key: the shape recharts draws from. */
export function mergeRows(series: readonly Series[]): Row[] {
  const rows = new Map<number, Row>();
  for (const s of series) {
    for (const { x, y } of s.data) {
      let row = rows.get(x);
      if (!row) rows.set(x, (row = { x }));
      row[s.key] = y;
    }
  }
  return [...rows.values()].sort((a, b) => a.x! - b.x!);
}

function nearest(data: readonly XY[], x: number): XY | undefined {
  let lo = 0;
  let hi = data.length - 1;
  if (hi < 0) return undefined;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (data[mid]!.x < x) lo = mid + 1;
    else hi = mid;
  }
  const after = data[lo]!;
  const before = data[lo - 1];
  return before && x - before.x < after.x - x ? before : after;
}

export interface HoverValue {
  key: string;
  name: string;
  color: string;
  value: number;
}

/**
 * The value of every curve at the hovered x, each from its own nearest point, so runs
 * drawn with different points still all answer; epoch dots answer only on their epoch.
 */
export function valuesAt(series: readonly Series[], x: number): HoverValue[] {
  const out: HoverValue[] = [];
  for (const s of series) {
    if (s.faint || s.data.length === 0) continue;
    const first = s.data[0]!.x;
    const last = s.data[s.data.length - 1]!.x;
    const point = nearest(s.data, x);
    if (!point) continue;
    if (s.dots ? point.x !== x : x < first || x > last) continue;
    out.push({ key: s.key, name: s.name, color: s.color, value: point.y });
  }
  return out;
}
