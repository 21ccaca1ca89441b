import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadRenderer } from '../page.js';

type Panel = 'layers' | 'inspector' | 'training';
type Theme = 'light' | 'dark';

/** The parts of the renderer these tests use. */
interface Renderer {
  theme: {
    useThemeStore: { getState(): { choice: string; system: Theme; presentation: boolean } };
    resolveTheme(choice: string, system: Theme): Theme;
    shownTheme(state: { choice: string; system: Theme; presentation: boolean }): Theme;
    setThemeChoice(choice: string): void;
    setPresentation(on: boolean): void;
    togglePresentation(): void;
  };
  layout: { useLayoutStore: { getState(): { open: Record<Panel, boolean> } }; togglePanel(panel: Panel, open?: boolean): void };
  page: { installTheme(): () => void; installPresentationEscape(): () => void };
}

interface MemoryStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** localStorage as the page has it, kept across a reload of the modules as a browser keeps it across a reload of the page. */
function memoryStorage(): MemoryStorage {
  const items = new Map<string, string>();
  return {
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, String(v)),
    removeItem: (k) => void items.delete(k),
  };
}

/** A page with just what the theme touches: the system's colour preference, <html>'s attributes, key listeners. */
function fakePage(prefersDark: boolean) {
  const mediaListeners: (() => void)[] = [];
  const keyListeners: ((event: unknown) => void)[] = [];
  const media = { matches: prefersDark, addEventListener: (_: string, fn: () => void) => mediaListeners.push(fn), removeEventListener: () => undefined };
  const classes = new Set<string>();
  const root = { dataset: {} as Record<string, string>, classList: { toggle: (name: string, on: boolean) => (on ? classes.add(name) : classes.delete(name)) } };
  vi.stubGlobal('window', {
    localStorage: storage,
    matchMedia: () => media,
    addEventListener: (type: string, fn: (event: unknown) => void) => type === 'keydown' && keyListeners.push(fn),
    removeEventListener: () => undefined,
  });
  vi.stubGlobal('document', { documentElement: root, querySelector: () => null });
  return {
    root,
    classes,
    /** The system switches its preference, as a user does in its settings. */
    prefer(dark: boolean) {
      media.matches = dark;
      mediaListeners.forEach((fn) => fn());
    },
    press: (key: string) => keyListeners.forEach((fn) => fn({ key, target: null })),
  };
}

let storage: MemoryStorage;

async function load(): Promise<Renderer> {
  vi.resetModules();
  return {
    theme: await loadRenderer('stores/themeStore.ts'),
    layout: await loadRenderer('stores/layoutStore.ts'),
    page: await loadRenderer('app/theme.ts'),
  } as Renderer;
}

beforeEach(() => {
  storage = memoryStorage();
  vi.stubGlobal('localStorage', storage);
});

describe('the theme', () => {
  it('follows the system by default, and its changes as they happen', async () => {
    const page = fakePage(true);
    const r = await load();
    expect(r.theme.useThemeStore.getState().choice).toBe('system');
    r.page.installTheme();
    expect(page.root.dataset.theme).toBe('dark');
    page.prefer(false);
    expect(page.root.dataset.theme).toBe('light');
    expect(r.theme.shownTheme(r.theme.useThemeStore.getState())).toBe('light');
  });

  it('keeps a forced choice whatever the system prefers, and remembers it after a reload', async () => {
    const page = fakePage(false);
    let r = await load();
    r.page.installTheme();
    r.theme.setThemeChoice('dark');
    expect(page.root.dataset.theme).toBe('dark');
    page.prefer(true);
    page.prefer(false);
    expect(page.root.dataset.theme).toBe('dark');
    expect(JSON.parse(storage.getItem('netcanvas.theme')!).state.choice).toBe('dark');

    const reloaded = fakePage(false);
    r = await load();
    r.page.installTheme();
    expect(r.theme.useThemeStore.getState().choice).toBe('dark');
    expect(reloaded.root.dataset.theme).toBe('dark');
    r.theme.setThemeChoice('light');
    reloaded.prefer(true);
    expect(reloaded.root.dataset.theme).toBe('light');
  });

  it('resolves each choice against the system', async () => {
    fakePage(false);
    const { theme } = await load();
    expect([theme.resolveTheme('system', 'dark'), theme.resolveTheme('system', 'light'), theme.resolveTheme('light', 'dark'), theme.resolveTheme('dark', 'light')]).toEqual(['dark', 'light', 'light', 'dark']);
  });
});

describe('presentation mode', () => {
  it('folds the layers panel and the inspector, and opens again only what was open', async () => {
    const page = fakePage(true);
    const r = await load();
    r.page.installTheme();
    r.layout.togglePanel('inspector', false);
    r.layout.togglePanel('training', true);
    r.theme.togglePresentation();
    expect(r.layout.useLayoutStore.getState().open).toEqual({ layers: false, inspector: false, training: true });
    expect(page.classes.has('presentation')).toBe(true);
    // Its high-contrast colours are a light set, whatever the theme.
    expect(r.theme.shownTheme(r.theme.useThemeStore.getState())).toBe('light');

    r.theme.togglePresentation();
    expect(r.layout.useLayoutStore.getState().open).toEqual({ layers: true, inspector: false, training: true });
    expect(page.classes.has('presentation')).toBe(false);
    expect(r.theme.shownTheme(r.theme.useThemeStore.getState())).toBe('dark');
  });

  it('is remembered with what it folded, so leaving after a reload still restores the panels', async () => {
    fakePage(false);
    let r = await load();
    r.theme.setPresentation(true);
    r.theme.setPresentation(true);
    expect(r.layout.useLayoutStore.getState().open.layers).toBe(false);

    const page = fakePage(false);
    r = await load();
    r.page.installTheme();
    expect(r.theme.useThemeStore.getState().presentation).toBe(true);
    expect(page.classes.has('presentation')).toBe(true);
    expect(r.layout.useLayoutStore.getState().open.layers).toBe(false);
    r.theme.setPresentation(false);
    expect(r.layout.useLayoutStore.getState().open).toMatchObject({ layers: true, inspector: true });
  });

  it('is left with Escape, unless a dialog is open', async () => {
    const page = fakePage(false);
    const r = await load();
    const ui = (await loadRenderer('stores/uiStore.ts')) as { openDialog(kind: string): void; closeDialog(): void };
    r.page.installPresentationEscape();
    r.theme.setPresentation(true);
    ui.openDialog('shortcuts');
    page.press('Escape');
    expect(r.theme.useThemeStore.getState().presentation).toBe(true);
    ui.closeDialog();
    page.press('Enter');
    expect(r.theme.useThemeStore.getState().presentation).toBe(true);
    page.press('Escape');
    expect(r.theme.useThemeStore.getState().presentation).toBe(false);
    expect(r.layout.useLayoutStore.getState().open).toMatchObject({ layers: true, inspector: true });
  });
});
