import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { compareSeries, MAX_DRAWN_POINTS, runSeries, type ChartOptions, type Series } from './series';
import { useThrottled } from './useThrottled';
import { useChartStore } from '../stores/chartStore';
import { compareTitle, labelRuns } from '../stores/runLabels';
import { useGraphStore } from '../stores/graphStore';
import { comparedOf, isActive, useCurrentRun, useTrainingStore } from '../stores/trainingStore';

/** How often a streaming run's chart is redrawn at most. */
const REDRAW_MS = 200;

/** One colour per run, kept for the session: a run looks the same in the list and every chart. */
export const RUN_COLORS = ['#1d4ed8', '#dc2626', '#059669', '#ea580c', '#7c3aed', '#db2777', '#0891b2', '#854d0e'];

export function runColor(index: number): string {
  return RUN_COLORS[((index % RUN_COLORS.length) + RUN_COLORS.length) % RUN_COLORS.length]!;
}

export function useChartOptions(): ChartOptions {
  const { axis, logScale, smoothing } = useChartStore(useShallow((s) => ({ axis: s.axis, logScale: s.logScale, smoothing: s.smoothing })));
  return useMemo(() => ({ axis, logScale, smoothing, maxPoints: MAX_DRAWN_POINTS }), [axis, logScale, smoothing]);
}

/** The current run's curves, rebuilt only when its points or history change. */
export function useRunSeries(options: ChartOptions): { series: Series[]; pointCount: number } | null {
  const run = useCurrentRun(useShallow((r) => ({ points: r?.points, history: r?.history, batchesPerEpoch: r?.batchesPerEpoch ?? 0 })));
  const live = useCurrentRun((r) => !!r && isActive(r.status));
  const key = useCurrentRun((r) => r?.key ?? '');
  const { points, history, batchesPerEpoch } = useThrottled(run, REDRAW_MS, live, key);
  return useMemo(() => {
    if (!points || !history || (points.length === 0 && history.length === 0)) return null;
    return { series: runSeries({ points, history, batchesPerEpoch }, options), pointCount: points.length };
  }, [points, history, batchesPerEpoch, options]);
}

/** The ticked runs' loss curves, each labelled by what sets its settings apart. */
export function useCompareSeries(options: ChartOptions): { series: Series[]; title: string; runCount: number; pointCount: number } {
  const docId = useGraphStore((s) => s.docId);
  const compared = useTrainingStore(useShallow((s) => comparedOf(s, docId).map((k) => s.runs[k]!)));
  const runs = useThrottled(compared, REDRAW_MS, compared.some((r) => isActive(r.status)), compared.map((r) => r.key).join(' '));
  const order = useTrainingStore((s) => s.order);
  return useMemo(() => {
    const labels = labelRuns(runs.map((r) => ({ key: r.key, settings: r.settings, name: `run ${r.number}` })));
    const inputs = runs.map((r) => ({ key: r.key, label: labels.get(r.key)!, color: runColor(order.indexOf(r.key)), data: r }));
    return {
      series: compareSeries(inputs, options),
      title: compareTitle(inputs.map((i) => i.label)),
      runCount: runs.length,
      pointCount: runs.reduce((n, r) => n + r.points.length, 0),
    };
  }, [runs, order, options]);
}
