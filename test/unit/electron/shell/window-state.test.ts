import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { asElectron, BrowserWindow, resetDouble, screen } from './electron-double.js';
import { DEFAULT_WINDOW_STATE, fitToScreen, keepWindowState, readWindowState } from '../../../../electron/shell/window-state.js';

vi.mock('electron', () => import('./electron-double.js'));

let dir: string;
beforeEach(async () => {
  resetDouble();
  dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-window-state-'));
});

describe('the window state', () => {
  it('is saved as the window moves, resizes and maximizes, and read back', async () => {
    const file = path.join(dir, 'window-state.json');
    const win = new BrowserWindow({ width: 1000, height: 700 });
    const kept = keepWindowState(asElectron(win), file);
    win.setBounds({ x: 40, y: 60, width: 1200, height: 800 });
    await kept.flush();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ x: 40, y: 60, width: 1200, height: 800, maximized: false });
    win.maximize();
    await kept.flush();
    // Maximized: the size to come back to when it is restored, and that it was maximized.
    expect(await readWindowState(file)).toEqual({ x: 40, y: 60, width: 1200, height: 800, maximized: true });
  });

  it('is saved when the window closes', async () => {
    const file = path.join(dir, 'window-state.json');
    const win = new BrowserWindow();
    const kept = keepWindowState(asElectron(win), file);
    win.bounds = { x: 5, y: 6, width: 900, height: 650 };
    win.close();
    await kept.flush();
    expect(await readWindowState(file)).toEqual({ x: 5, y: 6, width: 900, height: 650, maximized: false });
  });

  it('falls back to the default size when the file is missing, damaged or not a state', async () => {
    expect(await readWindowState(path.join(dir, 'none.json'))).toEqual(DEFAULT_WINDOW_STATE);
    await writeFile(path.join(dir, 'bad.json'), '{"width": 10');
    expect(await readWindowState(path.join(dir, 'bad.json'))).toEqual(DEFAULT_WINDOW_STATE);
    await writeFile(path.join(dir, 'odd.json'), '{"width": "wide", "height": null}');
    expect(await readWindowState(path.join(dir, 'odd.json'))).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('is moved into view when no display shows it any more, and shrunk to fit', () => {
    screen.displays = [{ workArea: { x: 0, y: 25, width: 1440, height: 875 } }];
    // Left on a second display that is gone.
    expect(fitToScreen({ x: 2500, y: 300, width: 1200, height: 800, maximized: false })).toEqual({ x: 240, y: 100, width: 1200, height: 800, maximized: false });
    expect(fitToScreen({ x: -3000, y: -200, width: 3000, height: 2000, maximized: true })).toEqual({ x: 0, y: 25, width: 1440, height: 875, maximized: true });
    // Half off the bottom of the screen.
    expect(fitToScreen({ x: 100, y: 700, width: 1000, height: 700, maximized: false })).toMatchObject({ x: 100, y: 200 });
  });

  it('stays where it was on a second display that is still there', () => {
    screen.displays = [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }, { workArea: { x: 1920, y: 0, width: 2560, height: 1440 } }];
    expect(fitToScreen({ x: 2200, y: 100, width: 1600, height: 1000, maximized: false })).toEqual({ x: 2200, y: 100, width: 1600, height: 1000, maximized: false });
  });
});
