import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { app, BrowserWindow, resetDouble } from './electron-double.js';

vi.mock('electron', () => import('./electron-double.js'));

const argv = process.argv;
beforeAll(async () => {
  resetDouble();
  app.lockAvailable = false;
  process.argv = ['/opt/NetCanvas/netcanvas', '/home/a/net.netcanvas.json'];
  await import('../../../../electron/main.js');
});
afterAll(() => {
  process.argv = argv;
});

describe('a second NetCanvas', () => {
  it('quits at once, its file left to the first (which hears of it as a second instance), and opens no window', async () => {
    expect(app.lockRequested).toBe(true);
    expect(app.quitCount).toBe(1);
    app.becomeReady();
    await Promise.resolve();
    expect(BrowserWindow.windows).toEqual([]);
    expect(app.listenerCount('second-instance')).toBe(0);
  });
});
