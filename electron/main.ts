/**
 * The desktop shell: one window, the Backend behind IPC, trainers in utility processes.
 * Kept thin on purpose; everything it wires is tested through browser mode and the CLI.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, utilityProcess } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { IPC_CHANNELS, TEXT_EDITS, type TextEdit } from '../shared/api/contract.js';
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
function nativeDialogs(projectsDir: string): ProjectDialogs {
  return {
    open: async () => {
      const win = BrowserWindow.getFocusedWindow();
      const options = { title: 'Open a project', defaultPath: projectsDir, properties: ['openFile' as const], filters: PROJECT_FILTERS };
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    save: async (defaultFileName) => {
      const win = BrowserWindow.getFocusedWindow();
      const options = { title: 'Save the project', defaultPath: path.join(projectsDir, defaultFileName), filters: PROJECT_FILTERS };
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      if (result.canceled || !result.filePath) return null;
      if (/\.json$/i.test(result.filePath)) return result.filePath;
      // Some dialogs add no extension, and so asked nothing about this name: ask here.
      const file = `${result.filePath}.netcanvas.json`;
      if (!existsSync(file)) return file;
      const replace = { type: 'question' as const, buttons: ['Replace', 'Cancel'], defaultId: 1, cancelId: 1, message: `${path.basename(file)} exists already. Replace it?` };
      return (win ? dialog.showMessageBoxSync(win, replace) : dialog.showMessageBoxSync(replace)) === 0 ? file : null;
    },
  };
}

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
  const projectsDir = path.join(app.getPath('documents'), 'NetCanvas');
  const backend = new Backend({
    launcher: utilityLauncher,
    runsDir: path.join(app.getPath('userData'), 'runs'),
    stateDir: app.getPath('userData'),
    projectsDir,
    dialogs: nativeDialogs(projectsDir),
    // One window: after a crash its recovery copies are offered at once, however recent.
    singleWindow: true,
  });
  const sendCommand = (command: string, byKeys: boolean) => BrowserWindow.getFocusedWindow()?.webContents.send(IPC_CHANNELS.event, { topic: 'command', command, byKeys });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(sendCommand, process.platform)));
  const appPage = pathToFileURL(path.join(here, '../renderer/index.html')).href;
  ipcMain.handle(IPC_CHANNELS.request, (event, method: unknown, params: unknown) => {
    // Only our own page may use the Backend, never a frame or page it did not load.
    if (event.senderFrame?.url.split('#')[0] !== appPage) {
      return { ok: false, error: { code: 'INVALID_REQUEST', message: 'Requests are accepted only from the NetCanvas window.' } };
    }
    return backend.dispatch(method, params);
  });
  ipcMain.handle(IPC_CHANNELS.edit, (event, action: unknown) => {
    if (event.senderFrame?.url.split('#')[0] !== appPage || !(TEXT_EDITS as readonly unknown[]).includes(action)) return;
    event.sender[action as TextEdit]();
  });
  await createWindow(backend);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow(backend);
  });
  // Only once every window has closed: a quit cancelled at the unsaved-changes question keeps its runs.
  app.on('will-quit', () => backend.shutdown());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
