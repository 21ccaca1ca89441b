import type { Transport } from './client';
import type { ApiResult, WindowEvent, WsServerFrame } from '../../shared/api/contract';

/** Browser mode: a WebSocket to the local server, authenticated by the token in the page URL. */
export function wsTransport(location: Location, onClosed: (reason: string) => void): Transport {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/api?token=${encodeURIComponent(token)}`);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('Cannot reach the NetCanvas server.')), { once: true });
  });
  const pending = new Map<number, (result: ApiResult<unknown>) => void>();
  const listeners = new Set<(event: WindowEvent) => void>();
  let nextId = 1;

  socket.addEventListener('message', (message) => {
    const frame = JSON.parse(String(message.data)) as WsServerFrame;
    if (frame.kind === 'response') {
      pending.get(frame.id)?.(frame.result);
      pending.delete(frame.id);
    } else {
      for (const listener of listeners) listener(frame.event);
    }
  });
  socket.addEventListener('close', () => {
    const reason = token
      ? 'The connection to the NetCanvas server was lost. Restart it with "npm run serve" and open the address it prints.'
      : 'This page needs the address printed by "npm run serve", which carries an access token.';
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'INTERNAL', message: reason } });
    pending.clear();
    onClosed(reason);
  });

  return {
    kind: 'websocket',
    async request(method, params) {
      try {
        await opened;
      } catch (err) {
        return { ok: false, error: { code: 'INTERNAL', message: (err as Error).message } };
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, method, params }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
