import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { app, BrowserWindow, FakeEvent, FakeFrame, ipcMain, Menu, protocol, resetDouble, session } from './electron-double.js';
import { project } from '../../../fixtures/graphs.js';
import { IPC_CHANNELS } from '../../../../shared/api/contract.js';
import { APP_PAGE } from '../../../../electron/shell/protocol.js';
import type { MenuItemTemplate } from '../../../../electron/menu.js';

vi.mock('electron', () => import('./electron-double.js'));

const argv = process.argv;
let dir: string;
let elsewhere: string;
const file = (name: string) => path.join(elsewhere, name);

beforeAll(async () => {
  resetDouble();
  dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-main-'));
  elsewhere = path.join(dir, 'elsewhere');
  await mkdir(elsewhere);
  for (const name of ['first.netcanvas.json', 'second.netcanvas.json', 'never-given.netcanvas.json']) {
    await writeFile(file(name), JSON.stringify({ ...project(), name }));
  }
  app.paths = { userData: path.join(dir, 'user'), documents: path.join(dir, 'documents') };
  // Launched from the file manager with a project file.
  process.argv = ['/opt/NetCanvas/netcanvas', file('first.netcanvas.json')];
  await import('../../../../electron/main.js');
});
afterAll(() => {
  process.argv = argv;
});

const win = () => BrowserWindow.windows[0]!;
const openEvents = () => win().webContents.sent.filter(([, e]) => (e as { topic: string }).topic === 'open-file').map(([, e]) => (e as { path: string }).path);
const request = (method: string, params: unknown) => ipcMain.invoke(IPC_CHANNELS.request, win().webContents, new FakeFrame(APP_PAGE), method, params);

describe('the desktop shell, wired', () => {
  it('before the app is ready: sandboxes every renderer, guards every web contents, registers app:// and takes the single-instance lock', () => {
    expect(app.sandboxed).toBe(true);
    expect(app.listenerCount('web-contents-created')).toBe(1);
    expect(protocol.privileged.map((s) => s.scheme)).toEqual(['app']);
    expect(protocol.registeredWhenReady).toBe(false);
    expect(app.lockRequested).toBe(true);
    expect(BrowserWindow.windows).toEqual([]);
  });

  it('once ready: one window on the app page, served by app:// with its CSP, the default session denying permissions', async () => {
    app.becomeReady();
    await vi.waitFor(() => expect(openEvents()).toHaveLength(1));
    expect(BrowserWindow.windows).toHaveLength(1);
    expect(win().webContents.loaded).toEqual([APP_PAGE]);
    const page = await protocol.fetch(APP_PAGE);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await session.defaultSession.request('media', APP_PAGE)).toBe(false);
    expect(await request('ping', {})).toMatchObject({ ok: true });
  });

  it('opens the file it was launched with, which the Backend then allows as if chosen in a dialog', async () => {
    expect(openEvents()).toEqual([file('first.netcanvas.json')]);
    expect(await request('projects.open', { path: file('first.netcanvas.json') })).toMatchObject({ ok: true, value: { project: { name: 'first.netcanvas.json' } } });
    expect(await request('projects.open', { path: file('never-given.netcanvas.json') })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('brings its window to the front when launched again, and opens the file the second launch was given', async () => {
    win().minimized = true;
    app.emit('second-instance', new FakeEvent(), ['/opt/NetCanvas/netcanvas', 'second.netcanvas.json'], elsewhere);
    await vi.waitFor(() => expect(openEvents()).toHaveLength(2));
    expect(win().focusCount).toBeGreaterThan(0);
    expect(win().minimized).toBe(false);
    expect(openEvents()[1]).toBe(file('second.netcanvas.json'));
    expect(await request('projects.open', { path: file('second.netcanvas.json') })).toMatchObject({ ok: true });
    expect(BrowserWindow.windows).toHaveLength(1);
  });

  it('sends a menu’s command to the window', () => {
    const menus = Menu.application as MenuItemTemplate[];
    const save = menus.find((m) => m.label === 'File')!.submenu!.find((i) => i.label === 'Save')!;
    save.click!(null, null, { triggeredByAccelerator: false });
    expect(win().webContents.sent.at(-1)).toEqual([IPC_CHANNELS.event, { topic: 'command', command: 'file.save', byKeys: false }]);
  });

  it('writes the window’s place before quitting, then quits', async () => {
    win().setBounds({ x: 10, y: 20, width: 1300, height: 850 });
    const quitting = new FakeEvent();
    app.emit('will-quit', quitting);
    expect(quitting.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(app.quitCount).toBe(1));
    expect(existsSync(path.join(dir, 'user', 'window-state.json'))).toBe(true);
    const again = new FakeEvent();
    app.emit('will-quit', again);
    expect(again.defaultPrevented).toBe(false);
  });
});
