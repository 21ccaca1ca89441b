import { vi } from 'vitest';
import type { NetCanvasBridge } from '../../../shared/api/contract.js';

/** `window` as the desktop page has it: the preload's bridge in front of the Backend, and no listeners kept. */
export function stubDesktopWindow(bridge: Pick<NetCanvasBridge, 'request' | 'onEvent'>): void {
  const netcanvas: NetCanvasBridge = { ...bridge, editText: async () => undefined };
  vi.stubGlobal('window', { netcanvas, addEventListener: () => undefined, removeEventListener: () => undefined });
}

/** A renderer module, loaded by path at run time: the renderer's own typecheck covers its modules, not the Node side's. */
export const loadRenderer = (file: string) => import(new URL(`../../../renderer/${file}`, import.meta.url).pathname);
