import { create } from 'zustand';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

interface UiState {
  notice: Notice | null;
  notify(kind: Notice['kind'], text: string): void;
  dismiss(): void;
}

let nextId = 1;

export const useUiStore = create<UiState>()((set) => ({
  notice: null,
  notify: (kind, text) => set({ notice: { id: nextId++, kind, text } }),
  dismiss: () => set({ notice: null }),
}));
