import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { togglePanel, useLayoutStore, type Panel } from './layoutStore';

/** The two colour sets of styles.css. */
export type Theme = 'light' | 'dark';
/** What the setting says: follow the system, or keep to one theme whatever it prefers. */
export type ThemeChoice = 'system' | Theme;

export const THEME_CHOICES: readonly { id: ThemeChoice; label: string }[] = [
  { id: 'system', label: 'As the system' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
];

/** A room watches the network and its training, not the palette and the forms: these fold away while presenting. */
export const PRESENTATION_FOLDS: readonly Panel[] = ['layers', 'inspector'];

interface ThemeState {
  choice: ThemeChoice;
  /** What the system prefers, as the page last heard it; not remembered, it is asked afresh. */
  system: Theme;
  presentation: boolean;
  /** Whether each panel presentation folded was open before, to be opened again when it ends. */
  openBefore: Partial<Record<Panel, boolean>> | null;
}

export const useThemeStore = create<ThemeState>()(
  persist(
    (): ThemeState => ({ choice: 'system', system: 'light', presentation: false, openBefore: null }),
    {
      name: 'netcanvas.theme',
      version: 1,
      partialize: ({ choice, presentation, openBefore }) => ({ choice, presentation, openBefore }),
    },
  ),
);

export const resolveTheme = (choice: ThemeChoice, system: Theme): Theme => (choice === 'system' ? system : choice);

/** The colours in use: presentation mode's high-contrast set is a light one. */
export function shownTheme({ choice, system, presentation }: Pick<ThemeState, 'choice' | 'system' | 'presentation'>): Theme {
  return presentation ? 'light' : resolveTheme(choice, system);
}

export function setThemeChoice(choice: ThemeChoice): void {
  useThemeStore.setState({ choice });
}

export function setSystemTheme(system: Theme): void {
  useThemeStore.setState({ system });
}

/** Enters or leaves presentation mode; leaving opens again what it folded, as it was. */
export function setPresentation(on: boolean): void {
  const state = useThemeStore.getState();
  if (on === state.presentation) return;
  if (on) {
    const { open } = useLayoutStore.getState();
    const openBefore = Object.fromEntries(PRESENTATION_FOLDS.map((panel) => [panel, open[panel]]));
    for (const panel of PRESENTATION_FOLDS) togglePanel(panel, false);
    useThemeStore.setState({ presentation: true, openBefore });
    return;
  }
  for (const panel of PRESENTATION_FOLDS) {
    const before = state.openBefore?.[panel];
    if (before !== undefined) togglePanel(panel, before);
  }
  useThemeStore.setState({ presentation: false, openBefore: null });
}

export function togglePresentation(): void {
  setPresentation(!useThemeStore.getState().presentation);
}
