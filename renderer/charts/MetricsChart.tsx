import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { lttb } from './downsample';
import { useTrainingStore } from '../stores/trainingStore';

const MAX_POINTS = 400;

const SMOOTHING = 0.9;

interface Row {
  step: number;
  loss?: number;
  acc?: number | null;
  lossSmooth?: number;
  accSmooth?: number | null;
  valLoss?: number | null;
  valAcc?: number | null;
}

/** Loss and accuracy per batch, with validation per epoch; long runs are down-sampled. */
export function MetricsChart() {
  const points = useTrainingStore((s) => s.points);
  const history = useTrainingStore((s) => s.history);
  const batchesPerEpoch = useTrainingStore((s) => s.batchesPerEpoch);

  const rows = useMemo<Row[]>(() => {
    // Exponential moving average, bias-corrected like TensorBoard's, drawn over the raw curve.
    let lossAvg = 0;
    let accAvg = 0;
    const smoothed: Row[] = points.map((p, i) => {
      lossAvg = SMOOTHING * lossAvg + (1 - SMOOTHING) * p.loss;
      accAvg = SMOOTHING * accAvg + (1 - SMOOTHING) * (p.acc ?? 0);
      const correction = 1 - SMOOTHING ** (i + 1);
      return { step: p.step, loss: p.loss, acc: p.acc, lossSmooth: lossAvg / correction, accSmooth: p.acc === null ? null : accAvg / correction };
    });
    const sampled = lttb(smoothed, MAX_POINTS, (p) => p.step, (p) => p.lossSmooth!);
    const epochRows: Row[] = history.map((h) => ({ step: h.epoch * batchesPerEpoch, valLoss: h.valLoss, valAcc: h.valAcc }));
    return [...sampled, ...epochRows].sort((a, b) => a.step - b.step);
  }, [points, history, batchesPerEpoch]);

  if (points.length === 0) {
    return <div className="chart-empty">Press Train to watch the loss fall here.</div>;
  }
  return (
    <div className="chart" data-testid="metrics-chart" data-points={points.length}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#e5e7eb" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tick={{ fontSize: 12 }} label={{ value: 'batch', position: 'insideBottomRight', offset: -2, fontSize: 12 }} />
          <YAxis yAxisId="loss" tick={{ fontSize: 12 }} width={48} />
          <YAxis yAxisId="acc" orientation="right" domain={[0, 1]} tick={{ fontSize: 12 }} width={40} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} />
          <Legend wrapperStyle={{ fontSize: 13 }} />
          <Line yAxisId="loss" dataKey="loss" name="loss (raw)" stroke="#fca5a5" strokeWidth={1} dot={false} isAnimationActive={false} connectNulls legendType="none" />
          <Line yAxisId="acc" dataKey="acc" name="accuracy (raw)" stroke="#93c5fd" strokeWidth={1} dot={false} isAnimationActive={false} connectNulls legendType="none" />
          <Line yAxisId="loss" dataKey="lossSmooth" name="loss" stroke="#dc2626" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
          <Line yAxisId="acc" dataKey="accSmooth" name="accuracy" stroke="#2563eb" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
          <Line yAxisId="loss" dataKey="valLoss" name="val loss" stroke="#f59e0b" strokeWidth={2} isAnimationActive={false} connectNulls />
          <Line yAxisId="acc" dataKey="valAcc" name="val accuracy" stroke="#059669" strokeWidth={2} isAnimationActive={false} connectNulls />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
