import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { dialog, resetDouble } from './electron-double.js';
import { nativeDialogs } from '../../../../electron/shell/dialogs.js';

vi.mock('electron', () => import('./electron-double.js'));

beforeEach(resetDouble);

describe('the native dialogs', () => {
  it('choose a dataset’s folder or file, starting where asked', async () => {
    const dialogs = nativeDialogs('/home/a/NetCanvas');
    dialog.openResult = { canceled: false, filePaths: ['/data/digits'] };
    expect(await dialogs.chooseData!('folder', '/data')).toBe('/data/digits');
    expect(dialog.openCalls[0]).toMatchObject({ properties: ['openDirectory'], defaultPath: '/data', title: expect.stringContaining('folder') });
    dialog.openResult = { canceled: false, filePaths: ['/data/iris.csv'] };
    expect(await dialogs.chooseData!('file')).toBe('/data/iris.csv');
    expect(dialog.openCalls[1]).toMatchObject({ properties: ['openFile'] });
    expect(dialog.openCalls[1]).not.toHaveProperty('defaultPath');
    dialog.openResult = { canceled: true, filePaths: [] };
    expect(await dialogs.chooseData!('file')).toBeNull();
  });

  it('choose the folder to export a run into, offering a new one in the projects folder', async () => {
    const dialogs = nativeDialogs('/home/a/NetCanvas');
    dialog.openResult = { canceled: false, filePaths: ['/home/a/exports/net'] };
    expect(await dialogs.chooseExportFolder!('net-run-1-pytorch')).toBe('/home/a/exports/net');
    expect(dialog.openCalls[0]).toMatchObject({ defaultPath: path.join('/home/a/NetCanvas', 'net-run-1-pytorch'), properties: expect.arrayContaining(['openDirectory', 'createDirectory']) });
    dialog.openResult = { canceled: true, filePaths: [] };
    expect(await dialogs.chooseExportFolder!('net-run-1-pytorch')).toBeNull();
  });

  it('open a project file from the projects folder', async () => {
    dialog.openResult = { canceled: false, filePaths: ['/home/a/NetCanvas/net.netcanvas.json'] };
    expect(await nativeDialogs('/home/a/NetCanvas').open()).toBe('/home/a/NetCanvas/net.netcanvas.json');
    expect(dialog.openCalls[0]).toMatchObject({ defaultPath: '/home/a/NetCanvas', properties: ['openFile'] });
  });

  it('save with the extension added, asking before replacing a file of that name', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-dialogs-'));
    const dialogs = nativeDialogs(dir);
    dialog.saveResult = { canceled: false, filePath: path.join(dir, 'mine') };
    expect(await dialogs.save('mine.netcanvas.json')).toBe(path.join(dir, 'mine.netcanvas.json'));
    expect(dialog.messageBoxes).toEqual([]);
    await writeFile(path.join(dir, 'mine.netcanvas.json'), '{}');
    dialog.answer = 1;
    expect(await dialogs.save('mine.netcanvas.json')).toBeNull();
    expect(dialog.messageBoxes[0]!.options.message).toMatch(/mine\.netcanvas\.json exists already/);
    dialog.saveResult = { canceled: true, filePath: '' };
    expect(await dialogs.save('x.netcanvas.json')).toBeNull();
  });
});
