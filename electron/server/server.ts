import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { serveStatic } from './static.js';
import { wsRequestSchema, type WsServerFrame } from '../../shared/api/contract.js';
import type { Backend } from '../backend/backend.js';

export interface ServerOptions {
  backend: Backend;
  /** 0 picks a free port. */
  port: number;
  staticDir?: string;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const API_PATH = '/api';
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

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

/**
 * Browser mode: the built renderer and the Backend behind a WebSocket on 127.0.0.1.
 * Any page the user visits can try to reach a local port, so a connection must come from
 * our own origin and carry the token printed at start; otherwise it is refused.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const staticDir = path.resolve(options.staticDir ?? defaultStaticDir());
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
    void serveStatic(staticDir, req.url ?? '/', res, securityHeaders());
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const refuse = (socket: Duplex, reason: string) => {
    socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`);
  };
  http.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (url.pathname !== API_PATH) return refuse(socket, 'Unknown path');
    const origin = req.headers.origin;
    if (!origin || !allowedHosts().some((h) => origin === `http://${h}`)) return refuse(socket, 'Origin not allowed');
    if (!allowedHosts().includes(req.headers.host ?? '')) return refuse(socket, 'Host not allowed');
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) return refuse(socket, 'Missing or wrong token');
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws));
  });

  const connect = (ws: WebSocket) => {
    const send = (frame: WsServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const unsubscribe = options.backend.subscribe((event) => send({ kind: 'event', event }));
    ws.on('close', unsubscribe);
    ws.on('message', (data) => {
      let frame;
      try {
        frame = wsRequestSchema.safeParse(JSON.parse(data.toString()));
      } catch {
        frame = null;
      }
      if (!frame?.success) {
        ws.close(1007, 'Malformed request');
        return;
      }
      const { id, method, params } = frame.data;
      void options.backend.dispatch(method, params).then((result) => send({ kind: 'response', id, result }));
    });
  };

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (http.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
