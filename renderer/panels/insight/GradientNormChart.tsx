import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatFigure, gradientRows, layerColor, layerNames, normRange } from './healthRules';
import { ChartLegend } from '../../charts/ChartLegend';
import { logScale } from '../../charts/scales';
import type { HealthEpoch } from '../../../shared/api/insight';

const TICK = { fontSize: 13, fill: 'var(--chart-axis)' };

/** Each layer's gradient norm, epoch by epoch, on a log scale; a norm of 0 leaves a gap. */
function GradientNormChartView({ epochs }: { epochs: readonly HealthEpoch[] }) {
  const rows = useMemo(() => gradientRows(epochs), [epochs]);
  const names = useMemo(() => layerNames(epochs), [epochs]);
  const scale = useMemo(() => {
    const range = normRange(epochs);
    return range ? logScale(range[0], range[1]) : null;
  }, [epochs]);
  const legend = names.map((name, i) => ({ key: name, name, color: layerColor(i), axis: 'loss' as const, data: [] }));
  if (!scale) return <div className="chart-empty health-chart">Every gradient was 0: no layer learned on the measured batch.</div>;
  return (
    <div className="health-chart" data-testid="gradient-norms">
      <div className="chart-plot">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--chart-grid)" />
            <XAxis dataKey="epoch" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={TICK} height={26} />
            <YAxis scale="log" domain={scale.domain} ticks={scale.ticks} interval={0} allowDataOverflow tick={TICK} width={64} tickFormatter={formatFigure} />
            <Tooltip isAnimationActive={false} formatter={(v) => (typeof v === 'number' ? formatFigure(v) : String(v))} labelFormatter={(e) => `epoch ${String(e)}`} />
            {names.map((name, i) => (
              <Line key={name} dataKey={name} name={name} stroke={layerColor(i)} strokeWidth={2} dot={{ r: 3, fill: layerColor(i) }} isAnimationActive={false} connectNulls={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
        <span className="axis-name">epoch</span>
      </div>
      <ChartLegend series={legend} />
    </div>
  );
}

export const GradientNormChart = memo(GradientNormChartView);
