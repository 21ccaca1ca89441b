import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartLegend } from './ChartLegend';
import { ChartTooltip } from './ChartTooltip';
import { extent, logScale as logScaleOf, niceScale } from './scales';
import { mergeRows, type Series, type XAxisMode } from './series';

interface Props {
  series: readonly Series[];
  axis: XAxisMode;
  logScale: boolean;
  /** Which curves the legend names; by default all but the faint raw ones. */
  legendFor?: (s: Series) => boolean;
}

const TICK = { fontSize: 14, fill: 'var(--chart-axis)' };
const ACC = { domain: [0, 1] as [number, number], ticks: [0, 0.25, 0.5, 0.75, 1] };
const percent = (v: number) => `${Math.round(v * 100)}%`;
const lossTick = (v: number) => (v >= 0.01 || v === 0 ? String(Number(v.toFixed(2))) : v.toPrecision(1));
const count = (v: number) => (v >= 10_000 ? `${Number((v / 1000).toFixed(1))}k` : String(v));

/** Draws prepared, down-sampled series; it never sees a run's full list of points. */
function SeriesChartView({ series, axis, logScale, legendFor }: Props) {
  const rows = useMemo(() => mergeRows(series), [series]);
  const scales = useMemo(() => {
    const xs = extent(series, 'x') ?? [0, 1];
    const ys = extent(series, 'loss') ?? [0, 1];
    return { x: niceScale(xs[0], xs[1], 6, true), loss: logScale ? logScaleOf(ys[0], ys[1]) : niceScale(0, ys[1], 5) };
  }, [series, logScale]);
  const hasAcc = series.some((s) => s.axis === 'acc' && s.data.length > 0);
  const named = series.filter((s) => !s.faint && (!legendFor || legendFor(s)));
  return (
    <>
      <div className="chart-plot">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 8, right: hasAcc ? 4 : 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--chart-grid)" />
            <XAxis dataKey="x" type="number" domain={scales.x.domain} ticks={scales.x.ticks} interval={0} tick={TICK} tickFormatter={count} height={26} />
            <YAxis
              yAxisId="loss"
              scale={logScale ? 'log' : 'linear'}
              domain={scales.loss.domain}
              ticks={scales.loss.ticks}
              interval={0}
              allowDataOverflow
              tick={TICK}
              width={56}
              tickFormatter={lossTick}
            />
            {hasAcc && <YAxis yAxisId="acc" orientation="right" domain={ACC.domain} ticks={ACC.ticks} interval={0} tick={TICK} width={48} tickFormatter={percent} />}
            <Tooltip content={(props) => <ChartTooltip active={props.active} label={props.label} series={series} axis={axis} />} isAnimationActive={false} />
            {series.map((s) => (
              <Line
                key={s.key}
                className={s.faint ? 'series-raw' : 'series-line'}
                yAxisId={s.axis}
                dataKey={s.key}
                name={s.name}
                stroke={s.color}
                strokeWidth={s.faint ? 1 : 2.5}
                strokeDasharray={s.dashed ? '7 4' : undefined}
                dot={s.dots ? { r: 3.5, fill: s.color } : false}
                activeDot={s.faint ? false : { r: 5 }}
                isAnimationActive={false}
                connectNulls
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
        <span className="axis-name">{axis}</span>
      </div>
      <ChartLegend series={named} />
    </>
  );
}

export const SeriesChart = memo(SeriesChartView);
