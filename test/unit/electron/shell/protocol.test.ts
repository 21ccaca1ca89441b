import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { protocol, resetDouble } from './electron-double.js';
import { APP_PAGE, appResponse, handleAppProtocol, isAppPage, registerAppScheme } from '../../../../electron/shell/protocol.js';

vi.mock('electron', () => import('./electron-double.js'));

let base: string;
let root: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-protocol-'));
  root = path.join(base, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><script type="module" crossorigin src="./assets/index-abc.js"></script>');
  await writeFile(path.join(root, 'assets', 'index-abc.js'), 'console.log("app")');
  await writeFile(path.join(base, 'secret.txt'), 'the secret outside the renderer folder');
  await symlink(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
});
beforeEach(resetDouble);

const csp = (response: Response) =>
  new Map(
    (response.headers.get('content-security-policy') ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );

describe('the app:// protocol', () => {
  it('is registered privileged as a standard, secure scheme, and handled by the renderer folder', async () => {
    registerAppScheme();
    expect(protocol.privileged).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    handleAppProtocol(root);
    const page = await protocol.fetch(APP_PAGE);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('index-abc.js');
  });

  it('serves the built page and its assets with their types, the page also at /', async () => {
    const script = await appResponse(root, new URL('./assets/index-abc.js', APP_PAGE).href);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toBe('console.log("app")');
    expect(await (await appResponse(root, 'app://netcanvas/')).text()).toContain('<!doctype html>');
  });

  it('sends a strict Content-Security-Policy with every response', async () => {
    for (const url of [APP_PAGE, 'app://netcanvas/assets/index-abc.js', 'app://netcanvas/missing.js', 'app://netcanvas/crashed.html?reason=oom']) {
      const policy = csp(await appResponse(root, url));
      expect(policy.get('default-src'), url).toEqual(["'none'"]);
      expect(policy.get('script-src'), url).toEqual(["'self'"]);
      expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
      expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
      expect(policy.get('connect-src')).toEqual(["'self'"]);
      for (const directive of ['object-src', 'base-uri', 'frame-ancestors', 'form-action']) expect(policy.get(directive), directive).toEqual(["'none'"]);
    }
    expect((await appResponse(root, APP_PAGE)).headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('never serves a file outside the renderer folder, however the path is written', async () => {
    for (const url of [
      'app://netcanvas/../../etc/passwd',
      'app://netcanvas/../secret.txt',
      'app://netcanvas/..%2fsecret.txt',
      'app://netcanvas/%2e%2e/secret.txt',
      'app://netcanvas/%2e%2e%2fsecret.txt',
      'app://netcanvas/assets/..%2f..%2fsecret.txt',
      `app://netcanvas/${encodeURIComponent(path.join(base, 'secret.txt'))}`,
      'app://netcanvas/assets/link.txt',
    ]) {
      const response = await appResponse(root, url);
      expect(response.status, url).toBe(404);
      const body = await response.text();
      expect(body, url).not.toContain('the secret');
      expect(body, url).not.toContain('root:');
    }
  });

  it('answers 400 in words for a broken %-escape or a NUL, 404 for what is not there or not ours, 405 for writes', async () => {
    const broken = await appResponse(root, 'app://netcanvas/assets/%E0%A4%A');
    expect(broken.status).toBe(400);
    expect(await broken.text()).toMatch(/broken %-escape/);
    expect((await appResponse(root, 'app://netcanvas/index.html%00.js')).status).toBe(400);
    expect((await appResponse(root, 'app://netcanvas/assets/nothing.js')).status).toBe(404);
    expect((await appResponse(root, 'app://netcanvas/assets')).status).toBe(404);
    expect((await appResponse(root, 'app://elsewhere/index.html')).status).toBe(404);
    expect((await appResponse(root, APP_PAGE, 'POST')).status).toBe(405);
  });

  it('knows the app page by its address alone, whatever its fragment', () => {
    expect(isAppPage(APP_PAGE)).toBe(true);
    expect(isAppPage(`${APP_PAGE}#canvas`)).toBe(true);
    for (const url of ['app://netcanvas/crashed.html', 'app://evil/index.html', 'file:///index.html', 'https://netcanvas/index.html', '', null, 'not a url']) {
      expect(isAppPage(url), String(url)).toBe(false);
    }
  });
});
