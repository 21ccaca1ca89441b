import { toProject, useGraphStore } from './graphStore';
import { useTrainingStore } from './trainingStore';
import { useUiStore } from './uiStore';
import { api } from '../api';
import type { ApiEvent, RunConfig, TrainingEvent } from '../../shared/api/contract';

/** Training events arrive in bursts; hand them to the store once per animation frame. */
let queued: TrainingEvent[] = [];
let frame: number | null = null;
api.onEvent((event: ApiEvent) => {
  if (event.topic !== 'training') return;
  queued.push(event.event);
  frame ??= requestAnimationFrame(() => {
    const events = queued;
    queued = [];
    frame = null;
    useTrainingStore.getState().applyEvents(events);
  });
});

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function loadTemplate(id: string): Promise<void> {
  try {
    const { project } = await api.request('templates.load', { id });
    useGraphStore.getState().loadProject(project);
  } catch (err) {
    useUiStore.getState().notify('error', errorText(err));
  }
}

export async function openProjectFile(file: File): Promise<void> {
  try {
    const { project, migratedFrom } = await api.request('project.open', { text: await file.text(), fileName: file.name });
    useGraphStore.getState().loadProject(project);
    if (migratedFrom) useUiStore.getState().notify('info', `${file.name} was made with an older NetCanvas and has been updated in memory; save to keep the new format.`);
  } catch (err) {
    useUiStore.getState().notify('error', errorText(err));
  }
}

export function saveProjectFile(): void {
  const project = toProject(useGraphStore.getState());
  const blob = new Blob([`${JSON.stringify(project, null, 2)}\n`], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `${project.name.replace(/[^\w-]+/g, '-').toLowerCase() || 'network'}.netcanvas.json`;
  link.click();
  URL.revokeObjectURL(link.href);
}

export async function startTraining(config: Omit<RunConfig, 'backend'>): Promise<void> {
  const training = useTrainingStore.getState();
  training.begin(config.epochs ?? useGraphStore.getState().meta.training.epochs);
  try {
    const { runId } = await api.request('training.start', { project: toProject(useGraphStore.getState()), config });
    useTrainingStore.getState().attach(runId);
    // Stop was pressed before the Backend answered: pass it on now.
    if (useTrainingStore.getState().status === 'stopping') await api.request('training.stop', { runId });
  } catch (err) {
    useTrainingStore.getState().fail(errorText(err));
  }
}

export async function stopTraining(): Promise<void> {
  const { runId, requestStop } = useTrainingStore.getState();
  requestStop();
  if (runId) await api.request('training.stop', { runId }).catch((err: unknown) => useUiStore.getState().notify('error', errorText(err)));
}
