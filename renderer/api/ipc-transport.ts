import type { Transport } from './client';
import type { NetCanvasBridge } from '../../shared/api/contract';

/** The desktop app: the preload's `window.netcanvas` bridge. */
export function ipcTransport(bridge: NetCanvasBridge): Transport {
  return {
    kind: 'ipc',
    request: (method, params) => bridge.request(method, params),
    onEvent: (listener) => bridge.onEvent(listener),
  };
}
