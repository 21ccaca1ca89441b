import { currentProject, useGraphStore } from './graphStore';
import { currentFile } from './projectStore';
import { effectiveSettings } from './runLabels';
import { activeRunKey, useTrainingStore } from './trainingStore';
import { errorText, notifyError, useUiStore } from './uiStore';
import { api } from '../api';
import type { CheckpointKind, RunConfig } from '../../shared/api/contract';

/** Starts a run of the project as it is on the canvas; `continues` names the run it goes on from. */
export async function startTraining(config: RunConfig, continues?: string): Promise<void> {
  // A run started is a run to watch: its chart comes forward.
  useUiStore.getState().showView('training');
  const project = currentProject();
  const projectPath = currentFile()?.path ?? null;
  const settings = { ...effectiveSettings(project.training, config, project.name), ...(continues ? { continues } : {}) };
  const key = useTrainingStore.getState().begin({
    projectName: project.name,
    docId: useGraphStore.getState().docId,
    projectPath,
    settings,
    task: project.training.task,
    epochs: config.epochs ?? project.training.epochs,
  });
  try {
    // A project with a file keeps its runs beside it.
    const { runId } = await api.request('training.start', { project, config, ...(projectPath ? { projectPath } : {}) });
    useTrainingStore.getState().attach(key, runId);
    // Stop was pressed before the Backend answered: pass it on now.
    if (useTrainingStore.getState().runs[key]?.status === 'stopping') await api.request('training.stop', { runId });
  } catch (err) {
    useTrainingStore.getState().fail(key, errorText(err));
  }
}

function activeRun(): { key: string; runId: string | null } | null {
  const state = useTrainingStore.getState();
  const key = activeRunKey(state);
  return key ? { key, runId: state.runs[key]?.runId ?? null } : null;
}

export async function stopTraining(): Promise<void> {
  const run = activeRun();
  if (!run) return;
  useTrainingStore.getState().requestStop(run.key);
  if (run.runId) await api.request('training.stop', { runId: run.runId }).catch(notifyError);
}

/** Pause holds the run after its current batch; resume lets it go on. */
async function holdRun(pause: boolean): Promise<void> {
  const run = activeRun();
  if (!run?.runId) return;
  const { runId } = run;
  try {
    const changed = pause ? (await api.request('training.pause', { runId })).paused : (await api.request('training.resume', { runId })).resumed;
    if (changed) useTrainingStore.getState().setPaused(run.key, pause);
  } catch (err) {
    notifyError(err);
  }
}

export const pauseTraining = (): Promise<void> => holdRun(true);
export const resumeTraining = (): Promise<void> => holdRun(false);

/** Asks a running or paused run for fresh samples, at a new temperature for text. */
export async function requestSamples(key: string, temperature?: number): Promise<void> {
  const runId = useTrainingStore.getState().runs[key]?.runId;
  if (!runId) return;
  await api.request('training.samples', { runId, ...(temperature === undefined ? {} : { temperature }) }).catch(notifyError);
}

/** Goes on from a finished run's checkpoint for as many more epochs as the settings say. */
export async function continueRun(key: string, checkpoint: CheckpointKind, config: RunConfig): Promise<void> {
  const run = useTrainingStore.getState().runs[key];
  if (!run?.runId) return;
  await startTraining({ ...config, resumeFrom: { runId: run.runId, checkpoint } }, `run ${run.number}${checkpoint === 'best' ? ' (best)' : ''}`);
}

/** The runs saved for a document's project by earlier sessions, to compare with or go on from. */
export async function loadSavedRuns(docId: string, projectName: string, projectPath: string | null): Promise<void> {
  try {
    const runs = await api.request('runs.list', { projectName, ...(projectPath ? { projectPath } : {}) });
    useTrainingStore.getState().addSaved(runs, { docId, projectPath });
    useTrainingStore.getState().setSavedRunsNote(null);
  } catch (err) {
    useTrainingStore.getState().setSavedRunsNote(`Runs saved earlier could not be listed: ${errorText(err)}`);
  }
}
