import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { asElectron, dialog, FakeEvent, protocol, resetDouble, screen, type BrowserWindow } from './electron-double.js';
import { IPC_CHANNELS, type ApiEvent } from '../../../../shared/api/contract.js';
import { APP_PAGE, handleAppProtocol } from '../../../../electron/shell/protocol.js';
import { installSecurity } from '../../../../electron/shell/security.js';
import { createAppWindow, sendToPage } from '../../../../electron/shell/window.js';

vi.mock('electron', () => import('./electron-double.js'));

let dir: string;
let listeners: ((event: ApiEvent) => void)[];
const backend = {
  subscribe: (listener: (event: ApiEvent) => void) => {
    listeners.push(listener);
    return () => (listeners = listeners.filter((l) => l !== listener));
  },
};

beforeEach(async () => {
  resetDouble();
  listeners = [];
  dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-window-'));
});

async function open() {
  const made = await createAppWindow({ backend, preload: '/app/dist/electron/preload.cjs', stateFile: path.join(dir, 'window-state.json') });
  await made.loaded;
  return { ...made, win: made.win as unknown as BrowserWindow };
}

describe('the window', () => {
  it('isolates and sandboxes its page, with only the preload between it and the app', async () => {
    const { win } = await open();
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(win.webContents.loaded).toEqual([APP_PAGE]);
  });

  it('passes the Backend’s events to the page until it closes', async () => {
    const { win } = await open();
    const event: ApiEvent = { topic: 'training', event: { type: 'paused', runId: 'r', paused: true } };
    listeners.forEach((l) => l(event));
    win.close();
    expect(listeners).toEqual([]);
    expect(win.webContents.sent).toEqual([[IPC_CHANNELS.event, event]]);
  });

  it('sends the page an event only once it has loaded', async () => {
    const { win } = await open();
    win.webContents.loading = true;
    sendToPage(asElectron(win), { topic: 'open-file', path: '/a.json' });
    expect(win.webContents.sent).toEqual([]);
    win.webContents.loading = false;
    win.webContents.emit('did-finish-load');
    expect(win.webContents.sent).toEqual([[IPC_CHANNELS.event, { topic: 'open-file', path: '/a.json' }]]);
  });

  it('asks natively before closing over unsaved changes, and closes only when told to', async () => {
    const { win } = await open();
    dialog.answer = 1;
    const kept = new FakeEvent();
    win.webContents.emit('will-prevent-unload', kept);
    expect(kept.defaultPrevented).toBe(false);
    dialog.answer = 0;
    const closed = new FakeEvent();
    win.webContents.emit('will-prevent-unload', closed);
    expect(closed.defaultPrevented).toBe(true);
    expect(dialog.messageBoxes[0]!.options.message).toMatch(/not saved/);
  });

  it('opens where it was closed, maximized if it was, moved into view if its display is gone', async () => {
    await writeFile(path.join(dir, 'window-state.json'), JSON.stringify({ x: 300, y: 200, width: 1000, height: 700, maximized: true }));
    const first = await open();
    expect(first.win.options).toMatchObject({ x: 300, y: 200, width: 1000, height: 700 });
    expect(first.win.maximized).toBe(true);
    await writeFile(path.join(dir, 'window-state.json'), JSON.stringify({ x: 4000, y: 200, width: 1000, height: 700, maximized: false }));
    screen.displays = [{ workArea: { x: 0, y: 0, width: 1280, height: 800 } }];
    const second = await open();
    expect(second.win.options).toMatchObject({ x: 280, y: 100, width: 1000, height: 700 });
    expect(second.win.maximized).toBe(false);
  });

  it('remembers where it was closed for the next start', async () => {
    const { win, state } = await open();
    win.setBounds({ x: 12, y: 34, width: 1111, height: 777 });
    win.close();
    await state.flush();
    const next = await open();
    expect(next.win.options).toMatchObject({ x: 12, y: 34, width: 1111, height: 777 });
  });
});

describe('a renderer that crashes or hangs', () => {
  it('leaves a page that says what happened, with a Reload back to the app page the window may open', async () => {
    installSecurity();
    handleAppProtocol(dir);
    const { win } = await open();
    win.webContents.emit('render-process-gone', new FakeEvent(), { reason: 'oom', exitCode: 1 });
    const shown = win.webContents.loaded.at(-1)!;
    expect(shown).toBe('app://netcanvas/crashed.html?reason=oom');
    const page = await (await protocol.fetch(shown)).text();
    expect(page).toContain('ran out of memory');
    expect(page).toContain('recovery copy');
    const reload = /<a class="reload" href="([^"]+)"[^>]*>Reload<\/a>/.exec(page);
    expect(reload).not.toBeNull();
    const target = new URL(reload![1]!, shown).href;
    expect(target).toBe(APP_PAGE);
    const navigation = new FakeEvent({ url: target });
    win.webContents.emit('will-navigate', navigation, target);
    expect(navigation.defaultPrevented).toBe(false);
  });

  it('says a crash in words for each reason, and leaves a clean exit alone', async () => {
    handleAppProtocol(dir);
    const { win } = await open();
    win.webContents.emit('render-process-gone', new FakeEvent(), { reason: 'clean-exit', exitCode: 0 });
    expect(win.webContents.loaded).toEqual([APP_PAGE]);
    win.webContents.emit('render-process-gone', new FakeEvent(), { reason: 'crashed', exitCode: 11 });
    expect(await (await protocol.fetch(win.webContents.loaded.at(-1)!)).text()).toContain('The NetCanvas window crashed.');
    // The crash page itself gone: no loop of reloading it.
    win.webContents.emit('render-process-gone', new FakeEvent(), { reason: 'launch-failed', exitCode: 1 });
    expect(win.webContents.loaded).toHaveLength(2);
  });

  it('asks whether to wait for a window that stopped responding; stopping it shows the reload page', async () => {
    handleAppProtocol(dir);
    const { win } = await open();
    dialog.answer = 0;
    win.webContents.emit('unresponsive');
    await vi.waitFor(() => expect(dialog.messageBoxes).toHaveLength(1));
    expect(dialog.messageBoxes[0]!.options.message).toMatch(/not responding/);
    expect(win.webContents.loaded).toEqual([APP_PAGE]);
    dialog.answer = 1;
    win.webContents.emit('unresponsive');
    await vi.waitFor(() => expect(win.webContents.loaded).toHaveLength(2));
    const shown = win.webContents.loaded.at(-1)!;
    expect(shown).toBe('app://netcanvas/crashed.html?reason=unresponsive');
    expect(await (await protocol.fetch(shown)).text()).toContain('stopped responding');
  });

  it('takes the question back when the window answers again', async () => {
    const { win } = await open();
    win.webContents.emit('unresponsive');
    const signal = dialog.messageBoxes[0]!.options.signal!;
    expect(signal.aborted).toBe(false);
    win.webContents.emit('responsive');
    expect(signal.aborted).toBe(true);
  });
});
