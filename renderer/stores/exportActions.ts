import { create } from 'zustand';
import { currentProject } from './graphStore';
import { weightsGap, type WeightsGap } from './insightRun';
import type { Run } from './runs';
import { useTrainingStore } from './trainingStore';
import { errorText, openDialog } from './uiStore';
import { api } from '../api';
import type { CheckpointKind, ExportTargetName } from '../../shared/api/contract';

/** Where an export of a run stands: being chosen, being written, written, or refused with its sentence. */
export type ExportState =
  | { kind: 'choosing' }
  | { kind: 'exporting' }
  | { kind: 'done'; folder: string; files: string[] }
  | { kind: 'failed'; message: string };

interface ExportStore {
  /** The run the Export dialog is for. */
  runKey: string | null;
  state: ExportState;
}

export const useExportStore = create<ExportStore>()(() => ({ runKey: null, state: { kind: 'choosing' } }));

const EXPORT_GAPS: Record<WeightsGap, string> = {
  'no-run': 'Pick a run to export.',
  elsewhere: 'This run is still training in another window or another NetCanvas: export it once it has finished.',
  training: 'The run is still training: export it once it has finished.',
  'no-weights': 'This run ended before finishing an epoch, so it kept no trained weights to export.',
};

/** Why a run cannot be exported, or null when it can: it must have finished and kept trained weights. */
export function exportBlocker(run: Run | undefined): string | null {
  const gap = weightsGap(run);
  return gap ? EXPORT_GAPS[gap] : null;
}

/** Opens the Export dialog for one run of the Runs list. */
export function openExport(runKey: string): void {
  useExportStore.setState({ runKey, state: { kind: 'choosing' } });
  openDialog('export-run');
}

/**
 * Asks the Backend to write the run's network with its weights: into the folder the desktop's
 * dialog chooses, or in browser mode into the projects folder's exports/ on the server.
 */
export async function exportRun(target: ExportTargetName, checkpoint: CheckpointKind): Promise<void> {
  const key = useExportStore.getState().runKey;
  const run = key ? useTrainingStore.getState().runs[key] : undefined;
  if (!run?.runId) return;
  useExportStore.setState({ state: { kind: 'exporting' } });
  try {
    const result = await api.request('runs.export', {
      projectName: run.projectName,
      ...(run.projectPath ? { projectPath: run.projectPath } : {}),
      // Used only for a run saved before NetCanvas kept the network it trained.
      project: currentProject(),
      runId: run.runId,
      checkpoint,
      target,
    });
    useExportStore.setState({ state: 'cancelled' in result ? { kind: 'choosing' } : { kind: 'done', folder: result.folder, files: result.files } });
  } catch (err) {
    useExportStore.setState({ state: { kind: 'failed', message: errorText(err) } });
  }
}
