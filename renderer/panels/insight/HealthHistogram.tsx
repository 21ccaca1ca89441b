import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatFigure, histogramBins, type Bin } from './healthRules';
import type { Histogram } from '../../../shared/api/insight';

const TICK = { fontSize: 12, fill: 'var(--chart-axis)' };

interface Props {
  title: string;
  histogram: Histogram;
  /** The values' L2 norm, printed under the title. */
  norm: number;
  color: string;
  testId: string;
}

/** One layer's weights or gradients as bars of equal width from the smallest value to the largest. */
function HealthHistogramView({ title, histogram, norm, color, testId }: Props) {
  const bins = useMemo(() => histogramBins(histogram), [histogram]);
  const total = histogram.counts.reduce((a, b) => a + b, 0);
  return (
    <figure className="health-histogram" data-testid={testId} data-count={total}>
      <figcaption>
        <strong>{title}</strong>
        <span className="muted">
          {' '}
          {formatFigure(histogram.min)} … {formatFigure(histogram.max)}, norm {formatFigure(norm)}
        </span>
      </figcaption>
      {histogram.min === histogram.max ? (
        <div className="chart-empty">
          All {total} values are {formatFigure(histogram.min)}.
        </div>
      ) : (
        <div className="chart-plot">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={bins} margin={{ top: 4, right: 8, bottom: 0, left: 0 }} barCategoryGap={0}>
              <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
              <XAxis dataKey="at" tick={TICK} tickFormatter={(v: number) => formatFigure(v)} interval="preserveStartEnd" height={24} />
              <YAxis tick={TICK} width={48} allowDecimals={false} />
              <Tooltip
                isAnimationActive={false}
                labelFormatter={(_, payload) => {
                  const bin = payload[0]?.payload as Bin | undefined;
                  return bin ? `${formatFigure(bin.from)} … ${formatFigure(bin.to)}` : '';
                }}
              />
              <Bar dataKey="count" name="values" fill={color} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}

export const HealthHistogram = memo(HealthHistogramView);
