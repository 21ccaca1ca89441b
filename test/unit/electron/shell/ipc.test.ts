import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeFrame, FakeWebContents, FakeSession, ipcMain, resetDouble } from './electron-double.js';
import { project } from '../../../fixtures/graphs.js';
import { IPC_CHANNELS } from '../../../../shared/api/contract.js';
import { Backend } from '../../../../electron/backend/backend.js';
import { installIpc } from '../../../../electron/shell/ipc.js';
import { APP_PAGE } from '../../../../electron/shell/protocol.js';

vi.mock('electron', () => import('./electron-double.js'));

let projectsDir: string;
let backend: Backend;
let contents: FakeWebContents;
beforeEach(async () => {
  resetDouble();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-ipc-'));
  projectsDir = path.join(dir, 'projects');
  backend = new Backend({ launcher: () => expect.fail('no trainer may start'), projectsDir, stateDir: path.join(dir, 'state'), runsDir: path.join(dir, 'runs') });
  installIpc(backend);
  contents = new FakeWebContents(new FakeSession());
});

const appFrame = () => new FakeFrame(APP_PAGE);
const request = (frame: FakeFrame | null, method: unknown, params: unknown) => ipcMain.invoke(IPC_CHANNELS.request, contents, frame, method, params);
const saved = async () => readdir(projectsDir).catch(() => []);
const saveAs = { project: project(), fileName: 'mine' };

describe('the Backend over IPC', () => {
  it('answers the app page', async () => {
    expect(await request(appFrame(), 'projects.saveAs', saveAs)).toMatchObject({ ok: true, value: { file: { fileName: 'mine.netcanvas.json' } } });
    expect(await saved()).toEqual(['mine.netcanvas.json']);
  });

  it('refuses any other page or frame, and the Backend is not asked', async () => {
    const dispatch = vi.spyOn(backend, 'dispatch');
    for (const frame of [
      new FakeFrame('https://example.com/'),
      new FakeFrame('app://netcanvas/crashed.html'),
      new FakeFrame('file:///work/dist/renderer/index.html'),
      new FakeFrame(APP_PAGE, new FakeFrame('https://example.com/')),
      null,
    ]) {
      expect(await request(frame, 'projects.saveAs', saveAs), frame?.url).toEqual({ ok: false, error: { code: 'INVALID_REQUEST', message: 'Requests are accepted only from the NetCanvas window.' } });
    }
    expect(dispatch).not.toHaveBeenCalled();
    expect(await saved()).toEqual([]);
  });

  it('refuses a method the contract does not have without asking the Backend', async () => {
    const dispatch = vi.spyOn(backend, 'dispatch');
    for (const method of ['shell.openExternal', 'constructor', 42, null]) {
      expect(await request(appFrame(), method, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('refuses params that do not fit the contract, saying what is wrong, and writes nothing', async () => {
    const wrong = await request(appFrame(), 'projects.saveAs', { project: { ...project(), graph: 'none' }, fileName: 'mine' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('projects.saveAs') } });
    expect(await request(appFrame(), 'projects.saveAs', { ...saveAs, extra: true })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await request(appFrame(), 'projects.saveAs', 'mine')).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await saved()).toEqual([]);
  });
});

describe('text edits over IPC', () => {
  it('are done for the app page, only those the contract names', async () => {
    for (const action of ['copy', 'reload', 'executeJavaScript', 'close', 42]) await ipcMain.invoke(IPC_CHANNELS.edit, contents, appFrame(), action);
    expect(contents.edits).toEqual(['copy']);
  });

  it('are refused to any other page or frame', async () => {
    await ipcMain.invoke(IPC_CHANNELS.edit, contents, new FakeFrame('https://example.com/'), 'paste');
    await ipcMain.invoke(IPC_CHANNELS.edit, contents, new FakeFrame(APP_PAGE, appFrame()), 'paste');
    await ipcMain.invoke(IPC_CHANNELS.edit, contents, null, 'paste');
    expect(contents.edits).toEqual([]);
  });
});
