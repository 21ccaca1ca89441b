/**
 * The desktop shell: one window, the Backend behind IPC, trainers in utility processes.
 * Kept thin on purpose; everything it wires is tested through browser mode and the CLI.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, utilityProcess } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { IPC_CHANNELS } from '../shared/api/contract.js';
import { Backend } from './backend/backend.js';
import type { ProjectDialogs } from './backend/projects.js';
import { menuTemplate } from './menu.js';
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

const PROJECT_FILTERS = [
  { name: 'NetCanvas project', extensions: ['json'] },
  { name: 'All files', extensions: ['*'] },
];

/** Native open and save dialogs, over the focused window; the renderer only ever sees the path chosen. */
const nativeDialogs: ProjectDialogs = {
  open: async () => {
    const win = BrowserWindow.getFocusedWindow();
    const options = { title: 'Open a project', properties: ['openFile' as const], filters: PROJECT_FILTERS };
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  save: async (defaultFileName) => {
    const win = BrowserWindow.getFocusedWindow();
    const options = { title: 'Save the project', defaultPath: path.join(app.getPath('documents'), defaultFileName), filters: PROJECT_FILTERS };
    const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    if (result.canceled || !result.filePath) return null;
    return /\.json$/i.test(result.filePath) ? result.filePath : `${result.filePath}.netcanvas.json`;
  },
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
  // The page says when it has unsaved changes (beforeunload); closing then asks here.
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
  await win.loadFile(path.join(here, '../renderer/index.html'));
}

void app.whenReady().then(async () => {
  const backend = new Backend({
    launcher: utilityLauncher,
    runsDir: path.join(app.getPath('userData'), 'runs'),
    stateDir: app.getPath('userData'),
    projectsDir: path.join(app.getPath('documents'), 'NetCanvas'),
    dialogs: nativeDialogs,
  });
  const sendCommand = (command: string) => BrowserWindow.getFocusedWindow()?.webContents.send(IPC_CHANNELS.event, { topic: 'command', command });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(sendCommand, process.platform)));
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
