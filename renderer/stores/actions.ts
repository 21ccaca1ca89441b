import { currentProject, loadDocument, useGraphStore } from './graphStore';
import { useRunDraftStore } from './runDraftStore';
import { loadSavedRuns } from './trainingActions';
import { useTrainingStore } from './trainingStore';
import { useUiStore } from './uiStore';
import { api } from '../api';
import type { ApiEvent, TrainingEvent } from '../../shared/api/contract';
import { exportModel, type ExportFormat } from '../../shared/keras/export';
import type { Project } from '../../shared/project/schema';

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

/** A new project starts from its own training defaults, with the runs saved for it listed. */
function showProject(project: Project): void {
  loadDocument(project);
  useRunDraftStore.getState().reset();
  void loadSavedRuns(project.name);
}

export async function loadTemplate(id: string): Promise<void> {
  try {
    const { project } = await api.request('templates.load', { id });
    showProject(project);
  } catch (err) {
    useUiStore.getState().notify('error', errorText(err));
  }
}

export async function openProjectFile(file: File): Promise<void> {
  try {
    const { project, migratedFrom, importedFrom, warnings } = await api.request('project.open', { text: await file.text(), fileName: file.name });
    showProject(project);
    if (migratedFrom) useUiStore.getState().notify('info', `${file.name} was made with an older NetCanvas and has been updated in memory; save to keep the new format.`);
    if (importedFrom) {
      const source = importedFrom === 'tfjs' ? 'TensorFlow.js model' : importedFrom === 'keras3' ? 'Keras 3 model' : 'Keras model';
      const notes = warnings.length ? ` Note: ${warnings.join(' ')}` : '';
      useUiStore.getState().notify('info', `Imported ${file.name} (${source}, ${project.graph.nodes.length} layers). Save to keep it as a NetCanvas project.${notes}`);
    }
  } catch (err) {
    useUiStore.getState().notify('error', errorText(err));
  }
}

function download(text: string, fileName: string): void {
  const blob = new Blob([text], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(link.href);
}

function fileStem(name: string): string {
  return name.replace(/[^\w-]+/g, '-').toLowerCase() || 'network';
}

export function saveProjectFile(): void {
  const project = currentProject();
  download(`${JSON.stringify(project, null, 2)}\n`, `${fileStem(project.name)}.netcanvas.json`);
}

/** Writes the network as Keras JSON or a TensorFlow.js model.json; problems in the graph are reported instead. */
export function exportModelFile(format: ExportFormat): void {
  const state = useGraphStore.getState();
  const result = exportModel(state.graph, format, fileStem(state.meta.name).replace(/-/g, '_'));
  if (!result.ok) {
    useUiStore.getState().notify('error', result.error.message);
    return;
  }
  download(result.text, format === 'tfjs-json' ? 'model.json' : `${fileStem(state.meta.name)}.keras.json`);
}
