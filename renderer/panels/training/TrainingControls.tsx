import { useShallow } from 'zustand/react/shallow';
import { useDataFit } from '../data/useDataFit';
import { useGan } from '../../stores/gan';
import { useGraphStore } from '../../stores/graphStore';
import { useInference } from '../../stores/inference';
import { startFromConfig, useRunDraftStore, type RunForm } from '../../stores/runDraftStore';
import { statusLabel, TRAINING_ELSEWHERE } from '../../stores/runs';
import { busyWithOther, trainBlocker } from '../../stores/trainBlocker';
import { continueRun, pauseTraining, resumeTraining, startTraining, stopTraining } from '../../stores/trainingActions';
import { activeRunKey, useCurrentRun, useTrainingStore } from '../../stores/trainingStore';

const CONTINUABLE = new Set(['completed', 'stopped', 'early-stopped', 'interrupted']);

/** Why Train cannot start yet, in a sentence, or null when it can. */
function useTrainBlocker(form: RunForm): string | null {
  const graph = useGraphStore((s) => s.graph);
  const docId = useGraphStore((s) => s.docId);
  const inference = useInference();
  const gan = useGan();
  const fit = useDataFit();
  const busyWith = useTrainingStore(() => busyWithOther(docId));
  return trainBlocker({ graph, inference, gan, fit, form, busyWith });
}

/** Train, Pause/Resume, Stop and Continue; the status of the run shown and its backend. */
export function TrainingControls({ form }: { form: RunForm }) {
  const docId = useGraphStore((s) => s.docId);
  const active = useTrainingStore(
    useShallow((s) => {
      const key = activeRunKey(s);
      const run = key ? s.runs[key] : undefined;
      return { status: run?.status ?? null, started: run?.backend != null, elsewhere: run && run.docId !== docId ? run.projectName : null };
    }),
  );
  const current = useCurrentRun(
    useShallow((run) => ({
      key: run?.key ?? null,
      status: run?.status ?? ('idle' as const),
      // A failed run goes on from its last checkpoint, when it lived to write one.
      continuable: !!run?.runId && ((CONTINUABLE.has(run.status) && (run.checkpoints.last !== null || run.history.length > 0)) || (run.status === 'failed' && run.checkpoints.last !== null)),
      best: run?.checkpoints.best ?? null,
      last: run ? (run.checkpoints.last ?? run.history[run.history.length - 1]?.epoch ?? null) : null,
      projectName: run?.projectName,
      backend: run?.backend ?? null,
      notes: run?.backendNotes,
      device: run?.backendDevice ?? null,
      threads: run?.backendThreads ?? null,
    })),
  );
  const projectName = useGraphStore((s) => s.meta.name);
  const blocker = useTrainBlocker(form);
  const startFrom = useRunDraftStore((s) => s.startFrom);
  const config = form.built.ok ? form.built.config : null;
  const canContinue = current.continuable && current.projectName === projectName && config !== null && blocker === null;
  const more = `${config?.epochs ?? 1} more epoch${config?.epochs === 1 ? '' : 's'}`;

  return (
    <>
      <div className="training-controls">
        {active.status ? (
          <>
            {active.status === 'paused' ? (
              <button className="primary" onClick={() => void resumeTraining()}>
                Resume
              </button>
            ) : (
              <button className="primary pause" onClick={() => void pauseTraining()} disabled={!active.started || active.status === 'stopping'} title="Hold the run after this batch">
                Pause
              </button>
            )}
            <button className="primary stop" onClick={() => void stopTraining()} disabled={active.status === 'stopping'}>
              {active.status === 'stopping' ? 'Stopping…' : 'Stop'}
            </button>
          </>
        ) : (
          <>
            <button className="primary" onClick={() => config && void startTraining(startFrom ? { ...config, startFrom: startFromConfig(startFrom) } : config)} disabled={blocker !== null || !config} title={blocker ?? 'Train on the dataset'}>
              Train
            </button>
            {canContinue && (
              <button onClick={() => void continueRun(current.key!, 'last', config!)} title={`Train ${more} from where this run ended${current.last ? ` (epoch ${current.last})` : ''}`}>
                Continue
              </button>
            )}
            {canContinue && current.best !== null && (
              <button onClick={() => void continueRun(current.key!, 'best', config!)} title={`Train ${more} from its best epoch (${current.best})`}>
                Continue from best
              </button>
            )}
          </>
        )}
        <span className={`status status-${current.status}`} data-testid="training-status" title={current.status === 'elsewhere' ? TRAINING_ELSEWHERE : undefined}>
          {statusLabel(current.status)}
        </span>
        {blocker && !active.status && (
          <span className="blocker" data-testid="train-blocker">
            {blocker}
          </span>
        )}
        {active.elsewhere && <span className="blocker">Training “{active.elsewhere}”, another project, in the background.</span>}
      </div>
      {current.backend && (
        <div className="backend" data-testid="backend" title={current.notes?.length ? `Not used: ${current.notes.join('; ')}` : undefined}>
          backend: {current.backend}
          {current.device && <> on {current.device}</>}
          {current.threads !== null && <>, {current.threads} {current.threads === 1 ? 'thread' : 'threads'}</>}
          {current.notes && current.notes.length > 0 && <small> (not used: {current.notes.join('; ')})</small>}
        </div>
      )}
    </>
  );
}
