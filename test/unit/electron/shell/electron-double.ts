/**
 * A test double of the `electron` module for the desktop shell's unit tests: no Electron
 * binary exists here. It records what the shell asks of Electron and lets a test play the
 * parts Electron plays (events, a second launch, a crash). Use it with
 * `vi.mock('electron', () => import('./electron-double.js'))`.
 */
import { EventEmitter } from 'node:events';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An Electron event: it can be prevented, and carries its details (e.g. `url`). */
export class FakeEvent {
  defaultPrevented = false;
  constructor(extra: Record<string, unknown> = {}) {
    Object.assign(this, extra);
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string; isMainFrame: boolean }) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, origin: string, details: { requestingUrl?: string; isMainFrame: boolean }) => boolean;

export class FakeSession {
  requestHandler: PermissionRequestHandler | null = null;
  checkHandler: PermissionCheckHandler | null = null;
  deviceHandler: ((details: unknown) => boolean) | null = null;
  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.checkHandler = handler;
  }
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void {
    this.deviceHandler = handler;
  }
  /** What a page asking for `permission` is answered. */
  request(permission: string, requestingUrl: string, isMainFrame = true): Promise<boolean> {
    return new Promise((resolve) => this.requestHandler!(null, permission, resolve, { requestingUrl, isMainFrame }));
  }
}

export class FakeFrame {
  constructor(
    public url: string,
    public parent: FakeFrame | null = null,
  ) {}
}

export class FakeWebContents extends EventEmitter {
  session: FakeSession;
  url = '';
  loading = false;
  destroyed = false;
  readonly loaded: string[] = [];
  readonly sent: [string, unknown][] = [];
  readonly edits: string[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  mainFrame = new FakeFrame('');
  constructor(ses: FakeSession) {
    super();
    this.session = ses;
  }
  loadURL(url: string): Promise<void> {
    this.url = url;
    this.mainFrame = new FakeFrame(url);
    this.loaded.push(url);
    return Promise.resolve();
  }
  getURL(): string {
    return this.url;
  }
  isLoading(): boolean {
    return this.loading;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  /** As Electron does: the renderer is killed and says so. */
  forcefullyCrashRenderer(): void {
    this.emit('render-process-gone', new FakeEvent(), { reason: 'killed', exitCode: 9 });
  }
  undo(): void {
    this.edits.push('undo');
  }
  redo(): void {
    this.edits.push('redo');
  }
  cut(): void {
    this.edits.push('cut');
  }
  copy(): void {
    this.edits.push('copy');
  }
  paste(): void {
    this.edits.push('paste');
  }
  selectAll(): void {
    this.edits.push('selectAll');
  }
}

export class BrowserWindow extends EventEmitter {
  static windows: BrowserWindow[] = [];
  static focused: BrowserWindow | null = null;
  static getFocusedWindow(): BrowserWindow | null {
    return BrowserWindow.focused;
  }
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.windows.filter((w) => !w.destroyed);
  }
  static fromWebContents(contents: FakeWebContents): BrowserWindow | null {
    return BrowserWindow.windows.find((w) => w.webContents === contents) ?? null;
  }

  readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> };
  readonly webContents: FakeWebContents;
  bounds: Rect;
  maximized = false;
  minimized = false;
  destroyed = false;
  focusCount = 0;

  constructor(options: Record<string, unknown> = {}) {
    super();
    this.options = options;
    this.webContents = new FakeWebContents(session.defaultSession);
    this.bounds = { x: (options.x as number) ?? 100, y: (options.y as number) ?? 100, width: (options.width as number) ?? 800, height: (options.height as number) ?? 600 };
    BrowserWindow.windows.push(this);
    app.emit('web-contents-created', new FakeEvent(), this.webContents);
  }
  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds(): Rect {
    return { ...this.bounds };
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  maximize(): void {
    this.maximized = true;
    this.emit('maximize');
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  focus(): void {
    this.focusCount++;
    BrowserWindow.focused = this;
  }
  /** The user drags or resizes the window. */
  setBounds(bounds: Rect): void {
    this.bounds = { ...bounds };
    this.emit('move');
    this.emit('resize');
  }
  /** The window closes: 'close', then 'closed'. */
  close(): void {
    this.emit('close', new FakeEvent());
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

let resolveReady: () => void = () => undefined;
let ready = new Promise<void>((resolve) => (resolveReady = resolve));

export const app = Object.assign(new EventEmitter(), {
  sandboxed: false,
  readyAtSandbox: false,
  isReadyNow: false,
  lockAvailable: true,
  lockRequested: false,
  quitCount: 0,
  paths: {} as Record<string, string>,
  enableSandbox(): void {
    app.sandboxed = true;
  },
  requestSingleInstanceLock(): boolean {
    app.lockRequested = true;
    return app.lockAvailable;
  },
  quit(): void {
    app.quitCount++;
  },
  whenReady(): Promise<void> {
    return ready;
  },
  isReady(): boolean {
    return app.isReadyNow;
  },
  getPath(name: string): string {
    const found = app.paths[name];
    if (!found) throw new Error(`The test gave no path for ${name}`);
    return found;
  },
  /** Electron is ready: `whenReady` resolves. */
  becomeReady(): void {
    app.isReadyNow = true;
    resolveReady();
  },
});

export interface PrivilegedScheme {
  scheme: string;
  privileges: Record<string, boolean>;
}

export const protocol = {
  privileged: [] as PrivilegedScheme[],
  /** Whether the app was ready when the schemes were registered (it must not be). */
  registeredWhenReady: null as boolean | null,
  handlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: PrivilegedScheme[]): void {
    protocol.registeredWhenReady = app.isReadyNow;
    protocol.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    protocol.handlers.set(scheme, handler);
  },
  /** What the renderer gets for `url`. */
  fetch(url: string, method = 'GET'): Promise<Response> {
    const scheme = url.slice(0, url.indexOf(':'));
    const handler = protocol.handlers.get(scheme);
    if (!handler) throw new Error(`No handler for ${scheme}:`);
    return Promise.resolve(handler({ url, method } as Request));
  },
};

export const session = { defaultSession: new FakeSession() };

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;
export const ipcMain = {
  handlers: new Map<string, InvokeHandler>(),
  handle(channel: string, handler: InvokeHandler): void {
    ipcMain.handlers.set(channel, handler);
  },
  /** An invoke from `contents`, sent by `frame`. */
  invoke(channel: string, sender: FakeWebContents, frame: FakeFrame | null, ...args: unknown[]): Promise<unknown> {
    const handler = ipcMain.handlers.get(channel);
    if (!handler) throw new Error(`Nothing handles ${channel}`);
    return Promise.resolve(handler({ sender, senderFrame: frame }, ...args));
  },
};

export interface MessageBoxCall {
  options: Record<string, unknown> & { signal?: AbortSignal };
}

export const dialog = {
  messageBoxes: [] as MessageBoxCall[],
  /** The button the next question is answered with. */
  answer: 0,
  openResult: { canceled: true, filePaths: [] as string[] },
  openCalls: [] as Record<string, unknown>[],
  saveResult: { canceled: true, filePath: '' },
  showMessageBox(...args: unknown[]): Promise<{ response: number }> {
    const options = args[args.length - 1] as MessageBoxCall['options'];
    dialog.messageBoxes.push({ options });
    return Promise.resolve({ response: dialog.answer });
  },
  showMessageBoxSync(...args: unknown[]): number {
    dialog.messageBoxes.push({ options: args[args.length - 1] as MessageBoxCall['options'] });
    return dialog.answer;
  },
  showOpenDialog(...args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> {
    dialog.openCalls.push(args[args.length - 1] as Record<string, unknown>);
    return Promise.resolve(dialog.openResult);
  },
  showSaveDialog(): Promise<{ canceled: boolean; filePath: string }> {
    return Promise.resolve(dialog.saveResult);
  },
};

export const Menu = {
  application: null as unknown,
  buildFromTemplate: (template: unknown) => template,
  setApplicationMenu(menu: unknown): void {
    Menu.application = menu;
  },
};

export const screen = {
  displays: [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] as { workArea: Rect }[],
  getPrimaryDisplay(): { workArea: Rect } {
    return screen.displays[0]!;
  },
  /** As Electron: the display the rectangle overlaps most, else the nearest. */
  getDisplayMatching(rect: Rect): { workArea: Rect } {
    const overlap = (a: Rect) => Math.max(0, Math.min(a.x + a.width, rect.x + rect.width) - Math.max(a.x, rect.x)) * Math.max(0, Math.min(a.y + a.height, rect.y + rect.height) - Math.max(a.y, rect.y));
    const distance = (a: Rect) => Math.hypot(a.x + a.width / 2 - (rect.x + rect.width / 2), a.y + a.height / 2 - (rect.y + rect.height / 2));
    return [...screen.displays].sort((a, b) => overlap(b.workArea) - overlap(a.workArea) || distance(a.workArea) - distance(b.workArea))[0]!;
  },
};

export const utilityProcess = {
  forks: [] as { modulePath: string; args: string[]; options: Record<string, unknown> }[],
  fork(modulePath: string, args: string[], options: Record<string, unknown>): EventEmitter & { pid: number; stderr: EventEmitter; postMessage(m: unknown): void; kill(): boolean } {
    utilityProcess.forks.push({ modulePath, args, options });
    return Object.assign(new EventEmitter(), { pid: 1, stderr: new EventEmitter(), postMessage: () => undefined, kill: () => true });
  },
};

export const contextBridge = {
  exposed: {} as Record<string, unknown>,
  exposeInMainWorld(key: string, api: unknown): void {
    contextBridge.exposed[key] = api;
  },
};

export const ipcRenderer = Object.assign(new EventEmitter(), {
  invoked: [] as unknown[][],
  /** What the main process answers. */
  reply: { ok: true, value: null } as unknown,
  invoke(...args: unknown[]): Promise<unknown> {
    ipcRenderer.invoked.push(args);
    return Promise.resolve(ipcRenderer.reply);
  },
});

/** Back to a fresh Electron, before each test that needs one. */
export function resetDouble(): void {
  BrowserWindow.windows = [];
  BrowserWindow.focused = null;
  app.removeAllListeners();
  Object.assign(app, { sandboxed: false, isReadyNow: false, lockAvailable: true, lockRequested: false, quitCount: 0, paths: {} });
  ready = new Promise<void>((resolve) => (resolveReady = resolve));
  protocol.privileged = [];
  protocol.registeredWhenReady = null;
  protocol.handlers.clear();
  session.defaultSession = new FakeSession();
  ipcMain.handlers.clear();
  Object.assign(dialog, { messageBoxes: [], answer: 0, openResult: { canceled: true, filePaths: [] }, openCalls: [], saveResult: { canceled: true, filePath: '' } });
  Menu.application = null;
  screen.displays = [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }];
  utilityProcess.forks = [];
  contextBridge.exposed = {};
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoked = [];
  ipcRenderer.reply = { ok: true, value: null };
}

export default { app, BrowserWindow, protocol, session, ipcMain, dialog, Menu, screen, utilityProcess, contextBridge, ipcRenderer };

/** A double where the shell's code expects the Electron object it stands for. */
export const asElectron = <T>(double: unknown): T => double as T;
