// What the server tests share: a folder standing in for the built renderer, a watch on errors
// that nothing caught and on the server's log, checked after each test, and an authorised socket.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import WebSocket from 'ws';
import type { RunningServer } from '../../../../electron/server/server.js';

/** A temporary folder holding `files` (name → text), served in place of the built renderer. */
export function staticFolder(prefix: string, files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), `netcanvas-${prefix}-`));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/**
 * Errors nothing caught (in `netcanvas serve` each would have ended the server) and what the
 * server logged. Each test answers for itself: both are emptied before it and, unless told
 * `logs: 'allowed'`, both must still be empty after it.
 */
export function watchEscapes(options: { logs?: 'checked' | 'allowed' } = {}) {
  const logged: string[] = [];
  const escaped: unknown[] = [];
  const onEscape = (err: unknown) => escaped.push(err);
  beforeAll(() => {
    process.on('uncaughtException', onEscape);
    process.on('unhandledRejection', onEscape);
  });
  afterAll(() => {
    process.off('uncaughtException', onEscape);
    process.off('unhandledRejection', onEscape);
  });
  beforeEach(() => {
    logged.length = 0;
    escaped.length = 0;
  });
  afterEach(() => {
    expect(escaped).toEqual([]);
    if (options.logs !== 'allowed') expect(logged).toEqual([]);
  });
  return { logged, escaped, log: (message: string) => void logged.push(message) };
}

/** A WebSocket to the server's API from its own page, with its token, once open. */
export function openSocket(target: RunningServer): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${target.port}/api?token=${target.token}`, { origin: `http://127.0.0.1:${target.port}` });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}
