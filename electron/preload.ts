/**
 * Exposes the API contract to the page as `window.netcanvas`: two functions, never
 * `ipcRenderer` itself, and only NetCanvas's own channels.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS, METHOD_NAMES, TEXT_EDITS, type NetCanvasBridge, type WindowEvent } from '../shared/api/contract.js';

const bridge: NetCanvasBridge = {
  request: (method, params) => {
    if (!(METHOD_NAMES as string[]).includes(method)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown request ${method}` } });
    }
    return ipcRenderer.invoke(IPC_CHANNELS.request, method, params);
  },
  onEvent: (listener) => {
    const handler = (_event: IpcRendererEvent, payload: WindowEvent) => listener(payload);
    ipcRenderer.on(IPC_CHANNELS.event, handler);
    return () => ipcRenderer.removeListener(IPC_CHANNELS.event, handler);
  },
  editText: async (action) => {
    if ((TEXT_EDITS as readonly string[]).includes(action)) await ipcRenderer.invoke(IPC_CHANNELS.edit, action);
  },
};

contextBridge.exposeInMainWorld('netcanvas', bridge);
