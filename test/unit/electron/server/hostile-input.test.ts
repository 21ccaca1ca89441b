import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { Backend } from '../../../../electron/backend/backend.js';
import { startServer, type RunningServer } from '../../../../electron/server/server.js';
import { forkLauncher } from '../../../../electron/training/launcher.js';
import type { WsServerFrame } from '../../../../shared/api/contract.js';
import { mnistMlp, project } from '../../../fixtures/graphs.js';
import { openSocket, staticFolder, watchEscapes } from './harness.js';

const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const INDEX = '<!doctype html><title>NetCanvas test page</title>';
let backend: Backend;
/** The usual 64 MB limit, and one of 1 KiB to test the limit without sending 64 MB each time. */
let server: RunningServer;
let small: RunningServer;
const { escaped, log } = watchEscapes();

beforeAll(async () => {
  const staticDir = staticFolder('static', { 'index.html': INDEX, 'app.js': 'console.log(1);\n' });
  backend = new Backend({ launcher: forkLauncher });
  server = await startServer({ backend, port: 0, staticDir, log });
  small = await startServer({ backend, port: 0, staticDir, log, maxMessageBytes: 1024 });
});
afterAll(async () => {
  await server?.close();
  await small?.close();
  backend?.shutdown();
});

function get(target: RunningServer, urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: target.port, path: urlPath, headers: { Host: `127.0.0.1:${target.port}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const open = openSocket;

/** Resolves with the next response, or with how the connection closed if it closes first. */
function next(ws: WebSocket): Promise<{ response: WsServerFrame } | { closed: number; reason: string }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as WsServerFrame;
      if (frame.kind !== 'response') return;
      ws.off('message', onMessage);
      resolve({ response: frame });
    };
    ws.on('message', onMessage);
    ws.once('close', (code, reason) => resolve({ closed: code, reason: reason.toString() }));
    // Writing the rest of a frame the server has already refused may fail; the close says what happened.
    ws.on('error', () => {});
  });
}

async function ping(ws: WebSocket, id = 99): Promise<WsServerFrame | { closed: number; reason: string }> {
  const answer = next(ws);
  ws.send(JSON.stringify({ id, method: 'ping', params: {} }));
  const result = await answer;
  return 'response' in result ? result.response : result;
}

async function pingsOnFreshConnection(target: RunningServer): Promise<void> {
  expect(escaped).toEqual([]);
  const ws = await open(target);
  expect(await ping(ws)).toMatchObject({ kind: 'response', id: 99, result: { ok: true } });
  ws.close();
}

/** A layer wrapping a layer, `levels` deep, as the project schema allows (Bidirectional, TimeDistributed). */
function wrappedLayers(levels: number): ReturnType<typeof project> {
  let layer: unknown = { type: 'Dense', params: { units: 4 } };
  for (let i = 0; i < levels; i += 1) layer = { type: 'TimeDistributed', params: { layer } };
  const p = project(mnistMlp());
  p.graph.nodes[1]!.params = { layer } as never;
  return p;
}

describe('a hostile page or client cannot end the server', () => {
  it('answers broken %-escapes with 400 and goes on serving', async () => {
    for (const bad of ['/%', '/%E0%A4%A', '/assets/%zz.js', '/%C0%AF']) {
      const res = await get(server, bad);
      expect(res.status, bad).toBe(400);
      expect(res.body, bad).toContain('broken %-escape');
    }
    expect(await get(server, '/')).toEqual({ status: 200, body: INDEX });
    expect(await get(server, '/app.js')).toEqual({ status: 200, body: 'console.log(1);\n' });
    await pingsOnFreshConnection(server);
  });

  it('refuses a NUL byte in the path and never serves a file outside its folder', async () => {
    expect(await get(server, '/index.html%00.js')).toMatchObject({ status: 400, body: expect.stringContaining('NUL byte') });
    // Paths that climb out of the folder get the app, never the file asked for.
    for (const climb of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd']) {
      expect(await get(server, climb), climb).toEqual({ status: 200, body: INDEX });
    }
  });

  it('closes only the connection that sends a message over the limit, with 1009', async () => {
    const bystander = await open(small);
    const sender = await open(small);
    const closed = next(sender);
    sender.send(JSON.stringify({ id: 1, method: 'ping', params: { pad: 'x'.repeat(2048) } }));
    expect(await closed).toMatchObject({ closed: 1009 });
    expect(await ping(bystander)).toMatchObject({ kind: 'response', id: 99, result: { ok: true } });
    bystander.close();
    await pingsOnFreshConnection(small);
  });

  it('closes a connection that sends one byte over 64 MB, and only it', async () => {
    const sender = await open(server);
    const closed = next(sender);
    sender.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20), { binary: false });
    expect(await closed).toMatchObject({ closed: 1009 });
    await pingsOnFreshConnection(server);
  });

  it('closes a connection that sends invalid UTF-8 in a text frame, with 1007', async () => {
    const sender = await open(server);
    const closed = next(sender);
    sender.send(Buffer.from([0x7b, 0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80]), { binary: false });
    expect(await closed).toMatchObject({ closed: 1007 });
    await pingsOnFreshConnection(server);
  });

  it('answers params nested 1,000 levels deep with an error, and the connection goes on', async () => {
    const ws = await open(server);
    const answer = next(ws);
    ws.send(JSON.stringify({ id: 7, method: 'project.summary', params: { project: wrappedLayers(1000) } }));
    expect(await answer).toMatchObject({
      response: { kind: 'response', id: 7, result: { ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('nests more than') } } },
    });
    expect(await ping(ws)).toMatchObject({ kind: 'response', id: 99, result: { ok: true } });
    ws.close();
  });

  it('answers a request it cannot read but whose id it can, and closes only a connection whose message has no id', async () => {
    const ws = await open(server);
    const answer = next(ws);
    ws.send(JSON.stringify({ id: 3, method: 42 }));
    expect(await answer).toMatchObject({
      response: { kind: 'response', id: 3, result: { ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('method') } } },
    });
    const closed = next(ws);
    ws.send('{"method": "ping"');
    expect(await closed).toEqual({ closed: 1007, reason: expect.stringContaining('Malformed request') });
    await pingsOnFreshConnection(server);
  });

  it('answers requests Node cannot parse and upgrades to a broken URL, and goes on', async () => {
    const { connect } = await import('node:net');
    const raw = (bytes: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(server.port, '127.0.0.1', () => socket.end(bytes));
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString('latin1')));
        socket.on('close', () => resolve(text));
        socket.on('error', () => {});
      });
    expect(await raw('NOT A REQUEST\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431/);
    const upgrade = (target: string) =>
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: http://127.0.0.1:${server.port}\r\n` +
      'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
    expect(await raw(upgrade('http://[::1'))).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(upgrade('/api?token=wrong'))).toMatch(/^HTTP\/1\.1 403/);
    await pingsOnFreshConnection(server);
  });
});

describe('Backend.dispatch', () => {
  it('answers params that overflow the validator with an error instead of throwing', async () => {
    const result = await backend.dispatch('project.summary', { project: wrappedLayers(1000) });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('nested too deeply') } });
  });

  it('names an unknown method without echoing all of a huge name', async () => {
    const result = await backend.dispatch('x'.repeat(100_000), {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(result.ok === false && result.error.message.length).toBeLessThan(200);
  });
});
