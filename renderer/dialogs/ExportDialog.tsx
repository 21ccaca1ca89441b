import { useState } from 'react';
import { Dialog } from '../panels/Dialog';
import { exportRun, useExportStore } from '../stores/exportActions';
import { useProjectStore } from '../stores/projectStore';
import { useTrainingStore } from '../stores/trainingStore';
import { closeDialog } from '../stores/uiStore';
import type { CheckpointKind, ExportTargetName } from '../../shared/api/contract';

const TARGETS: readonly { id: ExportTargetName; label: string; detail: string }[] = [
  { id: 'tfjs', label: 'TensorFlow.js', detail: 'model.json and its weights, to run in a web page or in Node.' },
  { id: 'pytorch', label: 'PyTorch', detail: 'model.py, the weights, predict.py and train.py: predict, or train on GPUs with torchrun.' },
  { id: 'onnx', label: 'ONNX', detail: 'One model.onnx for ONNX Runtime in Python, JavaScript, C++ or C#.' },
  { id: 'keras', label: 'Keras', detail: 'The model’s JSON and its .h5 weights, with a script that loads them in Keras.' },
];

/** Export…: a finished run's network with its weights, as files another framework reads. */
export function ExportDialog() {
  const runKey = useExportStore((s) => s.runKey);
  const state = useExportStore((s) => s.state);
  const run = useTrainingStore((s) => (runKey ? s.runs[runKey] : undefined));
  const native = useProjectStore((s) => s.dialogs);
  const [target, setTarget] = useState<ExportTargetName>('pytorch');
  const [checkpoint, setCheckpoint] = useState<CheckpointKind>(run?.checkpoints.best != null ? 'best' : 'last');
  if (!run) return null;
  const { best, last } = run.checkpoints;
  const busy = state.kind === 'exporting';
  return (
    <Dialog title={`Export run ${run.number}`} onClose={closeDialog} className="export-dialog" testId="export-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void exportRun(target, checkpoint);
        }}
      >
        <fieldset className="export-choices">
          <legend>Export to</legend>
          {TARGETS.map((t) => (
            <label key={t.id} className="export-choice">
              <input type="radio" name="export-target" value={t.id} checked={target === t.id} onChange={() => setTarget(t.id)} data-autofocus={target === t.id ? true : undefined} />
              <span>
                <strong>{t.label}</strong>
                <span className="muted small">{t.detail}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <fieldset className="export-choices">
          <legend>Weights</legend>
          <label className="export-choice">
            <input type="radio" name="export-checkpoint" value="best" checked={checkpoint === 'best'} disabled={best === null} onChange={() => setCheckpoint('best')} />
            <span>{best === null ? 'Best epoch: this run kept none' : `Best epoch (epoch ${best}, where its loss was lowest)`}</span>
          </label>
          <label className="export-choice">
            <input type="radio" name="export-checkpoint" value="last" checked={checkpoint === 'last'} disabled={last === null} onChange={() => setCheckpoint('last')} />
            <span>{last ? `Last: where the run ended (epoch ${last})` : 'Last: where the run ended'}</span>
          </label>
        </fieldset>
        <p className="muted small">{native ? 'You choose the folder next.' : 'Written on the server, in the projects folder’s exports folder.'}</p>
        {state.kind === 'done' && (
          <div className="export-result" data-testid="export-result">
            <p>
              {native ? 'Exported to' : 'Written on the server in'} <span className="mono">{state.folder}</span>:
            </p>
            <ul className="mono small">
              {state.files.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          </div>
        )}
        {state.kind === 'failed' && (
          <p className="export-error" role="alert" data-testid="export-error">
            {state.message}
          </p>
        )}
        <div className="dialog-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Exporting…' : 'Export'}
          </button>
          <button type="button" onClick={closeDialog}>
            Close
          </button>
        </div>
      </form>
    </Dialog>
  );
}
