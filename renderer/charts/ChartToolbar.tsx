import { useChartStore } from '../stores/chartStore';

/** Per batch or per epoch, log scale for loss, and how much the per-batch curves are smoothed. */
export function ChartToolbar({ caption }: { caption?: string }) {
  const axis = useChartStore((s) => s.axis);
  const logScale = useChartStore((s) => s.logScale);
  const smoothing = useChartStore((s) => s.smoothing);
  const { setAxis, setLogScale, setSmoothing } = useChartStore.getState();
  return (
    <div className="chart-toolbar">
      <div className="segmented" role="group" aria-label="Chart x axis">
        <button aria-pressed={axis === 'batch'} onClick={() => setAxis('batch')}>
          Per batch
        </button>
        <button aria-pressed={axis === 'epoch'} onClick={() => setAxis('epoch')}>
          Per epoch
        </button>
      </div>
      <label className="chart-option">
        <input type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} data-testid="log-scale" />
        Log scale
      </label>
      <label className="chart-option" title="Averages out batch-to-batch noise; the raw values stay faint behind">
        Smoothing
        <input type="range" min={0} max={0.99} step={0.01} value={smoothing} disabled={axis === 'epoch'} onChange={(e) => setSmoothing(Number(e.target.value))} data-testid="smoothing" />
        <span className="mono">{smoothing.toFixed(2)}</span>
      </label>
      {caption && <span className="chart-caption">{caption}</span>}
    </div>
  );
}
