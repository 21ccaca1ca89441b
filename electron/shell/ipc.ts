/**
 * The Backend behind IPC, for the app's own page only: a request from any other page or
 * frame, for a method the contract does not have, or an edit it does not name, does nothing.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNELS, isMethodName, TEXT_EDITS, type ApiResult, type TextEdit } from '../../shared/api/contract.js';
import type { Backend } from '../backend/backend.js';
import { isAppPage } from './protocol.js';

/** The app's page in the window's top frame, never a frame inside it or a page it did not load. */
export function fromAppPage(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppPage(frame.url);
}

const refused = (message: string): ApiResult<never> => ({ ok: false, error: { code: 'INVALID_REQUEST', message } });

export function installIpc(backend: Pick<Backend, 'dispatch'>): void {
  ipcMain.handle(IPC_CHANNELS.request, (event, method: unknown, params: unknown) => {
    if (!fromAppPage(event)) return refused('Requests are accepted only from the NetCanvas window.');
    if (!isMethodName(method)) return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown request ${JSON.stringify(String(method).slice(0, 80))}.` } };
    // The Backend checks the params against the contract and refuses what does not fit.
    return backend.dispatch(method, params);
  });
  ipcMain.handle(IPC_CHANNELS.edit, (event, action: unknown) => {
    if (!fromAppPage(event) || !(TEXT_EDITS as readonly unknown[]).includes(action)) return;
    event.sender[action as TextEdit]();
  });
}
