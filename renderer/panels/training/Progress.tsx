import { useShallow } from 'zustand/react/shallow';
import { activeMs, runProgress } from '../../stores/runs';
import { useCurrentRun } from '../../stores/trainingStore';

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/** Epoch, batch, speed and time left of the current run; paused time does not count. */
export function Progress() {
  const s = useCurrentRun(
    useShallow((run) => ({
      status: run?.status ?? 'idle',
      epochs: run?.epochs ?? 0,
      firstEpoch: run?.firstEpoch ?? 1,
      epoch: run?.epoch ?? 0,
      batch: run?.batch ?? 0,
      batchesPerEpoch: run?.batchesPerEpoch ?? 0,
      samplesPerSec: run?.samplesPerSec ?? 0,
      clock: run?.clock,
      started: run?.backend != null,
    })),
  );
  const last = useCurrentRun((run) => run?.history[run.history.length - 1]);
  const heldOut = useCurrentRun((run) => (run?.settings.validation as { kind?: string } | undefined)?.kind === 'split');
  const valName = heldOut ? 'val' : 'test';
  const { done, total } = runProgress(s);
  const fraction = total > 0 ? done / total : 0;
  // Time left at the pace so far: time spent training × (batches left ÷ batches done).
  const elapsedSec = s.clock ? activeMs(s.clock, Date.now()) / 1000 : 0;
  const remaining = done > 0 && total > 0 ? (elapsedSec * (total - done)) / done : NaN;
  const resumed = s.firstEpoch > 1 ? ` (continued from epoch ${s.firstEpoch - 1})` : '';
  const parts: string[] = [];
  if (s.status === 'starting' && !s.started) parts.push('Starting: loading data and compiling…');
  if (s.started && s.epoch > 0) {
    parts.push(`Epoch ${s.epoch}/${s.epochs}${resumed}`, `batch ${s.batch}/${s.batchesPerEpoch}`, `${Math.round(s.samplesPerSec).toLocaleString('en-US')} samples/s`);
    if (s.status === 'running') parts.push(`${formatDuration(remaining)} left`);
    if (s.status === 'paused') parts.push('paused');
  }
  if (last?.valAcc != null) parts.push(`${valName} accuracy ${(last.valAcc * 100).toFixed(1)}%`);
  else if (last?.valLoss != null) parts.push(`${valName} loss ${last.valLoss.toFixed(4)}`);
  if (!s.started && last && s.status !== 'starting') parts.unshift(`Epoch ${last.epoch}`);
  return (
    <>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)}>
        <div className={`progress-fill${s.status === 'paused' ? ' paused' : ''}`} style={{ width: `${fraction * 100}%` }} />
      </div>
      <div className="progress-text" data-testid="progress-text">
        {parts.join(' · ')}
      </div>
    </>
  );
}
