/**
 * The NetCanvas window: sandboxed, isolated, reached only through the preload's contract;
 * it remembers its place, asks before closing over unsaved work, and after a renderer crash
 * shows a page that says so with a way back.
 */
import { BrowserWindow, dialog, type WebContents } from 'electron';
import { IPC_CHANNELS, type WindowEvent } from '../../shared/api/contract.js';
import type { Backend } from '../backend/backend.js';
import { crashPageUrl } from './crash-page.js';
import { APP_ORIGIN, APP_PAGE, CRASH_PAGE } from './protocol.js';
import { fitToScreen, keepWindowState, MIN_HEIGHT, MIN_WIDTH, readWindowState, type KeptWindowState } from './window-state.js';

export interface WindowOptions {
  backend: Pick<Backend, 'subscribe'>;
  /** The bundled preload script. */
  preload: string;
  /** `<userData>/window-state.json`. */
  stateFile: string;
}

export interface AppWindow {
  win: BrowserWindow;
  state: KeptWindowState;
  /** Resolves once the app's page has loaded. */
  loaded: Promise<void>;
}

/** Sends an event to the window's page, waiting for it to load first if it is loading. */
export function sendToPage(win: BrowserWindow, event: WindowEvent): void {
  if (win.isDestroyed()) return;
  const contents = win.webContents;
  if (contents.isLoading()) contents.once('did-finish-load', () => sendToPage(win, event));
  else contents.send(IPC_CHANNELS.event, event);
}

/** The page is closing with unsaved changes (beforeunload): ask natively, the page cannot. */
function askBeforeClosing(win: BrowserWindow): void {
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['Close without saving', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message: 'This project has changes that are not saved.',
      detail: 'Its recovery copy is offered again the next time NetCanvas starts.',
    });
    if (choice === 0) event.preventDefault();
  });
}

/** A renderer that crashes or hangs leaves the crash page in its place; Reload goes back to the app. */
export function showCrashPage(contents: WebContents): void {
  let stoppedHung = false;
  contents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit') return;
    // The crash page itself gone (the renderer cannot start at all): loading it again would loop.
    if (contents.getURL().startsWith(CRASH_PAGE)) return;
    const reason = stoppedHung ? 'unresponsive' : details.reason;
    stoppedHung = false;
    void contents.loadURL(crashPageUrl(APP_ORIGIN, reason)).catch(() => undefined);
  });
  let asking: AbortController | null = null;
  contents.on('unresponsive', () => {
    if (asking) return;
    asking = new AbortController();
    const signal = asking.signal;
    const win = BrowserWindow.fromWebContents(contents);
    const options = {
      type: 'warning' as const,
      buttons: ['Wait', 'Stop the window'],
      defaultId: 0,
      cancelId: 0,
      message: 'The NetCanvas window is not responding.',
      detail: 'It may be busy with a large network and answer soon. Stopping it shows a page to reload it from; unsaved changes come back as a recovery copy.',
      signal,
    };
    void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options)).then(({ response }) => {
      asking = null;
      if (response !== 1 || signal.aborted || contents.isDestroyed()) return;
      stoppedHung = true;
      contents.forcefullyCrashRenderer();
    });
  });
  // Answering again closes the question: there is nothing to stop any more.
  contents.on('responsive', () => asking?.abort());
}

export async function createAppWindow({ backend, preload, stateFile }: WindowOptions): Promise<AppWindow> {
  const saved = fitToScreen(await readWindowState(stateFile));
  const win = new BrowserWindow({
    ...(saved.x !== undefined && saved.y !== undefined ? { x: saved.x, y: saved.y } : {}),
    width: saved.width,
    height: saved.height,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    title: 'NetCanvas',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // A middle click on a link would open it in a new window.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (saved.maximized) win.maximize();
  const state = keepWindowState(win, stateFile);
  const unsubscribe = backend.subscribe((event) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_CHANNELS.event, event);
  });
  win.on('closed', unsubscribe);
  askBeforeClosing(win);
  showCrashPage(win.webContents);
  const loaded = win.loadURL(APP_PAGE);
  return { win, state, loaded };
}
