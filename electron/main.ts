/**
 * The desktop shell: one window, the Backend behind IPC, trainers in utility processes.
 * Kept thin on purpose; everything it wires is tested through browser mode and the CLI.
 */
import { app, BrowserWindow, ipcMain, utilityProcess } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { IPC_CHANNELS } from '../shared/api/contract.js';
import { Backend } from './backend/backend.js';
import { keepStderrTail, trainerEntry, type TrainerLauncher } from './training/launcher.js';

const here = path.dirname(fileURLToPath(import.meta.url));

const utilityLauncher: TrainerLauncher = () => {
  const child = utilityProcess.fork(trainerEntry().path, [], { stdio: ['ignore', 'ignore', 'pipe'], serviceName: 'NetCanvas trainer' });
  const stderrTail = keepStderrTail(child.stderr);
  return {
    pid: child.pid ?? null,
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', (code) => listener({ code, signal: null, stderrTail: stderrTail() })),
    kill: () => void child.kill(),
  };
};

async function createWindow(backend: Backend): Promise<void> {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'NetCanvas',
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  const unsubscribe = backend.subscribe((event) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_CHANNELS.event, event);
  });
  win.on('closed', unsubscribe);
  // The app never navigates away from its own page or opens new windows.
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  await win.loadFile(path.join(here, '../renderer/index.html'));
}

void app.whenReady().then(async () => {
  const backend = new Backend({ launcher: utilityLauncher, runsDir: path.join(app.getPath('userData'), 'runs') });
  const appPage = pathToFileURL(path.join(here, '../renderer/index.html')).href;
  ipcMain.handle(IPC_CHANNELS.request, (event, method: unknown, params: unknown) => {
    // Only our own page may use the Backend, never a frame or page it did not load.
    if (event.senderFrame?.url.split('#')[0] !== appPage) {
      return { ok: false, error: { code: 'INVALID_REQUEST', message: 'Requests are accepted only from the NetCanvas window.' } };
    }
    return backend.dispatch(method, params);
  });
  await createWindow(backend);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow(backend);
  });
  app.on('before-quit', () => backend.shutdown());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
