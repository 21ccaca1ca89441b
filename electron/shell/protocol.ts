/**
 * The renderer is served from `app://netcanvas/`, a privileged scheme of the app's own: a
 * real origin (so ES modules, storage and the CSP work as on the web) that reaches the built
 * renderer folder and nothing else.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { protocol } from 'electron';
import { crashPageHtml } from './crash-page.js';
import { contentType } from '../files/content-types.js';
import { isInside } from '../files/inside.js';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://netcanvas';
/** The one page that may use the Backend and that the window may navigate to. */
export const APP_PAGE = `${APP_ORIGIN}/index.html`;
export const CRASH_PAGE = `${APP_ORIGIN}/crashed.html`;

/**
 * The renderer needs no eval, no WebAssembly (training runs in the Trainer process), no
 * frames and no network: the desktop window reaches the Backend over IPC. Inline styles stay
 * allowed, as in browser mode: a style cannot run code, and one blocked would break the layout.
 */
function securityHeaders(contentType: string): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': contentType, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' };
  headers['Content-Security-Policy'] =
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
  return headers;
}

/** Must run before the app is ready: the scheme's privileges are fixed at start. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

/** Serves app:// from `rendererDir`; call once the app is ready. */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(rendererDir, request.url, request.method));
}

/** Whether `url` is the app's own page, whatever its query or fragment. */
export function isAppPage(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'netcanvas' && parsed.pathname === '/index.html';
  } catch {
    return false;
  }
}

function plain(status: number, text: string): Response {
  return new Response(`${text}\n`, { status, headers: securityHeaders('text/plain; charset=utf-8') });
}

/**
 * The response to one app:// request: a file of `rendererDir` (never one outside it, through
 * `..`, escapes or links), the crash page, 400 for a path that does not decode, else 404.
 */
export async function appResponse(rendererDir: string, url: string, method = 'GET'): Promise<Response> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return plain(400, `${url} is not a URL.`);
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== 'netcanvas') return plain(404, `${url} is not part of NetCanvas.`);
  if (method !== 'GET' && method !== 'HEAD') return plain(405, `NetCanvas's pages are only read (GET), not ${method}.`);
  let decoded: string;
  try {
    decoded = decodeURIComponent(parsed.pathname);
  } catch {
    return plain(400, `The path ${parsed.pathname} has a broken %-escape.`);
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return plain(400, `The path ${parsed.pathname} holds a character no file name of NetCanvas has.`);
  if (decoded === '/crashed.html') {
    return new Response(crashPageHtml(parsed.searchParams.get('reason')), { headers: securityHeaders(contentType('crashed.html')) });
  }
  const root = path.resolve(rendererDir);
  const target = path.resolve(root, `.${decoded === '/' ? '/index.html' : decoded}`);
  const missing = () => plain(404, `NetCanvas has no file ${decoded}.`);
  if (!isInside(root, target)) return missing();
  try {
    // A link inside the folder could point anywhere: what is served is the real path, and it must be inside too.
    const real = await realpath(target);
    if (!isInside(await realpath(root), real) || !(await stat(real)).isFile()) return missing();
    const body = method === 'HEAD' ? null : await readFile(real);
    return new Response(body, { headers: securityHeaders(contentType(real)) });
  } catch {
    return missing();
  }
}
