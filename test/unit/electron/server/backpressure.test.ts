import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { Backend } from '../../../../electron/backend/backend.js';
import { MAX_REQUESTS_IN_FLIGHT, startServer, type RunningServer } from '../../../../electron/server/server.js';
import { forkLauncher } from '../../../../electron/training/launcher.js';
import type { ApiEvent, WsServerFrame } from '../../../../shared/api/contract.js';
import { project } from '../../../fixtures/graphs.js';
import { openSocket, staticFolder, watchEscapes } from './harness.js';

// Clients that ask for much and read nothing: the server must bound what it holds for each
// connection, and close one that stops reading, while the others and the runs go on.
const TIGHT_BYTES = 1024 * 1024;

/** A real Backend whose requests are counted as they run, to see how many one connection has at once. */
function countedBackend() {
  const backend = new Backend({ launcher: forkLauncher, ephemeralRuns: true });
  const counts = { running: 0, most: 0, finished: new Map<string, number>() };
  const watchers = new Set<() => void>();
  const dispatch = backend.dispatch.bind(backend);
  backend.dispatch = async (method, params) => {
    counts.running += 1;
    counts.most = Math.max(counts.most, counts.running);
    try {
      return await dispatch(method, params);
    } finally {
      counts.running -= 1;
      counts.finished.set(String(method), (counts.finished.get(String(method)) ?? 0) + 1);
      for (const watcher of [...watchers]) watcher();
    }
  };
  /** Resolves once `ready` holds, looked at after each request finishes. */
  const until = (ready: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!ready()) return;
        watchers.delete(check);
        resolve();
      };
      watchers.add(check);
      check();
    });
  const finished = (method: string) => counts.finished.get(method) ?? 0;
  return { backend, counts, until, finished };
}

let roomy: ReturnType<typeof countedBackend>;
let training: ReturnType<typeof countedBackend>;
/** The usual limits. */
let server: RunningServer;
/** At most 1 MB may wait for a connection, on a Backend of its own that trains. */
let tight: RunningServer;
// Some tests here expect a line in the log: each checks its own.
const { logged, log } = watchEscapes({ logs: 'allowed' });

beforeAll(async () => {
  const staticDir = staticFolder('backpressure', { 'index.html': '<!doctype html><title>NetCanvas</title>' });
  roomy = countedBackend();
  training = countedBackend();
  server = await startServer({ backend: roomy.backend, port: 0, staticDir, log });
  tight = await startServer({ backend: training.backend, port: 0, staticDir, log, maxBufferedBytes: TIGHT_BYTES });
});
afterAll(async () => {
  await server?.close();
  await tight?.close();
  roomy?.backend.shutdown();
  training?.backend.shutdown();
});
beforeEach(() => {
  roomy.counts.most = 0;
  training.counts.most = 0;
});
const open = openSocket;

/** Every frame a client gets, and a way to wait for one. */
function frames(ws: WebSocket) {
  const seen: WsServerFrame[] = [];
  const watchers = new Set<() => void>();
  ws.on('message', (data) => {
    seen.push(JSON.parse(data.toString()) as WsServerFrame);
    for (const watcher of [...watchers]) watcher();
  });
  const until = <T extends WsServerFrame>(match: (frame: WsServerFrame) => frame is T) =>
    new Promise<T>((resolve) => {
      const check = () => {
        const hit = seen.find(match);
        if (!hit) return;
        watchers.delete(check);
        resolve(hit);
      };
      watchers.add(check);
      check();
    });
  const response = (id: number) => until((f): f is Extract<WsServerFrame, { kind: 'response' }> => f.kind === 'response' && f.id === id);
  const event = (match: (event: ApiEvent) => boolean) => until((f): f is Extract<WsServerFrame, { kind: 'event' }> => f.kind === 'event' && match(f.event));
  return { seen, until, response, event };
}

async function ping(ws: WebSocket, got: ReturnType<typeof frames>, id: number): Promise<WsServerFrame> {
  ws.send(JSON.stringify({ id, method: 'ping', params: {} }));
  return got.response(id);
}

/** A client's text frame, masked as the protocol requires. */
function maskedText(text: string): Buffer {
  const payload = Buffer.from(text);
  const length = payload.length;
  let head: Buffer;
  if (length < 126) head = Buffer.from([0x81, 0x80 | length]);
  else if (length < 65_536) head = Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff]);
  else {
    head = Buffer.from([0x81, 0x80 | 127, 0, 0, 0, 0, 0, 0, 0, 0]);
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  const key = randomBytes(4);
  for (let i = 0; i < length; i += 1) payload[i]! ^= key[i % 4]!;
  return Buffer.concat([head, key, payload]);
}

/**
 * An authorised connection on a raw socket that reads nothing after the handshake until
 * `read` is called; then it hands each frame the server sent to `onFrame`, in order.
 */
function silentClient(target: RunningServer): Promise<{ socket: Socket; read: (onFrame: (opcode: number, payload: Buffer) => boolean) => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(target.port, '127.0.0.1');
    socket.on('error', reject);
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const end = seen.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.pause();
      if (!seen.subarray(0, 12).toString().startsWith('HTTP/1.1 101')) return reject(new Error(`refused: ${seen.toString().split('\r\n')[0]}`));
      const first = seen.subarray(end + 4);
      // Chunks are joined only once a whole frame is there: an answer may be tens of megabytes.
      const read = (onFrame: (opcode: number, payload: Buffer) => boolean) =>
        new Promise<void>((done) => {
          let pending: Buffer[] = first.length > 0 ? [first] : [];
          let size = first.length;
          const drain = () => {
            while (size >= 2) {
              if (pending[0]!.length < 10) pending = [Buffer.concat(pending)];
              const head = pending[0]!;
              const short = head[1]! & 0x7f;
              const offset = short === 126 ? 4 : short === 127 ? 10 : 2;
              if (size < offset) return;
              const length = short === 126 ? head.readUInt16BE(2) : short === 127 ? Number(head.readBigUInt64BE(2)) : short;
              if (size < offset + length) return;
              const all = Buffer.concat(pending);
              const more = onFrame(all[0]! & 0x0f, all.subarray(offset, offset + length));
              const rest = all.subarray(offset + length);
              pending = rest.length > 0 ? [rest] : [];
              size = rest.length;
              if (!more) {
                socket.destroy();
                return done();
              }
            }
          };
          socket.on('data', (chunk: Buffer) => {
            pending.push(chunk);
            size += chunk.length;
            drain();
          });
          socket.on('close', () => done());
          drain();
          socket.resume();
        });
      resolve({ socket, read });
    };
    socket.on('data', onData);
    socket.write(
      `GET /api?token=${target.token} HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nOrigin: http://127.0.0.1:${target.port}\r\n` +
        `Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`,
    );
  });
}

describe('a client that asks for much and reads nothing', () => {
  it(`has at most ${MAX_REQUESTS_IN_FLIGHT} of its requests answered at once, and gets all 1,000 answers once it reads`, async () => {
    const ws = await open(server);
    const got = frames(ws);
    ws.pause();
    const before = roomy.finished('datasets.preview');
    for (let id = 1; id <= 1000; id += 1) ws.send(JSON.stringify({ id, method: 'datasets.preview', params: { dataset: 'mnist', count: 1 } }));
    await roomy.until(() => roomy.finished('datasets.preview') - before === 1000);
    // The 1,000 arrived in a few reads of hundreds each; the server took them on 32 at a time.
    expect(roomy.counts.most).toBe(MAX_REQUESTS_IN_FLIGHT);

    ws.resume();
    await got.response(1000);
    const answers = got.seen.filter((f) => f.kind === 'response');
    expect(answers.map((f) => f.id)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(answers.every((f) => f.result.ok)).toBe(true);
    expect(await ping(ws, got, 1001)).toMatchObject({ result: { ok: true } });
    ws.close();
    expect(logged).toEqual([]);
  });

  it('is closed with 1008 once more than its limit waits for it, while another client and the run go on', async () => {
    const bystander = await open(tight);
    const watched = frames(bystander);
    const silent = await silentClient(tight);
    // One answer of about 28 MB, more than the system's socket buffers hold, that it never reads.
    const big = { ...project(), description: 'x'.repeat(28 * 1024 * 1024) };
    silent.socket.write(maskedText(JSON.stringify({ id: 1, method: 'project.open', params: { text: JSON.stringify(big), fileName: 'big.json' } })));
    await training.until(() => training.finished('project.open') === 1);

    bystander.send(JSON.stringify({ id: 1, method: 'training.start', params: { project: project(), config: { maxBatches: 30 } } }));
    expect(await watched.response(1)).toMatchObject({ result: { ok: true } });
    await watched.event((e) => e.event.type === 'done' || e.event.type === 'error');
    expect(watched.seen.filter((f) => f.kind === 'event').map((f) => f.kind === 'event' && f.event.event.type)).toContain('done');
    expect(await ping(bystander, watched, 2)).toMatchObject({ kind: 'response', id: 2, result: { ok: true } });
    bystander.close();

    // Once it reads, it finds its answer and then the close: no event piled up behind them.
    const received: Array<{ opcode: number; text: string }> = [];
    await silent.read((opcode, payload) => {
      received.push({ opcode, text: opcode === 0x8 ? `${payload.readUInt16BE(0)} ${payload.subarray(2).toString()}` : payload.toString() });
      return opcode !== 0x8 && !payload.toString().includes('"type":"done"');
    });
    expect(received.map((r) => r.opcode)).toEqual([0x1, 0x8]);
    expect(JSON.parse(received[0]!.text)).toMatchObject({ kind: 'response', id: 1, result: { ok: true, value: { project: { name: 'test network' } } } });
    expect(received[1]!.text).toBe('1008 Stopped reading: over 1 MB waited to be sent');
    expect(logged).toEqual([expect.stringMatching(/^closed a connection that stopped reading: \d+(\.\d)? MB were waiting for it \(at most 1 MB may\)$/)]);
  }, 60_000);
});

describe('what no request answers', () => {
  it('tells once of an event that cannot be written out, and every connection gets the next one', async () => {
    const clients = await Promise.all([open(server), open(server)]);
    const got = clients.map(frames);
    const broadcast = (event: unknown) => (roomy.backend as unknown as { broadcast(event: unknown): void }).broadcast(event);
    broadcast({ topic: 'training', event: { type: 'log', runId: 'r1', level: 'info', message: 10n } });
    broadcast({ topic: 'training', event: { type: 'log', runId: 'r1', level: 'info', message: 'the next one' } });
    for (const g of got) {
      expect(await g.event((e) => e.event.type === 'log')).toMatchObject({ event: { event: { message: 'the next one' } } });
    }
    expect(logged).toEqual(['an event could not be written out as JSON: Do not know how to serialize a BigInt']);
    for (const [i, ws] of clients.entries()) {
      expect(await ping(ws, got[i]!, 5)).toMatchObject({ result: { ok: true } });
      ws.close();
    }
  });

  it('drops without a word the answers and waiting requests of a client that has gone', async () => {
    const ws = await open(server);
    const before = roomy.finished('datasets.preview');
    for (let id = 1; id <= 100; id += 1) ws.send(JSON.stringify({ id, method: 'datasets.preview', params: { dataset: 'mnist', count: 1 } }));
    ws.terminate();
    await roomy.until(() => roomy.finished('datasets.preview') > before && roomy.counts.running === 0);
    const fresh = await open(server);
    expect(await ping(fresh, frames(fresh), 1)).toMatchObject({ result: { ok: true } });
    fresh.close();
    expect(logged).toEqual([]);
  });
});

describe('the limit itself', () => {
  it('refuses a limit that is not a number of bytes above 0, naming it', async () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(startServer({ backend: roomy.backend, port: 0, maxBufferedBytes: bad, log: (m) => logged.push(m) })).rejects.toThrow(
        `startServer: maxBufferedBytes must be a number of bytes above 0 (it is ${String(bad)}).`,
      );
    }
    expect(logged).toEqual([]);
  });
});
