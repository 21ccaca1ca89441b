import { useEffect } from 'react';
import { create } from 'zustand';
import { useGraphStore } from './graphStore';
import { errorText } from './uiStore';
import { api } from '../api';
import { ApiRequestError } from '../api/client';
import type { BuiltinInfo, DatasetPreview, DatasetReport } from '../../shared/data/report';
import { augments, type Augmentation, type ProjectDataset, type UserSource } from '../../shared/data/source';

/** Examples the panel shows: two rows of eight images, or as many table rows. */
export const PREVIEW_COUNT = 16;
const DEBOUNCE_MS = 250;

interface DataState {
  /** The datasets that ship with NetCanvas; null until the Backend answers. */
  builtins: BuiltinInfo[] | null;
  builtinsError: string | null;
  /** The report of the dataset named by `reportKey`; kept while the next one loads. */
  report: DatasetReport | null;
  preview: DatasetPreview | null;
  /** The dataset the report describes. */
  reportKey: string | null;
  loading: boolean;
  error: string | null;
  /** The Backend's code for `error`: FORBIDDEN for a path it may not read, FILE_REFUSED for a device or a file too big. */
  errorCode: string | null;
  /** "Your own data…" was chosen but no path typed yet: the kind the form shows. */
  ownKind: UserSource['kind'] | null;
  setOwnKind(kind: UserSource['kind'] | null): void;
}

export const useDataStore = create<DataState>()((set) => ({
  builtins: null,
  builtinsError: null,
  report: null,
  preview: null,
  reportKey: null,
  loading: false,
  error: null,
  errorCode: null,
  ownKind: null,
  setOwnKind: (ownKind) => set({ ownKind }),
}));

export function datasetKey(dataset: ProjectDataset): string {
  return JSON.stringify(dataset);
}

let builtinsAsked: Promise<void> | null = null;

/** Asks the Backend for the built-in datasets once; a failure can be retried. */
export function loadBuiltins(): Promise<void> {
  builtinsAsked ??= api
    .request('datasets.list', {})
    .then((builtins) => useDataStore.setState({ builtins, builtinsError: null }))
    .catch((err: unknown) => {
      builtinsAsked = null;
      useDataStore.setState({ builtinsError: errorText(err) });
    });
  return builtinsAsked;
}

let timer: ReturnType<typeof setTimeout> | null = null;
let asked = 0;

function currentRequest(): { dataset: ProjectDataset; augmentation: Augmentation | null } {
  const { dataset, augmentation } = useGraphStore.getState().meta.training;
  return { dataset, augmentation: augments(augmentation) ? augmentation : null };
}

/** Reads the project's dataset now; an answer to an older question is dropped. */
export async function refreshData(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  const { dataset, augmentation } = currentRequest();
  const ticket = ++asked;
  useDataStore.setState({ loading: true, error: null, errorCode: null });
  try {
    const { report, preview } = await api.request('datasets.preview', { dataset, count: PREVIEW_COUNT, augmentation });
    if (ticket !== asked) return;
    useDataStore.setState({ report, preview, reportKey: datasetKey(dataset), loading: false });
  } catch (err) {
    if (ticket !== asked) return;
    useDataStore.setState({ loading: false, error: errorText(err), errorCode: err instanceof ApiRequestError ? err.code : null });
  }
}

/** Reads the dataset once the settings rest: typing a path asks once, not per key. */
export function scheduleRefresh(): void {
  if (timer) clearTimeout(timer);
  useDataStore.setState({ loading: true });
  timer = setTimeout(() => void refreshData(), DEBOUNCE_MS);
}

/** Keeps the report and preview in step with the project's dataset and augmentation. */
export function useDatasetSync(): void {
  useEffect(() => {
    void loadBuiltins();
    scheduleRefresh();
    const unsubscribe = useGraphStore.subscribe((state, previous) => {
      const now = state.meta.training;
      const before = previous.meta.training;
      if (now === before) return;
      const datasetChanged = datasetKey(now.dataset) !== datasetKey(before.dataset);
      // Another dataset (a project opened, a built-in picked) ends a half-filled "Your own data" form.
      if (datasetChanged) useDataStore.getState().setOwnKind(null);
      if (datasetChanged || JSON.stringify(now.augmentation) !== JSON.stringify(before.augmentation)) scheduleRefresh();
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      timer = null;
    };
  }, []);
}

/** The report when it describes the project's dataset as it is now, else null. */
export function useCurrentReport(): DatasetReport | null {
  const key = useGraphStore((s) => datasetKey(s.meta.training.dataset));
  return useDataStore((s) => (s.reportKey === key ? s.report : null));
}

/** The same, read once, for commands run outside React. */
export function currentReport(): DatasetReport | null {
  const state = useDataStore.getState();
  return state.reportKey === datasetKey(useGraphStore.getState().meta.training.dataset) ? state.report : null;
}
