import { ChartToolbar } from './ChartToolbar';
import { SeriesChart } from './SeriesChart';
import { useChartOptions, useCompareSeries, useRunSeries } from './useChartSeries';
import type { Series } from './series';
import { useGraphStore } from '../stores/graphStore';
import { comparedOf, useTrainingStore } from '../stores/trainingStore';

const trainOnly = (s: Series) => !s.key.endsWith('-val');

/** The ticked runs, overlaid when there are several, one colour each; solid is training loss, dashed validation. */
function CompareChart() {
  const options = useChartOptions();
  const { series, title, runCount, pointCount } = useCompareSeries(options);
  return (
    <div className="chart-block">
      <ChartToolbar caption={`Comparing ${title} · dashed: validation`} />
      <div className="chart" data-testid="metrics-chart" data-mode="compare" data-runs={runCount} data-points={pointCount}>
        <SeriesChart series={series} axis={options.axis} logScale={options.logScale} legendFor={trainOnly} />
      </div>
    </div>
  );
}

/** Loss and metrics of the current run, per batch or per epoch; long runs are down-sampled. */
function RunChart() {
  const options = useChartOptions();
  const data = useRunSeries(options);
  return (
    <div className="chart-block">
      <ChartToolbar />
      {data ? (
        <div className="chart" data-testid="metrics-chart" data-mode="run" data-points={data.pointCount}>
          <SeriesChart series={data.series} axis={options.axis} logScale={options.logScale} />
        </div>
      ) : (
        <div className="chart-empty">Press Train to watch the loss fall here.</div>
      )}
    </div>
  );
}

/** One ticked run or several: their curves; none ticked: the current run's. */
export function MetricsChart() {
  const docId = useGraphStore((s) => s.docId);
  const comparing = useTrainingStore((s) => comparedOf(s, docId).length >= 1);
  return comparing ? <CompareChart /> : <RunChart />;
}
