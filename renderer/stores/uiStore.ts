import { create } from 'zustand';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

/** What the wide part of the training area shows: the run's chart and runs, or the data. */
export type TrainingView = 'training' | 'data';

interface UiState {
  notice: Notice | null;
  notify(kind: Notice['kind'], text: string): void;
  dismiss(): void;
  trainingView: TrainingView;
  showView(view: TrainingView): void;
}

let nextId = 1;

export const useUiStore = create<UiState>()((set) => ({
  notice: null,
  notify: (kind, text) => set({ notice: { id: nextId++, kind, text } }),
  dismiss: () => set({ notice: null }),
  trainingView: 'training',
  showView: (trainingView) => set({ trainingView }),
}));
