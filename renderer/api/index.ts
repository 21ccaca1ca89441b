import { ApiClient } from './client';
import { ipcTransport } from './ipc-transport';
import { wsTransport } from './ws-transport';
import type { NetCanvasBridge } from '../../shared/api/contract';
import { useUiStore } from '../stores/uiStore';

declare global {
  interface Window {
    netcanvas?: NetCanvasBridge;
  }
}

/** IPC when the desktop preload is there, the WebSocket server otherwise. */
export const api = new ApiClient(
  window.netcanvas
    ? ipcTransport(window.netcanvas)
    : wsTransport(window.location, (reason) => useUiStore.getState().notify('error', reason)),
);
