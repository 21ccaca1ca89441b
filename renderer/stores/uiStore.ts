import { create } from 'zustand';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

/** What the wide part of the training area shows: the run's chart and runs, the data, or trying, evaluating and explaining the current run. */
export type TrainingView = 'training' | 'data' | 'try' | 'evaluate' | 'explain';

/** The dialogs of which at most one is open at a time. */
export type DialogKind = 'commands' | 'add-layer' | 'open' | 'save-as' | 'templates' | 'shortcuts' | 'summary' | 'recovery' | 'rename-project' | 'export-run' | 'start';

/** One choice of a quick pick: a row to run, greyed out with its reason when it cannot. */
export interface PickItem {
  id: string;
  label: string;
  detail?: string;
  /** Shown at the right, e.g. a shortcut. */
  hint?: string;
  disabled?: string | false;
  run(): void;
}

export interface Picker {
  title: string;
  placeholder: string;
  items: readonly PickItem[];
  /** Said when nothing matches what was typed, or there is nothing to pick. */
  empty: string;
}

export interface ConfirmChoice<T extends string> {
  id: T;
  label: string;
  kind?: 'primary' | 'danger';
}

interface Confirmation {
  title: string;
  message: string;
  choices: readonly ConfirmChoice<string>[];
  resolve(choice: string | null): void;
}

interface UiState {
  notice: Notice | null;
  notify(kind: Notice['kind'], text: string): void;
  dismiss(): void;
  trainingView: TrainingView;
  showView(view: TrainingView): void;
  dialog: DialogKind | null;
  picker: Picker | null;
  confirmation: Confirmation | null;
}

let nextId = 1;
let infoTimer: ReturnType<typeof setTimeout> | null = null;
/** Long enough to read a two-line message; errors stay until something else succeeds. */
const INFO_MS = 12_000;

export const useUiStore = create<UiState>()((set, get) => ({
  notice: null,
  notify: (kind, text) => {
    const id = nextId++;
    set({ notice: { id, kind, text } });
    if (infoTimer) clearTimeout(infoTimer);
    infoTimer = kind === 'info' ? setTimeout(() => get().notice?.id === id && set({ notice: null }), INFO_MS) : null;
  },
  dismiss: () => set({ notice: null }),
  trainingView: 'training',
  showView: (trainingView) => set({ trainingView }),
  // A window opens on the start screen; recovery copies found at start take its place.
  dialog: 'start',
  picker: null,
  confirmation: null,
}));

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A failed action's error in the red banner. */
export function notifyError(err: unknown): void {
  useUiStore.getState().notify('error', errorText(err));
}

/** A later action that worked takes down the error banner of an earlier one. */
export function clearError(): void {
  if (useUiStore.getState().notice?.kind === 'error') useUiStore.setState({ notice: null });
}

export function openDialog(dialog: DialogKind): void {
  useUiStore.setState({ dialog, picker: null });
}

export function closeDialog(): void {
  useUiStore.setState({ dialog: null, picker: null });
}

/** A list to choose from, filtered as one types: connect to…, disconnect…. */
export function showPicker(picker: Picker): void {
  useUiStore.setState({ picker, dialog: null });
}

/** Asks a question in a dialog; resolves with the chosen id, or null when it is closed. */
export function confirm<T extends string>(title: string, message: string, choices: readonly ConfirmChoice<T>[]): Promise<T | null> {
  useUiStore.getState().confirmation?.resolve(null);
  return new Promise((resolve) => {
    useUiStore.setState({
      confirmation: {
        title,
        message,
        choices,
        resolve: (choice) => {
          useUiStore.setState({ confirmation: null });
          resolve(choice as T | null);
        },
      },
    });
  });
}
