import { api } from '../../api';
import { refreshData } from '../../stores/dataStore';
import { setTraining } from '../../stores/graphStore';
import { notifyError } from '../../stores/uiStore';
import type { UserSource } from '../../../shared/data/source';

/** Only the desktop app has native dialogs; browser mode reads what is typed, inside the folders its server allows. */
export const canChooseData = (): boolean => api.kind === 'ipc';

/** What the dialog picks for each kind: the one a source of that kind most often is. */
export const CHOOSE_KIND: Record<UserSource['kind'], 'file' | 'folder'> = { csv: 'file', 'image-folder': 'folder', text: 'file', idx: 'folder', npy: 'file' };

/** The path chosen in the desktop's dialog (which lets the Backend read it from then on), or null when cancelled. */
export async function chooseDataPath(kind: 'file' | 'folder', defaultPath?: string): Promise<string | null> {
  try {
    const chosen = await api.request('datasets.choose', { kind, ...(defaultPath ? { defaultPath } : {}) });
    return 'path' in chosen ? chosen.path : null;
  } catch (err) {
    notifyError(err);
    return null;
  }
}

/** The source read from another path; a CSV's column choices are dropped, since another file has other columns. */
export function withPath(source: UserSource, path: string): UserSource {
  if (path === source.path) return source;
  return source.kind === 'csv' ? { ...source, path, target: undefined, features: undefined, header: undefined, delimiter: undefined } : { ...source, path };
}

/**
 * The one-click fix for a path the Backend may not read: its dialog opens at that path (or
 * the labels file's), and once chosen the data is read again, even if the path is the same.
 */
export async function chooseRefused(source: UserSource, field: 'path' | 'labels'): Promise<void> {
  const current = field === 'labels' && 'labels' in source ? source.labels : source.path;
  const chosen = await chooseDataPath(field === 'labels' ? 'file' : CHOOSE_KIND[source.kind], current);
  if (chosen === null) return;
  const next = field === 'labels' ? { ...source, labels: chosen } : withPath(source, chosen);
  if (next !== source) setTraining({ dataset: next }, 'dataset-source');
  await refreshData();
}
