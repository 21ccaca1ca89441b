/**
 * The window opens where it was last closed, at the same size, maximized if it was: kept in
 * `<userData>/window-state.json`. A place no display shows any more is moved into view.
 */
import { readFile } from 'node:fs/promises';
import { screen, type BrowserWindow, type Rectangle } from 'electron';
import { writeFileAtomic } from '../files/atomic.js';

export interface WindowState {
  /** Left and top; absent the first time, when the system centres the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1440, height: 900, maximized: false };
export const MIN_WIDTH = 800;
export const MIN_HEIGHT = 560;
/** Moves and resizes come many a second: the file is written once they pause. */
const SAVE_DELAY_MS = 500;

const whole = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The state saved last, or the default when there is none or it does not read back. */
export async function readWindowState(file: string): Promise<WindowState> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  const saved = raw as Partial<Record<keyof WindowState, unknown>>;
  if (typeof raw !== 'object' || raw === null || !whole(saved.width) || !whole(saved.height)) return { ...DEFAULT_WINDOW_STATE };
  return {
    ...(whole(saved.x) && whole(saved.y) ? { x: Math.round(saved.x), y: Math.round(saved.y) } : {}),
    width: Math.round(saved.width),
    height: Math.round(saved.height),
    maximized: saved.maximized === true,
  };
}

/** Fits the state inside the work area of the display it is most on, or nearest to. */
export function fitToScreen(state: WindowState): WindowState {
  const width = Math.max(MIN_WIDTH, state.width);
  const height = Math.max(MIN_HEIGHT, state.height);
  if (state.x === undefined || state.y === undefined) {
    const area = screen.getPrimaryDisplay().workArea;
    return { width: Math.min(width, area.width), height: Math.min(height, area.height), maximized: state.maximized };
  }
  const area = screen.getDisplayMatching({ x: state.x, y: state.y, width, height }).workArea;
  const fitted = { width: Math.min(width, area.width), height: Math.min(height, area.height) };
  const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);
  return {
    x: clamp(state.x, area.x, area.x + area.width - fitted.width),
    y: clamp(state.y, area.y, area.y + area.height - fitted.height),
    ...fitted,
    maximized: state.maximized,
  };
}

/** The window's state now: its size when not maximized, and whether it is. */
function stateOf(win: BrowserWindow): WindowState {
  const bounds: Rectangle = win.getNormalBounds();
  return { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height, maximized: win.isMaximized() };
}

export interface KeptWindowState {
  /** Resolves once every save asked for so far is on disk. */
  flush(): Promise<void>;
}

/** Saves the window's state to `file` as it moves and resizes, and when it closes. */
export function keepWindowState(win: BrowserWindow, file: string): KeptWindowState {
  let writing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  const save = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (win.isDestroyed()) return;
    const text = `${JSON.stringify(stateOf(win))}\n`;
    // One write after another, so an older state never lands last; a failed write is only a lost place.
    writing = writing.then(() => writeFileAtomic(file, text)).catch(() => undefined);
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY_MS);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', save);
  win.on('unmaximize', save);
  win.on('close', save);
  return {
    flush: () => {
      if (timer) save();
      return writing;
    },
  };
}
