/**
 * The desktop shell's wiring: one window, the Backend behind IPC, trainers in utility
 * processes. Each part lives in electron/shell/ and is tested there with Electron replaced.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, Menu } from 'electron';
import { IPC_CHANNELS } from '../shared/api/contract.js';
import { Backend } from './backend/backend.js';
import { menuTemplate } from './menu.js';
import { nativeDialogs } from './shell/dialogs.js';
import { claimSingleInstance } from './shell/instance.js';
import { installIpc } from './shell/ipc.js';
import { handleAppProtocol, registerAppScheme } from './shell/protocol.js';
import { installSecurity, secureDefaultSession } from './shell/security.js';
import { analystUtilityLauncher, utilityLauncher } from './shell/trainer.js';
import { createAppWindow, sendToPage, type AppWindow } from './shell/window.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '../renderer');
const preload = path.join(here, 'preload.cjs');

installSecurity();
registerAppScheme();

let backend: Backend | null = null;
let main: AppWindow | null = null;
let opening: Promise<AppWindow> | null = null;
/** The last window's place, still to be written when the app quits. */
let windowState: AppWindow['state'] | null = null;

/** The window, made when there is none (a Mac keeps running with its windows closed). */
function appWindow(): Promise<AppWindow> {
  if (main && !main.win.isDestroyed()) return Promise.resolve(main);
  opening ??= createAppWindow({ backend: backend!, preload, stateFile: path.join(app.getPath('userData'), 'window-state.json') }).then((made) => {
    main = made;
    windowState = made.state;
    opening = null;
    made.win.on('closed', () => {
      if (main === made) main = null;
    });
    return made;
  });
  return opening;
}

const instance = claimSingleInstance({
  focus: () => {
    // Before the app is ready the window is on its way anyway.
    if (backend) void appWindow().then(({ win }) => {
      if (win.isMinimized()) win.restore();
      win.focus();
    });
  },
  open: (file) => {
    // Chosen by the user in the file manager or on a command line: the Backend may open it.
    backend!.allowProjectFile(file);
    void appWindow().then(({ win }) => sendToPage(win, { topic: 'open-file', path: file }));
  },
});

if (!instance.acquired) {
  app.quit();
} else {
  void app.whenReady().then(async () => {
    secureDefaultSession();
    handleAppProtocol(rendererDir);
    const projectsDir = path.join(app.getPath('documents'), 'NetCanvas');
    backend = new Backend({
      launcher: utilityLauncher,
      analystLauncher: analystUtilityLauncher,
      runsDir: path.join(app.getPath('userData'), 'runs'),
      stateDir: app.getPath('userData'),
      projectsDir,
      dialogs: nativeDialogs(projectsDir),
      // One window: after a crash its recovery copies are offered at once, however recent.
      singleWindow: true,
    });
    installIpc(backend);
    const sendCommand = (command: string, byKeys: boolean) => {
      const win = BrowserWindow.getFocusedWindow() ?? main?.win;
      if (win && !win.isDestroyed()) win.webContents.send(IPC_CHANNELS.event, { topic: 'command', command, byKeys });
    };
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(sendCommand, process.platform)));
    const { loaded } = await appWindow();
    await loaded.catch(() => undefined);
    instance.ready();
    app.on('activate', () => void appWindow());
    // Only once every window has closed: a quit cancelled at the unsaved-changes question keeps its runs.
    app.on('will-quit', (event) => {
      const state = windowState;
      if (state) {
        // The window's place is written before the app goes; then quitting goes on.
        windowState = null;
        event.preventDefault();
        void state.flush().finally(() => app.quit());
        return;
      }
      backend?.shutdown();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
