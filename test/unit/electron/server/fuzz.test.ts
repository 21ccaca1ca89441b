import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Backend } from '../../../../electron/backend/backend.js';
import { startServer, type RunningServer } from '../../../../electron/server/server.js';
import { forkLauncher } from '../../../../electron/training/launcher.js';
import { METHOD_NAMES, type WsServerFrame } from '../../../../shared/api/contract.js';
import { openSocket, staticFolder, watchEscapes } from './harness.js';

// Thousands of malformed requests and frames from fixed seeds: whatever arrives, the server must
// answer or close that one connection, and go on serving the next.
const SEED = 20_240_611;
const LIMIT = 64 * 1024;
const INDEX = '<!doctype html><title>NetCanvas fuzz page</title>';

let backend: Backend;
let server: RunningServer;
const { escaped, log } = watchEscapes();

beforeAll(async () => {
  const staticDir = staticFolder('fuzz', { 'index.html': INDEX });
  backend = new Backend({ launcher: forkLauncher });
  server = await startServer({ backend, port: 0, staticDir, maxMessageBytes: LIMIT, log });
});
afterAll(async () => {
  await server?.close();
  backend?.shutdown();
});

/** How a client leaves: politely after its bytes, all at once mid-way, or in two writes. */
type Ending = 'end' | 'cut' | 'split';

/**
 * Writes bytes on a fresh socket and resolves once it has closed. The server closes every
 * connection whose client has ended; the bound below only keeps a hang from stalling the run.
 */
function exchange(bytes: Buffer, ending: Ending, cutAt: number, afterOpen?: (socket: Socket) => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1');
    const bound = setTimeout(() => socket.destroy(), 10_000);
    socket.on('error', () => {});
    socket.on('data', () => {});
    socket.on('close', () => {
      clearTimeout(bound);
      resolve();
    });
    socket.on('connect', async () => {
      if (afterOpen) await afterOpen(socket).catch(() => socket.destroy());
      if (socket.destroyed) return;
      const at = Math.min(cutAt, bytes.length);
      if (ending === 'cut') {
        socket.write(bytes.subarray(0, at), () => socket.destroy());
      } else if (ending === 'split') {
        socket.write(bytes.subarray(0, at));
        setImmediate(() => socket.end(bytes.subarray(at)));
      } else {
        socket.end(bytes);
      }
    });
  });
}

/** Reads the frames the server sends (never masked) off a raw socket, starting with what followed the handshake. */
function readServerFrames(socket: Socket, first: Buffer, onFrame: (opcode: number, payload: Buffer) => void): void {
  let pending = first;
  const drain = () => {
    for (;;) {
      if (pending.length < 2) return;
      let length = pending[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (pending.length < 4) return;
        length = pending.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (pending.length < 10) return;
        length = Number(pending.readBigUInt64BE(2));
        offset = 10;
      }
      if (pending.length < offset + length) return;
      onFrame(pending[0]! & 0x0f, pending.subarray(offset, offset + length));
      pending = pending.subarray(offset + length);
    }
  };
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    drain();
  });
  drain();
}

describe('the server under random and malformed input', () => {
  const hostHeader = () => `127.0.0.1:${server.port}`;
  const ownOrigin = () => `http://127.0.0.1:${server.port}`;

  it('survives thousands of malformed HTTP requests', async () => {
    const crlf = fc.constantFrom('\r\n', '\n', '\r', '\r\r\n');
    const method = fc.oneof(
      fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE', 'PRI', 'BREW', 'get', ''),
      fc.string({ unit: 'binary-ascii', maxLength: 12 }),
    );
    const escapes = fc
      .array(fc.constantFrom('%', '%0', '%00', '%zz', '%E0%A4%A', '%C0%AF', '%2e%2e', '%2f', '/', '..', 'a', '?', '#', '%ff', '%ED%A0%80'), { maxLength: 12 })
      .map((parts) => `/${parts.join('')}`);
    const target = fc.oneof(
      fc.constantFrom('/', '/index.html', '/api', '/api?token=x', '*', 'http://[::1', '//evil.example/', '/../../../etc/passwd', '/%', '/%E0%A4%A', ''),
      escapes,
      fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `/${s}`),
    );
    const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'http/1.1', 'HTTP/1.1 extra', '');
    const header = fc.oneof(
      fc.constantFrom(
        `Host: ${hostHeader()}`,
        `Host: localhost:${server.port}`,
        'Host: attacker.example',
        'Host:',
        `Origin: ${ownOrigin()}`,
        'Origin: https://evil.example',
        'Origin: null',
        'Content-Length: 10',
        'Content-Length: -1',
        'Content-Length: 99999999999999999999',
        'Content-Length: abc',
        'Transfer-Encoding: chunked',
        'Transfer-Encoding: gzip, chunked',
        'Connection: Upgrade',
        'Upgrade: websocket',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Key: not base64',
        'Expect: 100-continue',
        ' folded continuation',
        'No colon here',
      ),
      fc.tuple(fc.string({ unit: 'binary-ascii', maxLength: 10 }), fc.string({ unit: 'binary', maxLength: 30 })).map(([k, v]) => `${k}: ${v}`),
      fc.integer({ min: 10_000, max: 40_000 }).map((n) => `X-Huge: ${'a'.repeat(n)}`),
    );
    const body = fc.oneof(fc.constant(''), fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('5\r\nhello\r\n0\r\n\r\n', 'zz\r\n', '5\r\nhel'));
    const request = fc.oneof(
      { weight: 5, arbitrary: fc.record({ method, target, version, headers: fc.array(header, { maxLength: 8 }), crlf, body }).map((r) => Buffer.from(`${r.method} ${r.target} ${r.version}${r.crlf}${r.headers.join(r.crlf)}${r.crlf}${r.crlf}${r.body}`, 'latin1')) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
    );
    const client = fc.record({ bytes: request, ending: fc.constantFrom<Ending>('end', 'end', 'cut', 'split'), cutAt: fc.nat(400) });

    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(client, { minLength: 1, maxLength: 10 }), async (clients) => {
        await Promise.all(clients.map((c) => exchange(c.bytes, c.ending, c.cutAt)));
        sent += clients.length;
      }),
      { seed: SEED, numRuns: 400 },
    );
    expect(sent).toBeGreaterThan(1500);
    expect(escaped).toEqual([]);
    expect(await (await fetch(`${ownOrigin()}/`)).text()).toBe(INDEX);
  });

  it('survives thousands of random, malformed and cut WebSocket frames', async () => {
    let opened = 0;
    let answered = 0;
    /**
     * Completes the handshake of an authorised connection on a raw socket, so any bytes can follow,
     * and hands each frame the server sends back to `onFrame`.
     */
    const handshake = (socket: Socket, onFrame: (opcode: number, payload: Buffer) => void = () => {}) =>
      new Promise<void>((resolve, reject) => {
        let seen = '';
        const onData = (chunk: Buffer) => {
          seen += chunk.toString('latin1');
          if (!seen.includes('\r\n\r\n')) return;
          socket.off('data', onData);
          if (seen.startsWith('HTTP/1.1 101')) {
            opened += 1;
            readServerFrames(socket, Buffer.from(seen.slice(seen.indexOf('\r\n\r\n') + 4), 'latin1'), (opcode, payload) => {
              if (opcode === 0x1 && payload.toString().includes('"kind":"response"')) answered += 1;
              onFrame(opcode, payload);
            });
            resolve();
          } else reject(new Error(`the handshake was refused: ${seen.split('\r\n')[0]}`));
        };
        socket.on('data', onData);
        socket.write(
          `GET /api?token=${server.token} HTTP/1.1\r\nHost: ${hostHeader()}\r\nOrigin: ${ownOrigin()}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
            `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`,
        );
      });

    const deep = fc.tuple(fc.integer({ min: 50, max: 5000 }), fc.boolean()).map(([n, arrays]) => (arrays ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`));
    const methodName = fc.oneof(fc.constantFrom(...METHOD_NAMES), fc.string({ maxLength: 20 }));
    const params = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.constant(undefined));
    const text = fc.oneof(
      fc.record({ id: fc.oneof({ weight: 4, arbitrary: fc.integer() }, fc.double(), fc.string({ maxLength: 4 })), method: methodName, params }).map((r) => JSON.stringify(r)),
      fc.tuple(fc.integer(), methodName, deep).map(([id, m, d]) => `{"id":${id},"method":${JSON.stringify(m)},"params":{"project":${d}}}`),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 200 }),
      deep,
    );
    const payload = fc.oneof(
      { weight: 6, arbitrary: text.map((t) => Buffer.from(t)) },
      { weight: 2, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
      { weight: 1, arbitrary: fc.constantFrom(Buffer.from([0xff, 0xfe]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('{"id":1,"method":"ping","params":{}}\xff', 'latin1')) },
      { weight: 1, arbitrary: fc.integer({ min: LIMIT - 2, max: LIMIT + 100 }).map((n) => Buffer.alloc(n, 0x20)) },
    );
    const wsFrame = fc.record({
      fin: fc.boolean(),
      rsv: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 }) }),
      opcode: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(0x1, 0x1, 0x1, 0x0, 0x2, 0x8, 0x9, 0xa) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) }),
      masked: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      lengthLie: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(-3, 5, 2 ** 40, 2 ** 60) }),
      payload,
    });
    const encode = (f: { fin: boolean; rsv: number; opcode: number; masked: boolean; lengthLie: number; payload: Buffer }): Buffer => {
      const length = Math.max(0, f.payload.length + f.lengthLie);
      const head = [((f.fin ? 1 : 0) << 7) | (f.rsv << 4) | f.opcode];
      const maskBit = f.masked ? 0x80 : 0;
      let extended = Buffer.alloc(0);
      if (length < 126) head.push(maskBit | length);
      else if (length < 65_536) {
        head.push(maskBit | 126);
        extended = Buffer.alloc(2);
        extended.writeUInt16BE(length);
      } else {
        head.push(maskBit | 127);
        extended = Buffer.alloc(8);
        extended.writeBigUInt64BE(BigInt(length));
      }
      const key = f.masked ? randomBytes(4) : Buffer.alloc(0);
      const body = Buffer.from(f.payload);
      if (f.masked) for (let i = 0; i < body.length; i += 1) body[i]! ^= key[i % 4]!;
      return Buffer.concat([Buffer.from(head), extended, key, body]);
    };
    // A well-formed frame whose request the Backend gets to answer, however wrong its method or params.
    const request = fc.record({ id: fc.integer(), method: methodName, params }).map((r) => JSON.stringify(r));
    const wellFormed = fc.record({
      fin: fc.constant(true),
      rsv: fc.constant(0),
      opcode: fc.constant(0x1),
      masked: fc.constant(true),
      lengthLie: fc.constant(0),
      payload: fc.oneof(request, text).map((t) => Buffer.from(t)),
    });
    const connection = fc.oneof(
      fc.record({
        frames: fc.array(fc.oneof({ weight: 1, arbitrary: wellFormed }, { weight: 2, arbitrary: wsFrame }), { minLength: 1, maxLength: 8 }),
        ending: fc.constantFrom<Ending | 'await'>('end', 'cut', 'split'),
        cutAt: fc.nat(300),
      }),
      fc.record({ frames: fc.array(wellFormed, { minLength: 1, maxLength: 8 }), ending: fc.constant<Ending | 'await'>('await'), cutAt: fc.constant(0) }),
    );
    // 'await' ends with a ping after whole frames and leaves once it is answered, or once the server closes the connection.
    const LAST = 987_654_321;
    const lastPing = encode({ fin: true, rsv: 0, opcode: 0x1, masked: true, lengthLie: 0, payload: Buffer.from(JSON.stringify({ id: LAST, method: 'ping' })) });

    let frames = 0;
    let connectionsTried = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(connection, { minLength: 1, maxLength: 6 }), async (connections) => {
        await Promise.all(
          connections.map((c) => {
            const bytes = Buffer.concat(c.frames.map(encode));
            if (c.ending !== 'await') return exchange(bytes, c.ending, c.cutAt, handshake);
            return exchange(Buffer.alloc(0), 'end', 0, async (socket) => {
              let done = () => {};
              const finished = new Promise<void>((resolve) => (done = resolve));
              socket.on('close', done);
              await handshake(socket, (opcode, payload) => {
                if (opcode === 0x8 || (opcode === 0x1 && payload.toString().includes(`"id":${LAST}`))) done();
              });
              socket.write(Buffer.concat([bytes, lastPing]));
              await finished;
            });
          }),
        );
        frames += connections.reduce((n, c) => n + c.frames.length, 0);
        connectionsTried += connections.length;
      }),
      { seed: SEED + 1, numRuns: 300 },
    );
    expect(frames).toBeGreaterThan(2000);
    // The fuzzing reached the Backend: every connection was let in, and many requests were answered.
    expect(opened).toBe(connectionsTried);
    expect(answered).toBeGreaterThan(100);
    expect(escaped).toEqual([]);
  });

  it('still answers a ping on a fresh authorised connection', async () => {
    const ws = await openSocket(server);
    const answer = new Promise<WsServerFrame>((resolve) =>
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as WsServerFrame;
        if (frame.kind === 'response') resolve(frame);
      }),
    );
    ws.send(JSON.stringify({ id: 1, method: 'ping', params: {} }));
    expect(await answer).toMatchObject({ kind: 'response', id: 1, result: { ok: true, value: { time: expect.any(Number) } } });
    ws.close();
  });
});
