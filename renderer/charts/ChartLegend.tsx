import type { Series } from './series';

/** The named curves, in HTML beside the chart: large print, and no measuring inside the SVG. */
export function ChartLegend({ series }: { series: readonly Series[] }) {
  return (
    <ul className="chart-legend" data-testid="chart-legend">
      {series.map((s) => (
        <li key={s.key}>
          <svg width="26" height="10" aria-hidden="true">
            <line x1="1" y1="5" x2="25" y2="5" stroke={s.color} strokeWidth="3" strokeDasharray={s.dashed ? '6 3' : undefined} />
          </svg>
          {s.name}
        </li>
      ))}
    </ul>
  );
}
