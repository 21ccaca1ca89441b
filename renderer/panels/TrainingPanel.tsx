import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { MetricsChart } from '../charts/MetricsChart';
import { startTraining, stopTraining } from '../stores/actions';
import { useGraphStore } from '../stores/graphStore';
import { useInference } from '../stores/inference';
import { isActive, useTrainingStore } from '../stores/trainingStore';

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

function NumberSetting(props: { label: string; value: number; min: number; onChange(v: number): void; testId: string }) {
  return (
    <label className="setting">
      {props.label}
      <input
        type="number"
        min={props.min}
        value={props.value}
        data-testid={props.testId}
        onChange={(e) => props.onChange(Math.max(props.min, Math.floor(Number(e.target.value) || props.min)))}
      />
    </label>
  );
}

function Progress() {
  const s = useTrainingStore(
    useShallow((state) => ({
      status: state.status,
      epochs: state.epochs,
      epoch: state.epoch,
      batch: state.batch,
      batchesPerEpoch: state.batchesPerEpoch,
      samplesPerSec: state.samplesPerSec,
      startedAt: state.startedAt,
    })),
  );
  const last = useTrainingStore((state) => state.history[state.history.length - 1]);
  const total = s.epochs * s.batchesPerEpoch;
  const done = (s.epoch - 1) * s.batchesPerEpoch + s.batch;
  const fraction = total > 0 && s.epoch > 0 ? Math.min(1, done / total) : 0;
  // Time left at the pace so far: elapsed × (batches left ÷ batches done).
  const elapsedSec = (Date.now() - (s.startedAt ?? Date.now())) / 1000;
  const remaining = done > 0 && total > 0 ? (elapsedSec * (total - done)) / done : NaN;
  return (
    <div className="progress-block">
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)}>
        <div className="progress-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
      <div className="progress-text" data-testid="progress-text">
        {s.status === 'starting' && 'Starting: loading data and compiling…'}
        {s.epoch > 0 && (
          <>
            Epoch {s.epoch}/{s.epochs} · batch {s.batch}/{s.batchesPerEpoch} · {Math.round(s.samplesPerSec).toLocaleString('en-US')} samples/s
            {isActive(s.status) && ` · ${formatDuration(remaining)} left`}
          </>
        )}
        {last?.valAcc != null && ` · test accuracy ${(last.valAcc * 100).toFixed(1)}%`}
      </div>
    </div>
  );
}

export function TrainingPanel() {
  const status = useTrainingStore((s) => s.status);
  const backend = useTrainingStore((s) => s.backend);
  const notes = useTrainingStore((s) => s.backendNotes);
  const error = useTrainingStore((s) => s.error);
  const defaults = useGraphStore((s) => s.meta.training);
  const hasNodes = useGraphStore((s) => s.nodes.length > 0);
  const problems = useInference().diagnostics.length;
  const [epochs, setEpochs] = useState(defaults.epochs);
  const [batchSize, setBatchSize] = useState(defaults.batchSize);
  useEffect(() => {
    setEpochs(defaults.epochs);
    setBatchSize(defaults.batchSize);
  }, [defaults]);
  const active = isActive(status);

  return (
    <section className="training" aria-label="Training">
      <div className="training-controls">
        <NumberSetting label="Epochs" value={epochs} min={1} onChange={setEpochs} testId="epochs" />
        <NumberSetting label="Batch size" value={batchSize} min={1} onChange={setBatchSize} testId="batch-size" />
        {active ? (
          <button className="primary stop" onClick={() => void stopTraining()} disabled={status === 'stopping'}>
            {status === 'stopping' ? 'Stopping…' : 'Stop'}
          </button>
        ) : (
          <button
            className="primary"
            onClick={() => void startTraining({ epochs, batchSize })}
            disabled={!hasNodes || problems > 0}
            title={problems > 0 ? 'Fix the problems shown on the canvas first' : 'Train on the dataset'}
          >
            Train
          </button>
        )}
        <span className={`status status-${status}`} data-testid="training-status">
          {status}
        </span>
        {backend && (
          <span className="backend" data-testid="backend" title={notes.length ? `Not used: ${notes.join('; ')}` : undefined}>
            backend: {backend}
            {notes.length > 0 && <small> ({notes.join('; ')})</small>}
          </span>
        )}
      </div>
      <Progress />
      {error && (
        <div className="training-error" role="alert" data-testid="training-error">
          {error}
        </div>
      )}
      <MetricsChart />
    </section>
  );
}
