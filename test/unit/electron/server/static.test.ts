import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../../../../electron/server/static.js';

let base: string;
let server: Server;
let url: string;

beforeAll(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'netcanvas-static-')));
  const root = path.join(base, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>NetCanvas</title>');
  await writeFile(path.join(root, 'assets', 'app.js'), 'console.log("app");');
  await writeFile(path.join(base, 'secret.txt'), 'the secret outside the renderer folder');
  await mkdir(path.join(base, 'private'));
  await writeFile(path.join(base, 'private', 'notes.js'), 'the private notes');
  // Links inside the served folder, to a file and a folder outside it, and one that stays inside.
  await symlink(path.join(base, 'secret.txt'), path.join(root, 'assets', 'secret.txt'));
  await symlink(path.join(base, 'private'), path.join(root, 'private'));
  await symlink(path.join(root, 'assets', 'app.js'), path.join(root, 'alias.js'));
  server = createServer((req, res) => void serveStatic(root, req.url ?? '/', res, { 'X-Content-Type-Options': 'nosniff' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(base, { recursive: true, force: true });
});

const get = async (urlPath: string) => {
  const response = await fetch(`${url}${urlPath}`);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
};

describe('browser mode’s static files', () => {
  it('serves the built files, and the page for paths it does not have', async () => {
    expect(await get('/assets/app.js')).toEqual({ status: 200, type: 'text/javascript; charset=utf-8', body: 'console.log("app");' });
    expect((await get('/somewhere/else')).body).toContain('<title>NetCanvas</title>');
  });

  it('never serves what a link inside the folder leads to outside it', async () => {
    for (const urlPath of ['/assets/secret.txt', '/private/notes.js', '/../secret.txt', '/%2e%2e/secret.txt']) {
      const { body } = await get(urlPath);
      expect(body, urlPath).not.toContain('secret outside');
      expect(body, urlPath).not.toContain('private notes');
      expect(body, urlPath).toContain('<title>NetCanvas</title>');
    }
  });

  it('serves a link that stays inside the folder, typed by the file it leads to', async () => {
    expect(await get('/alias.js')).toMatchObject({ status: 200, body: 'console.log("app");' });
  });
});
