import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { runColor } from '../../charts/useChartSeries';
import { exportBlocker, openExport } from '../../stores/exportActions';
import { labelRuns } from '../../stores/runLabels';
import { statusLabel, TRAINING_ELSEWHERE, type Run } from '../../stores/runs';
import { useGraphStore } from '../../stores/graphStore';
import { useRunDraftStore } from '../../stores/runDraftStore';
import { comparedOf, currentRunOf, docRunKeys, useTrainingStore } from '../../stores/trainingStore';

/** Saved runs whose weights a next run can start from: weights a file brought, and runs that trained. */
const STARTABLE = new Set(['imported', 'completed', 'stopped', 'early-stopped', 'interrupted']);

function outcome(run: Run): string {
  if (run.status === 'imported') return run.warning ?? 'Weights from a file';
  const last = run.history[run.history.length - 1];
  if (last?.valAcc != null) return `${(last.valAcc * 100).toFixed(1)}% val acc`;
  if (last?.valLoss != null) return `val loss ${last.valLoss.toFixed(3)}`;
  const point = run.points[run.points.length - 1];
  return point ? `loss ${point.loss.toFixed(3)}` : '';
}

/**
 * The open project's runs, this session's and the saved ones, newest first, each named by
 * what sets it apart; the ticked ones are drawn, together in one chart when there are several.
 */
export function RunsList() {
  const docId = useGraphStore((s) => s.docId);
  const runs = useTrainingStore(useShallow((s) => docRunKeys(s, docId).map((k) => s.runs[k]!)));
  const order = useTrainingStore((s) => s.order);
  const currentKey = useTrainingStore((s) => currentRunOf(s, docId)?.key);
  const compared = useTrainingStore(useShallow((s) => comparedOf(s, docId)));
  const note = useTrainingStore((s) => s.savedRunsNote);
  const { select, toggleCompared } = useTrainingStore.getState();
  const startFrom = useRunDraftStore((s) => s.startFrom);
  // Each row shows its name beside the label, so labels need not be told apart by name.
  const labels = useMemo(() => labelRuns(runs.map((r) => ({ key: r.key, settings: r.settings, name: `run ${r.number}` })), { unique: false }), [runs]);

  if (runs.length === 0) {
    return (
      <div className="runs-empty">
        <p>Runs appear here. Train twice with different settings, tick both, and their loss curves share one chart.</p>
        {note && <p className="muted small">{note}</p>}
      </div>
    );
  }
  return (
    <div className="runs">
      <ul className="runs-list" data-testid="runs-list">
        {[...runs].reverse().map((run) => {
          const label = labels.get(run.key)!;
          const name = `run ${run.number}`;
          const startable = run.runId !== null && STARTABLE.has(run.status) && run.checkpoints.last !== null;
          const exportable = exportBlocker(run) === null;
          return (
            <li key={run.key} className={`run-row${run.key === currentKey ? ' current' : ''}`} data-testid="run-row" data-run-label={label}>
              <input
                type="checkbox"
                aria-label={`Compare ${name}`}
                checked={compared.includes(run.key)}
                onChange={() => toggleCompared(run.key)}
              />
              <button className="run-name" onClick={() => select(run.key)} title={`${name}: ${label}${run.saved ? ` (saved run of ${run.projectName})` : ''}`}>
                <span className="swatch" style={{ background: runColor(order.indexOf(run.key)) }} />
                {name}
              </button>
              <span className={`run-status status-${run.status}`} title={run.status === 'elsewhere' ? TRAINING_ELSEWHERE : undefined}>
                {statusLabel(run.status)}
              </span>
              <span className="run-detail">
                {label !== name && <span className="run-diff">{label}</span>}
                <span className={run.status === 'imported' ? 'run-outcome' : 'run-outcome mono'}>{outcome(run)}</span>
              </span>
              {(startable || exportable) && (
                // Their own line under the row, so neither wraps in the narrow Runs column.
                <span className="run-actions">
                  {startable && (
                    <button
                      className="link-button start-from-button"
                      disabled={startFrom?.runId === run.runId && startFrom.projectName === run.projectName}
                      onClick={() =>
                        useRunDraftStore.getState().setStartFrom({
                          runId: run.runId!,
                          label: run.status === 'imported' ? (run.warning ?? name) : `run ${run.runId}`,
                          projectName: run.projectName,
                          projectPath: run.projectPath,
                        })
                      }
                      title="The next Train starts from this run's weights, in this project or another one opened after: a new run with a fresh optimizer"
                    >
                      {startFrom?.runId === run.runId && startFrom.projectName === run.projectName ? 'Next run starts here' : 'Start from these weights'}
                    </button>
                  )}
                  {exportable && (
                    <button className="link-button export-button" onClick={() => openExport(run.key)} title={`${name}'s network with its weights, for TensorFlow.js, PyTorch, ONNX or Keras`}>
                      Export…
                    </button>
                  )}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {compared.length === 1 && <p className="muted small">Tick more runs to overlay their curves.</p>}
      {note && <p className="muted small">{note}</p>}
    </div>
  );
}
