import { beforeEach, describe, expect, it, vi } from 'vitest';
import { app, asElectron, BrowserWindow, FakeEvent, FakeSession, resetDouble, session } from './electron-double.js';
import { APP_PAGE } from '../../../../electron/shell/protocol.js';
import { guardWebContents, installSecurity, secureDefaultSession, securePermissions } from '../../../../electron/shell/security.js';

vi.mock('electron', () => import('./electron-double.js'));

beforeEach(resetDouble);

const navigate = (contents: BrowserWindow['webContents'], name: string, url: string) => {
  const event = new FakeEvent({ url });
  contents.emit(name, event, url);
  return event.defaultPrevented;
};

describe('the app-wide guard', () => {
  it('sandboxes every renderer and guards every web contents created, not only the window', () => {
    installSecurity();
    expect(app.sandboxed).toBe(true);
    const contents = new BrowserWindow().webContents;
    expect(navigate(contents, 'will-navigate', 'https://example.com/')).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('lets a web contents navigate and redirect only to the app page', () => {
    installSecurity();
    const contents = new BrowserWindow().webContents;
    for (const name of ['will-navigate', 'will-redirect']) {
      for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://netcanvas/crashed.html', 'app://other/index.html', 'javascript:alert(1)']) {
        expect(navigate(contents, name, url), `${name} ${url}`).toBe(true);
      }
      expect(navigate(contents, name, APP_PAGE), name).toBe(false);
    }
  });

  it('refuses every new window and every webview', () => {
    installSecurity();
    const contents = new BrowserWindow().webContents;
    expect(contents.windowOpenHandler!({ url: APP_PAGE })).toEqual({ action: 'deny' });
    const attach = new FakeEvent();
    contents.emit('will-attach-webview', attach, {}, {});
    expect(attach.defaultPrevented).toBe(true);
  });
});

describe('permissions', () => {
  it('are denied, requested or checked, on the default session and on any session a web contents uses', async () => {
    secureDefaultSession();
    const other = new FakeSession();
    const contents = new BrowserWindow().webContents;
    contents.session = other;
    guardWebContents(asElectron(contents));
    for (const ses of [session.defaultSession, other]) {
      for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'fullscreen', 'pointerLock', 'hid', 'serial', 'usb', 'unknown']) {
        expect(await ses.request(permission, APP_PAGE), permission).toBe(false);
        expect(ses.checkHandler!(null, permission, 'app://netcanvas', { requestingUrl: APP_PAGE, isMainFrame: true }), permission).toBe(false);
      }
      expect(ses.deviceHandler!({})).toBe(false);
    }
  });

  it('allow only the clipboard as text, only to the app page in its top frame', async () => {
    const ses = new FakeSession();
    securePermissions(asElectron(ses));
    expect(await ses.request('clipboard-sanitized-write', APP_PAGE)).toBe(true);
    expect(await ses.request('clipboard-read', APP_PAGE)).toBe(true);
    expect(await ses.request('clipboard-read', 'https://example.com/')).toBe(false);
    expect(await ses.request('clipboard-read', 'app://netcanvas/crashed.html')).toBe(false);
    expect(await ses.request('clipboard-read', APP_PAGE, false)).toBe(false);
    expect(ses.checkHandler!(null, 'clipboard-read', 'app://netcanvas', { isMainFrame: true })).toBe(false);
    expect(ses.checkHandler!(null, 'clipboard-sanitized-write', 'app://netcanvas', { requestingUrl: APP_PAGE, isMainFrame: true })).toBe(true);
  });
});
