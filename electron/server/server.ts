import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { readFrame } from './frames.js';
import { serveStatic } from './static.js';
import type { ApiResult, WsServerFrame } from '../../shared/api/contract.js';
import type { Backend } from '../backend/backend.js';

export interface ServerOptions {
  backend: Backend;
  /** 0 picks a free port. */
  port: number;
  staticDir?: string;
  token?: string;
  /** The largest WebSocket message taken; a larger one closes its connection (1009). 64 MB unless told. */
  maxMessageBytes?: number;
  /**
   * How many bytes may wait to be sent to one connection when its next message is due; past it
   * the other side has stopped reading, and its connection is closed (1008). 16 MB unless told.
   */
  maxBufferedBytes?: number;
  /** Where failures that no request can be answered with are told; standard error unless told. */
  log?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const API_PATH = '/api';
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Requests of one connection answered at once; past it nothing more is read from it until one is answered. */
export const MAX_REQUESTS_IN_FLIGHT = 32;

export function defaultStaticDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = here.includes(`${path.sep}dist${path.sep}`) ? path.resolve(here, '../../..') : path.resolve(here, '../..');
  return path.join(root, 'dist', 'renderer');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function megabytes(bytes: number): number {
  return Math.round(bytes / 104_857.6) / 10;
}

/** A plain-text answer written straight to a socket that has no response object (refused upgrades, unparsable requests). */
function answerRaw(socket: Duplex, status: string, reason: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`, () => socket.destroy());
}

/** What Node's own parser errors mean to the client; anything else it sent is a bad request. */
const CLIENT_ERROR_STATUS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: '413 Content Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

/**
 * Browser mode: the built renderer and the Backend behind a WebSocket on 127.0.0.1.
 * Any page the user visits can try to reach a local port, so a connection must come from
 * our own origin and carry the token printed at start; otherwise it is refused.
 * No request, frame or byte sequence may end the server: a bad one is answered with an
 * error or ends its own connection, and everything else goes on. Nor may one connection
 * grow the server's memory without bound: it has at most MAX_REQUESTS_IN_FLIGHT requests
 * answered at once, and one that stops reading what it is sent is closed.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const maxBuffered = options.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
  if (!(maxBuffered > 0 && Number.isFinite(maxBuffered))) {
    throw new RangeError(`startServer: maxBufferedBytes must be a number of bytes above 0 (it is ${String(options.maxBufferedBytes)}).`);
  }
  const token = options.token ?? randomBytes(24).toString('base64url');
  const staticDir = path.resolve(options.staticDir ?? defaultStaticDir());
  const log = options.log ?? ((message: string) => process.stderr.write(`netcanvas serve: ${message}\n`));
  let port = options.port;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const securityHeaders = () => ({
    'Content-Security-Policy':
      `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; ` +
      `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });

  const http = createServer((req, res) => {
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden host\n');
      return;
    }
    serveStatic(staticDir, req.url ?? '/', res, securityHeaders()).catch((err: unknown) => failStatic(res, req.url, err));
  });
  const failStatic = (res: ServerResponse, url: string | undefined, err: unknown) => {
    log(`serving ${JSON.stringify(url)} failed: ${errorText(err)}`);
    if (res.headersSent) res.destroy();
    else res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The server could not read this file.\n');
  };
  // Requests Node cannot parse (bad request lines, huge headers, broken chunks) never reach the handler above.
  http.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET') socket.destroy();
    else answerRaw(socket, CLIENT_ERROR_STATUS[err.code ?? ''] ?? '400 Bad Request', 'Bad request');
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? MAX_MESSAGE_BYTES });
  const refuse = (socket: Duplex, reason: string, status = '403 Forbidden') => answerRaw(socket, status, reason);
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands over an upgrading socket without its error handler; a reset must not become an uncaught error.
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://placeholder');
    } catch {
      return refuse(socket, 'Malformed URL', '400 Bad Request');
    }
    if (url.pathname !== API_PATH) return refuse(socket, 'Unknown path');
    const origin = req.headers.origin;
    if (!origin || !allowedHosts().some((h) => origin === `http://${h}`)) return refuse(socket, 'Origin not allowed');
    if (!allowedHosts().includes(req.headers.host ?? '')) return refuse(socket, 'Host not allowed');
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) return refuse(socket, 'Missing or wrong token');
    try {
      wss.handleUpgrade(req, socket, head, (ws) => connect(ws));
    } catch (err) {
      log(`a WebSocket upgrade failed: ${errorText(err)}`);
      socket.destroy();
    }
  });

  /** A frame as text, or null (told) when it cannot be written out: a value JSON has no form for. */
  const encode = (frame: WsServerFrame): string | null => {
    try {
      return JSON.stringify(frame);
    } catch (err) {
      log(`${frame.kind === 'event' ? 'an event' : `the answer to request ${frame.id}`} could not be written out as JSON: ${errorText(err)}`);
      return null;
    }
  };
  /** Runs a handler whose throw would otherwise reach ws's socket listeners or the Backend's runs. */
  const guarded = (what: string, handler: () => void) => {
    try {
      handler();
    } catch (err) {
      log(`${what} failed: ${errorText(err)}`);
    }
  };

  const connections = new Set<(text: string) => void>();

  const connect = (ws: WebSocket) => {
    // Checked before each message rather than after: one large answer is always sent, but a
    // connection that has not taken it up by the next message has stopped reading.
    const deliver = (text: string) => {
      if (ws.readyState !== ws.OPEN) return;
      const behind = ws.bufferedAmount;
      if (behind > maxBuffered) {
        log(`closed a connection that stopped reading: ${megabytes(behind)} MB were waiting for it (at most ${megabytes(maxBuffered)} MB may)`);
        ws.close(1008, `Stopped reading: over ${megabytes(maxBuffered)} MB waited to be sent`);
        return;
      }
      ws.send(text);
    };
    const answer = (id: number, result: ApiResult<unknown>) => {
      const text =
        encode({ kind: 'response', id, result }) ??
        encode({ kind: 'response', id, result: { ok: false, error: { code: 'INTERNAL', message: 'The answer could not be written out as JSON.' } } });
      if (text !== null) deliver(text);
    };
    connections.add(deliver);

    let inFlight = 0;
    /** Messages read after the limit was reached (what one read had brought in), taken in order as answers go out. */
    const waiting: WebSocket.RawData[] = [];
    const take = (data: WebSocket.RawData) => {
      if (ws.readyState !== ws.OPEN) return;
      const frame = readFrame(data.toString());
      if (!frame.ok) {
        if (frame.id === null) ws.close(1007, 'Malformed request: not JSON of the form {id, method, params}');
        else answer(frame.id, { ok: false, error: { code: 'INVALID_REQUEST', message: frame.message } });
        return;
      }
      const { id, method, params } = frame.request;
      inFlight += 1;
      if (inFlight >= MAX_REQUESTS_IN_FLIGHT) ws.pause();
      options.backend
        .dispatch(method, params)
        .catch((err: unknown) => ({ ok: false as const, error: { code: 'INTERNAL' as const, message: `${method} failed: ${errorText(err)}` } }))
        .then((result) => {
          inFlight -= 1;
          guarded('answering a request', () => {
            answer(id, result);
            while (inFlight < MAX_REQUESTS_IN_FLIGHT && waiting.length > 0) take(waiting.shift()!);
            if (inFlight < MAX_REQUESTS_IN_FLIGHT && ws.isPaused) ws.resume();
          });
        });
    };
    ws.on('message', (data) =>
      guarded('reading a request', () => {
        if (inFlight >= MAX_REQUESTS_IN_FLIGHT || waiting.length > 0) waiting.push(data);
        else take(data);
      }),
    );
    ws.on('close', () => {
      connections.delete(deliver);
      waiting.length = 0;
    });
    // A frame over maxPayload, invalid UTF-8 in a text frame or a protocol error: ws has already closed
    // this connection with its code (1009, 1007, 1002), and only this one.
    ws.on('error', () => {});
  };

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  port = (http.address() as AddressInfo).port;
  // After the start, a failure of the listening socket itself (too many open files) is told, not thrown.
  http.on('error', (err) => log(`the server reported: ${errorText(err)}`));
  // One subscription for every connection: each event is written out (and any failure told) once.
  const unsubscribe = options.backend.subscribe((event) =>
    guarded('sending an event', () => {
      const text = encode({ kind: 'event', event });
      if (text !== null) for (const deliver of connections) deliver(text);
    }),
  );

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const client of wss.clients) client.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      // A request still arriving (or never finished on purpose) must not hold the shutdown open.
      http.closeAllConnections();
      await closed;
    },
  };
}
