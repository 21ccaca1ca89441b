import { beforeAll, describe, expect, it, vi } from 'vitest';
import { contextBridge, FakeEvent, ipcRenderer, resetDouble } from './electron-double.js';
import { IPC_CHANNELS, type NetCanvasBridge, type TextEdit, type WindowEvent } from '../../../../shared/api/contract.js';

vi.mock('electron', () => import('./electron-double.js'));

let bridge: NetCanvasBridge;
beforeAll(async () => {
  resetDouble();
  await import('../../../../electron/preload.js');
  bridge = contextBridge.exposed.netcanvas as NetCanvasBridge;
});

describe('the preload', () => {
  it('exposes window.netcanvas with exactly request, onEvent and editText, and nothing else', () => {
    expect(Object.keys(contextBridge.exposed)).toEqual(['netcanvas']);
    expect(Object.keys(bridge).sort()).toEqual(['editText', 'onEvent', 'request']);
    expect(Object.values(bridge).every((value) => typeof value === 'function')).toBe(true);
  });

  it('sends a request of the contract on the request channel, and refuses any other without sending', async () => {
    ipcRenderer.invoked = [];
    expect(await bridge.request('ping', {})).toEqual({ ok: true, value: null });
    expect(ipcRenderer.invoked).toEqual([[IPC_CHANNELS.request, 'ping', {}]]);
    ipcRenderer.invoked = [];
    for (const method of ['shell.openExternal', 'constructor', '__proto__', '']) {
      expect(await bridge.request(method, {}), method).toEqual({ ok: false, error: { code: 'UNKNOWN_METHOD', message: expect.stringContaining('Unknown request') } });
    }
    expect(ipcRenderer.invoked).toEqual([]);
  });

  it('hands the page the events of the event channel until it unsubscribes', () => {
    const heard: WindowEvent[] = [];
    const stop = bridge.onEvent((event) => heard.push(event));
    const event: WindowEvent = { topic: 'open-file', path: '/home/a/net.netcanvas.json' };
    ipcRenderer.emit(IPC_CHANNELS.event, new FakeEvent(), event);
    ipcRenderer.emit('some-other-channel', new FakeEvent(), { topic: 'command', command: 'file.save', byKeys: false });
    stop();
    ipcRenderer.emit(IPC_CHANNELS.event, new FakeEvent(), event);
    expect(heard).toEqual([event]);
  });

  it('asks for the text edits it names only', async () => {
    ipcRenderer.invoked = [];
    await bridge.editText('copy');
    await bridge.editText('reload' as TextEdit);
    await bridge.editText('executeJavaScript' as TextEdit);
    expect(ipcRenderer.invoked).toEqual([[IPC_CHANNELS.edit, 'copy']]);
  });
});
