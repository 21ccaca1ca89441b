import { valuesAt, type Series, type XAxisMode } from './series';

interface Props {
  active?: boolean;
  label?: unknown;
  series: readonly Series[];
  axis: XAxisMode;
}

function format(value: number, axis: Series['axis'] | undefined): string {
  if (axis === 'acc') return `${(value * 100).toFixed(1)}%`;
  return Math.abs(value) >= 0.01 ? value.toFixed(4) : value.toPrecision(3);
}

/** Every curve's value at the hovered batch or epoch, each read from its own points. */
export function ChartTooltip({ active, label, series, axis }: Props) {
  const x = typeof label === 'number' ? label : Number(label);
  if (!active || !Number.isFinite(x)) return null;
  const values = valuesAt(series, x);
  if (values.length === 0) return null;
  const axisOf = new Map(series.map((s) => [s.key, s.axis]));
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-title">
        {axis === 'batch' ? 'batch' : 'epoch'} {Math.round(x).toLocaleString('en-US')}
      </div>
      {values.map((v) => (
        <div key={v.key} className="chart-tooltip-row">
          <span className="swatch" style={{ background: v.color }} />
          <span>{v.name}</span>
          <span className="mono">{format(v.value, axisOf.get(v.key))}</span>
        </div>
      ))}
    </div>
  );
}
