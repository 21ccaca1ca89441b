import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

// Test-only preload: SIGUSR2 makes the process throw from a timer and leave a promise rejected,
// as a bug that escaped every request's own handling would.
const PRELOAD = `process.on('SIGUSR2', () => {
  setTimeout(() => { throw new Error('thrown on purpose'); });
  void Promise.reject(new Error('rejected on purpose'));
});`;

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
});

function exited(proc: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
}

async function ping(url: URL): Promise<unknown> {
  const ws = new WebSocket(`ws://${url.host}/api?token=${url.searchParams.get('token')}`, { origin: url.origin });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const answer = new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(data.toString()))));
  ws.send(JSON.stringify({ id: 1, method: 'ping', params: {} }));
  const frame = await answer;
  ws.close();
  return frame;
}

describe('netcanvas serve', () => {
  it('tells of an error that escaped and goes on serving; SIGTERM still ends it', async () => {
    const proc = spawn(process.execPath, [`--import=data:text/javascript,${encodeURIComponent(PRELOAD)}`, 'bin/netcanvas.js', 'serve', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const exit = exited(proc);
    let stderr = '';
    const told = new Promise<void>((resolve, reject) => {
      proc.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('thrown on purpose') && stderr.includes('rejected on purpose')) resolve();
      });
      void exit.then(({ code }) => reject(new Error(`netcanvas serve ended (code ${code}) instead of serving on:\n${stderr}`)));
    });
    const url = await new Promise<URL>((resolve, reject) => {
      createInterface({ input: proc.stdout! }).on('line', (line) => {
        const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(line);
        if (match) resolve(new URL(match[1]!));
      });
      void exit.then(({ code }) => reject(new Error(`netcanvas serve exited with ${code} before printing its address:\n${stderr}`)));
    });
    expect(await ping(url)).toMatchObject({ kind: 'response', id: 1, result: { ok: true } });

    proc.kill('SIGUSR2');
    await told;
    expect(stderr).toMatch(/an unexpected error was caught; still serving\. Error: thrown on purpose/);
    expect(stderr).toMatch(/an unexpected error was caught; still serving\. Error: rejected on purpose/);
    expect(await ping(url)).toMatchObject({ kind: 'response', id: 1, result: { ok: true } });

    proc.kill('SIGTERM');
    expect(await exit).toEqual({ code: 0, signal: null });
  });
});
