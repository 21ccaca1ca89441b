/**
 * What no page in the app may do, whatever it is: ask for permissions, navigate away, open
 * windows or attach webviews. Set on every session and every web contents as they appear.
 */
import { app, session, type Session, type WebContents } from 'electron';
import { isAppPage } from './protocol.js';

/**
 * Writing and reading the clipboard as text is what the app's own page does for Copy and
 * Paste of layers from the menus and the palette; everything else, and any other page, is refused.
 */
const APP_PAGE_PERMISSIONS = new Set(['clipboard-sanitized-write', 'clipboard-read']);

/** Whether a permission is granted: only the clipboard, only to the app's own top-level page. */
export function permissionAllowed(permission: string, requestingUrl: string | undefined, isMainFrame: boolean): boolean {
  return APP_PAGE_PERMISSIONS.has(permission) && isMainFrame && isAppPage(requestingUrl);
}

const secured = new WeakSet<Session>();

/** Permission requests and checks answered no (but the app page's clipboard); devices never offered. */
export function securePermissions(ses: Session): void {
  if (secured.has(ses)) return;
  secured.add(ses);
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionAllowed(permission, details.requestingUrl, details.isMainFrame));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    // A check without the frame's address names only an origin, which is not the app's page.
    return permissionAllowed(permission, details.requestingUrl ?? requestingOrigin, details.isMainFrame);
  });
  ses.setDevicePermissionHandler(() => false);
}

/** A navigation or redirect anywhere but the app's own page is stopped. */
function stayOnAppPage(event: { url: string; preventDefault(): void }): void {
  if (!isAppPage(event.url)) event.preventDefault();
}

/** Navigation is allowed only to the app's own page (the crash page's Reload link goes there). */
export function guardWebContents(contents: WebContents): void {
  securePermissions(contents.session);
  contents.on('will-navigate', stayOnAppPage);
  contents.on('will-redirect', stayOnAppPage);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Before ready: every renderer sandboxed, every web contents guarded as it is created. */
export function installSecurity(): void {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
}

/** Once ready: the default session, which the window uses. */
export function secureDefaultSession(): void {
  securePermissions(session.defaultSession);
}
