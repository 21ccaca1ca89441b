import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Backend } from '../../../../electron/backend/backend.js';
import { startServer, type RunningServer } from '../../../../electron/server/server.js';
import { forkLauncher } from '../../../../electron/training/launcher.js';
import type { WsServerFrame } from '../../../../shared/api/contract.js';

let server: RunningServer;
let backend: Backend;

beforeAll(async () => {
  backend = new Backend({ launcher: forkLauncher });
  server = await startServer({ backend, port: 0 });
});
afterAll(async () => {
  await server.close();
  backend.shutdown();
});

/** Opens a socket and resolves with what happened: opened, or the HTTP status it was refused with. */
function connect(options: { token?: string; origin?: string }): Promise<{ opened: true; ws: WebSocket } | { opened: false; status: number }> {
  const query = options.token === undefined ? '' : `?token=${encodeURIComponent(options.token)}`;
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api${query}`, { ...(options.origin ? { origin: options.origin } : {}) });
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ opened: true, ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode ?? 0 }));
    ws.once('error', () => resolve({ opened: false, status: 0 }));
  });
}

function request(ws: WebSocket, id: number, method: string, params: unknown): Promise<WsServerFrame> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as WsServerFrame;
      if (frame.kind === 'response' && frame.id === id) {
        ws.off('message', onMessage);
        resolve(frame);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, method, params }));
  });
}

describe('browser-mode server', () => {
  const ownOrigin = () => `http://127.0.0.1:${server.port}`;

  it('prints a URL on 127.0.0.1 that carries the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses a connection without the token', async () => {
    expect(await connect({ origin: ownOrigin() })).toEqual({ opened: false, status: 403 });
    expect(await connect({ origin: ownOrigin(), token: 'guess' })).toEqual({ opened: false, status: 403 });
  });

  it('refuses a connection from another origin, even with the token', async () => {
    expect(await connect({ origin: 'https://evil.example', token: server.token })).toEqual({ opened: false, status: 403 });
    expect(await connect({ token: server.token })).toEqual({ opened: false, status: 403 });
  });

  it('serves the contract to a connection with both', async () => {
    const result = await connect({ origin: ownOrigin(), token: server.token });
    expect(result.opened).toBe(true);
    if (!result.opened) return;
    const frame = await request(result.ws, 1, 'templates.list', {});
    expect(frame).toMatchObject({ kind: 'response', id: 1, result: { ok: true } });
    expect((frame as { result: { value: unknown[] } }).result.value).toContainEqual(expect.objectContaining({ id: 'mlp-mnist', name: 'MLP on MNIST' }));
    const bad = await request(result.ws, 2, 'training.start', { project: 'nope', config: {} });
    expect(bad).toMatchObject({ result: { ok: false, error: { code: 'INVALID_REQUEST' } } });
    result.ws.close();
  });

  it('refuses pages asked for under a foreign Host name', async () => {
    // A DNS-rebinding page reaches 127.0.0.1 under its own host name.
    const status = await new Promise<number>((resolve, reject) => {
      get({ host: '127.0.0.1', port: server.port, path: '/', headers: { Host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(status).toBe(403);
  });

  it('sends a Content-Security-Policy with the app', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});
