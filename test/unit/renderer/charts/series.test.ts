import { describe, expect, it } from 'vitest';
import type { EpochRecord, MetricPoint } from '../../../../shared/api/contract.js';
import { compareSeries, mergeRows, runSeries, smooth, valuesAt, type ChartOptions } from '../../../../renderer/charts/series.js';

const options: ChartOptions = { axis: 'batch', smoothing: 0.9, logScale: false, maxPoints: 500 };
const points = (n: number, extra: (i: number) => Partial<MetricPoint> = () => ({})): MetricPoint[] =>
  Array.from({ length: n }, (_, i) => ({ step: i + 1, loss: 2 * Math.exp(-i / 1000) + (i === 7000 ? 5 : 0), acc: i / n, ...extra(i) }));
const history: EpochRecord[] = [
  { epoch: 1, loss: 1, acc: 0.7, valLoss: 0.9, valAcc: 0.75 },
  { epoch: 2, loss: 0.5, acc: 0.8, valLoss: 0.6, valAcc: 0.82 },
];
const byKey = (series: ReturnType<typeof runSeries>) => new Map(series.map((s) => [s.key, s]));

describe('chart series', () => {
  it('smooths with a bias-corrected moving average, skipping gaps', () => {
    expect(smooth([1, 1, 1], 0.9)).toEqual([1, 1, 1].map(() => expect.closeTo(1, 10)));
    expect(smooth([2, null, 4], 0)).toEqual([2, null, 4]);
  });

  it('caps a long run at the drawn-points budget and keeps its spike', () => {
    const series = runSeries({ points: points(20_000), history, batchesPerEpoch: 10_000 }, options);
    const drawn = series.filter((s) => !s.dots).reduce((n, s) => n + s.data.length, 0);
    expect(drawn).toBeLessThanOrEqual(500);
    expect(byKey(series).get('lossRaw')!.data.some((p) => p.x === 7001)).toBe(true);
    // Validation sits at the end of each epoch.
    expect(byKey(series).get('valLoss')!.data).toEqual([{ x: 10_000, y: 0.9 }, { x: 20_000, y: 0.6 }]);
  });

  it('draws raw values alone when smoothing is off', () => {
    const keys = runSeries({ points: points(50), history: [], batchesPerEpoch: 50 }, { ...options, smoothing: 0 }).map((s) => s.key);
    expect(keys).toEqual(['loss', 'acc']);
  });

  it("draws a GAN's generator and discriminator losses instead of their sum", () => {
    const gan = points(100, (i) => ({ acc: null, dLoss: 0.7, gLoss: 1 + i / 100 }));
    const keys = runSeries({ points: gan, history: [], batchesPerEpoch: 100 }, options).map((s) => s.key);
    expect(keys).toEqual(['dLossRaw', 'dLoss', 'gLossRaw', 'gLoss']);
  });

  it('per epoch, draws the history; log scale drops values it cannot place', () => {
    const withZero = [...history, { epoch: 3, loss: 0, acc: 0.9, valLoss: 0.5, valAcc: 0.9 }];
    const series = byKey(runSeries({ points: [], history: withZero, batchesPerEpoch: 0 }, { ...options, axis: 'epoch', logScale: true }));
    expect(series.get('loss')!.data.map((p) => p.x)).toEqual([1, 2]);
    expect(series.get('valAcc')!.data.map((p) => p.x)).toEqual([1, 2, 3]);
  });

  it('overlays runs within one budget, each in its own colour, and every curve answers a hover', () => {
    const runs = [
      { key: 'a', label: 'lr 0.01', color: 'red', data: { points: points(3000), history, batchesPerEpoch: 1500 } },
      { key: 'b', label: 'lr 0.001', color: 'blue', data: { points: points(1000), history: [], batchesPerEpoch: 1000 } },
    ];
    const series = compareSeries(runs, options);
    expect(series.map((s) => [s.name, s.color])).toEqual([
      ['lr 0.01', 'red'],
      ['lr 0.01 (val)', 'red'],
      ['lr 0.001', 'blue'],
    ]);
    expect(series.filter((s) => !s.dots).reduce((n, s) => n + s.data.length, 0)).toBeLessThanOrEqual(500);
    const rows = mergeRows(series);
    expect(rows.map((r) => r.x)).toEqual([...rows.map((r) => r.x!)].sort((x, y) => x - y));
    const hovered = valuesAt(series, rows[10]!.x!);
    expect(hovered.map((v) => v.name)).toEqual(['lr 0.01', 'lr 0.001']);
    expect(valuesAt(series, 1500).map((v) => v.name)).toContain('lr 0.01 (val)');
  });
});
