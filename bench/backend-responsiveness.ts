/**
 * How quickly the Backend answers while a run trains, through the real WebSocket server:
 * round-trip times of `ping` idle and during training, the event rate, and how late the
 * Backend process's event loop runs (which every request and event waits on). Prints
 * figures; the target is every answer within 100 ms.
 */
import WebSocket from 'ws';
import { Backend } from '../electron/backend/backend.js';
import { startServer } from '../electron/server/server.js';
import { forkLauncher } from '../electron/training/launcher.js';
import type { WsServerFrame } from '../shared/api/contract.js';
import { parseProjectText } from '../shared/project/parse.js';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const SAMPLES = 100;
/** Node samples the loop with a timer this often; each sample is the interval plus the delay. */
const LOOP_RESOLUTION_MS = 5;

/** Runs `during` while recording this process's event-loop delay; p50/p99/max in ms beyond the sampling interval. */
async function withLoopDelay<T>(during: () => Promise<T>): Promise<{ result: T; delay: { p50: number; p99: number; max: number } }> {
  const histogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  histogram.enable();
  const result = await during();
  histogram.disable();
  const ms = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
  return { result, delay: { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) } };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const backend = new Backend({ launcher: forkLauncher });
  const server = await startServer({ backend, port: 0 });
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` });
  await new Promise((resolve) => ws.once('open', resolve));
  const pending = new Map<number, (frame: WsServerFrame) => void>();
  let events = 0;
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as WsServerFrame;
    if (frame.kind === 'response') pending.get(frame.id)?.(frame);
    else events++;
  });
  let nextId = 1;
  const call = (method: string, params: unknown) =>
    new Promise<WsServerFrame>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  const measure = async (): Promise<number[]> => {
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const start = performance.now();
      await call('ping', {});
      times.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 20));
    }
    return times.sort((a, b) => a - b);
  };

  const { result: idle, delay: idleLoop } = await withLoopDelay(measure);
  const parsed = parseProjectText(readFileSync('templates/mlp-mnist.netcanvas.json', 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error.message);
  await call('training.start', { project: parsed.project, config: { maxBatches: 1500 } });
  while (events === 0) await new Promise((r) => setTimeout(r, 50));
  const eventsBefore = events;
  const started = performance.now();
  const { result: busy, delay: busyLoop } = await withLoopDelay(measure);
  const eventRate = (events - eventsBefore) / ((performance.now() - started) / 1000);

  const line = (name: string, p50: number, p99: number, max: number) =>
    `${name.padEnd(18)} p50 ${p50.toFixed(2).padStart(7)} ms   p99 ${p99.toFixed(2).padStart(7)} ms   max ${max.toFixed(2).padStart(7)} ms`;
  const row = (name: string, t: number[]) => line(name, percentile(t, 50), percentile(t, 99), t[t.length - 1]!);
  const loopRow = (name: string, d: typeof idleLoop) => line(name, d.p50, d.p99, d.max);
  console.log('Backend responsiveness (ping round trip over WebSocket, %d samples each)', SAMPLES);
  console.log(row('idle', idle));
  console.log(row('while training', busy));
  console.log('Backend event-loop delay (how late its timers run; perf_hooks.monitorEventLoopDelay)');
  console.log(loopRow('idle', idleLoop));
  console.log(loopRow('while training', busyLoop));
  console.log(`training events    ${eventRate.toFixed(1)} messages/s (bounded to 10/s by the trainer)`);
  console.log(`target             every answer within 100 ms: ${busy[busy.length - 1]! < 100 ? 'met' : 'NOT met'}`);
  ws.close();
  await server.close();
  backend.shutdown();
}

await main();
