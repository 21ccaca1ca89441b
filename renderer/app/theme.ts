/**
 * The theme on the page: `data-theme` on <html> says which of styles.css's colour sets is in
 * use, and the `presentation` class turns on presentation.css. Set before the first render, so
 * a dark system never sees a flash of the light theme.
 */
import { THEME_CHOICES, resolveTheme, setPresentation, setSystemTheme, setThemeChoice, useThemeStore, type ThemeChoice } from '../stores/themeStore';
import { showPicker, useUiStore } from '../stores/uiStore';

const PREFERS_DARK = '(prefers-color-scheme: dark)';

function apply(): void {
  const { choice, system, presentation } = useThemeStore.getState();
  const root = document.documentElement;
  root.dataset.theme = resolveTheme(choice, system);
  root.classList.toggle('presentation', presentation);
}

export function installTheme(): () => void {
  const media = window.matchMedia(PREFERS_DARK);
  const onSystemChange = () => setSystemTheme(media.matches ? 'dark' : 'light');
  onSystemChange();
  media.addEventListener('change', onSystemChange);
  apply();
  const unsubscribe = useThemeStore.subscribe(apply);
  return () => {
    media.removeEventListener('change', onSystemChange);
    unsubscribe();
  };
}

const TYPING = 'input, textarea, select, [contenteditable="true"]';

/**
 * Escape leaves presentation mode, unless something nearer takes it: a dialog, a quick pick, a
 * question, a right-click menu or a field being typed in. Heard before them (capture), while what
 * they would close is still open.
 */
export function installPresentationEscape(): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !useThemeStore.getState().presentation) return;
    const ui = useUiStore.getState();
    if (ui.dialog || ui.picker || ui.confirmation) return;
    if (document.querySelector('.context-menu, [role="dialog"]')) return;
    if ((event.target as Partial<Element> | null)?.closest?.(TYPING)) return;
    setPresentation(false);
  };
  window.addEventListener('keydown', onKeyDown, true);
  return () => window.removeEventListener('keydown', onKeyDown, true);
}

/** The Theme… command: the three choices in a quick pick, the one in use marked. */
export function pickTheme(): void {
  const { choice, system } = useThemeStore.getState();
  const detail = (id: ThemeChoice) => [id === 'system' ? `The system prefers ${system} now` : '', id === choice ? 'in use' : ''].filter(Boolean).join('; ');
  showPicker({
    title: 'Theme',
    placeholder: 'Light, dark or as the system prefers',
    empty: 'No theme by that name.',
    items: THEME_CHOICES.map((c) => ({ id: c.id, label: c.label, detail: detail(c.id) || undefined, run: () => setThemeChoice(c.id) })),
  });
}
