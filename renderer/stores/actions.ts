import { useGraphStore } from './graphStore';
import { useTrainingStore } from './trainingStore';
import { clearError, notifyError } from './uiStore';
import { api } from '../api';
import type { TrainingEvent, WindowEvent } from '../../shared/api/contract';
import { exportModel, type ExportFormat } from '../../shared/keras/export';

/** Training events arrive in bursts; hand them to the store once per animation frame. */
let queued: TrainingEvent[] = [];
let frame: number | null = null;
api.onEvent((event: WindowEvent) => {
  if (event.topic !== 'training') return;
  queued.push(event.event);
  frame ??= requestAnimationFrame(() => {
    const events = queued;
    queued = [];
    frame = null;
    useTrainingStore.getState().applyEvents(events);
  });
});

/** Hands a file to the browser's downloads. */
export function download(text: string, fileName: string): void {
  const blob = new Blob([text], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(link.href);
}

export function fileStem(name: string): string {
  return name.replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'network';
}

/** Writes the network as Keras JSON or a TensorFlow.js model.json; problems in the graph are reported instead. */
export function exportModelFile(format: ExportFormat): void {
  const state = useGraphStore.getState();
  const result = exportModel(state.graph, format, fileStem(state.meta.name).replace(/-/g, '_'));
  if (!result.ok) {
    notifyError(result.error.message);
    return;
  }
  clearError();
  download(result.text, format === 'tfjs-json' ? 'model.json' : `${fileStem(state.meta.name)}.keras.json`);
}

/** An edit that works is a later action that worked too: it takes down an earlier error's banner. */
export function installErrorClearing(): () => void {
  return useGraphStore.subscribe((now, before) => {
    if (now.graph !== before.graph || now.meta !== before.meta) clearError();
  });
}
