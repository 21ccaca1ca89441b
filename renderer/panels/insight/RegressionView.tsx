import { useMemo } from 'react';
import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { figure } from './fairness';
import { regressionPlot, type RegressionPoint } from './regression';

const TICK = { fontSize: 13, fill: 'var(--chart-axis)' };

interface Props {
  points: readonly RegressionPoint[];
  targetName: string;
}

/** Predicted against actual with y = x as the line of perfect answers, and each answer's error against the actual value. */
export function RegressionView({ points, targetName }: Props) {
  const plot = useMemo(() => regressionPlot(points), [points]);
  const { scale, residualScale } = plot;
  const tooltip = <Tooltip isAnimationActive={false} formatter={(v, name) => [figure(Number(v)), String(name)]} cursor={{ strokeDasharray: '3 3' }} />;
  return (
    <section className="regression" data-testid="regression-view" data-points={points.length}>
      {Math.abs(plot.bias) > plot.meanAbsoluteError * 0.25 && (
        <p className="regression-summary" data-testid="regression-bias">
          On the whole it guesses {plot.bias > 0 ? 'high' : 'low'}, by {figure(Math.abs(plot.bias))} {targetName} on average.
        </p>
      )}
      <div className="regression-charts">
        <figure>
          <figcaption>Predicted against actual {targetName}</figcaption>
          <div className="regression-chart">
            <ResponsiveContainer width="100%" height="100%">
              <ScatterChart margin={{ top: 6, right: 12, bottom: 18, left: 0 }}>
                <CartesianGrid stroke="var(--chart-grid)" />
                <XAxis type="number" dataKey="actual" name={`actual ${targetName}`} domain={scale.domain} ticks={scale.ticks} tick={TICK} label={{ value: 'actual', position: 'insideBottom', offset: -10, fontSize: 13 }} />
                <YAxis type="number" dataKey="predicted" name={`predicted ${targetName}`} domain={scale.domain} ticks={scale.ticks} tick={TICK} width={56} />
                <ReferenceLine segment={[{ x: scale.domain[0], y: scale.domain[0] }, { x: scale.domain[1], y: scale.domain[1] }]} stroke="var(--text)" strokeDasharray="5 4" ifOverflow="hidden" />
                {tooltip}
                <Scatter data={points as RegressionPoint[]} fill="#2563eb" fillOpacity={0.55} isAnimationActive={false} />
              </ScatterChart>
            </ResponsiveContainer>
          </div>
        </figure>
        <figure>
          <figcaption>Error (predicted − actual) against actual</figcaption>
          <div className="regression-chart">
            <ResponsiveContainer width="100%" height="100%">
              <ScatterChart margin={{ top: 6, right: 12, bottom: 18, left: 0 }}>
                <CartesianGrid stroke="var(--chart-grid)" />
                <XAxis type="number" dataKey="actual" name={`actual ${targetName}`} domain={scale.domain} ticks={scale.ticks} tick={TICK} label={{ value: 'actual', position: 'insideBottom', offset: -10, fontSize: 13 }} />
                <YAxis type="number" dataKey="residual" name="error" domain={residualScale.domain} ticks={residualScale.ticks} tick={TICK} width={56} />
                <ReferenceLine y={0} stroke="var(--text)" strokeDasharray="5 4" />
                {tooltip}
                <Scatter data={plot.residuals} fill="#d97706" fillOpacity={0.6} isAnimationActive={false} />
              </ScatterChart>
            </ResponsiveContainer>
          </div>
        </figure>
      </div>
    </section>
  );
}
