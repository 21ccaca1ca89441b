/**
 * How quickly the Backend answers while a run trains, through the real WebSocket server:
 * round-trip times of `ping` idle and during training, and the event rate. Prints figures;
 * the target is every answer within 100 ms.
 */
import WebSocket from 'ws';
import { Backend } from '../electron/backend/backend.js';
import { startServer } from '../electron/server/server.js';
import { forkLauncher } from '../electron/training/launcher.js';
import type { WsServerFrame } from '../shared/api/contract.js';
import { parseProjectText } from '../shared/project/parse.js';
import { readFileSync } from 'node:fs';

const SAMPLES = 100;

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

  const idle = await measure();
  const parsed = parseProjectText(readFileSync('templates/mlp-mnist.netcanvas.json', 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error.message);
  await call('training.start', { project: parsed.project, config: { maxBatches: 1500 } });
  while (events === 0) await new Promise((r) => setTimeout(r, 50));
  const eventsBefore = events;
  const started = performance.now();
  const busy = await measure();
  const eventRate = (events - eventsBefore) / ((performance.now() - started) / 1000);

  const row = (name: string, t: number[]) =>
    `${name.padEnd(18)} p50 ${percentile(t, 50).toFixed(2).padStart(7)} ms   p99 ${percentile(t, 99).toFixed(2).padStart(7)} ms   max ${t[t.length - 1]!.toFixed(2).padStart(7)} ms`;
  console.log('Backend responsiveness (ping round trip over WebSocket, %d samples each)', SAMPLES);
  console.log(row('idle', idle));
  console.log(row('while training', busy));
  console.log(`training events    ${eventRate.toFixed(1)} messages/s (bounded to 10/s by the trainer)`);
  console.log(`target             every answer within 100 ms: ${busy[busy.length - 1]! < 100 ? 'met' : 'NOT met'}`);
  ws.close();
  await server.close();
  backend.shutdown();
}

await main();
