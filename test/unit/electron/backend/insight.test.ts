import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../../electron/backend/backend.js';
import { AnalystPool, locateRun } from '../../../../electron/backend/insight.js';
import { RunStore } from '../../../../electron/backend/run-store.js';
import { ANY_PATH } from '../../../../electron/data/access.js';
import { currentOwner } from '../../../../electron/backend/run-owner.js';
import { forkAnalyst, type AnalystLauncher } from '../../../../electron/insight/launcher.js';
import type { AnalystMethod, InsightMethodName } from '../../../../electron/insight/protocol.js';
import { forkLauncher } from '../../../../electron/training/launcher.js';
import type { ApiResult, ParamsOf, ResultOf, SavedRun, TrainingEvent } from '../../../../shared/api/contract.js';
import type { RunRef } from '../../../../shared/api/insight.js';
import type { Project } from '../../../../shared/project/schema.js';
import { template } from '../insight/trained.js';
import { collect } from './events.js';

/**
 * The insight methods through a real Backend: Trainer processes train three templates a few
 * batches, then Analyst processes answer about the saved runs.
 */

interface Watched {
  pid: number;
  exited: boolean;
}
/**
 * Every Analyst the Backend started; `killOnSend` kills the next one sent that method, just
 * before the question is written to it: it dies holding the question and can never answer it.
 */
const analysts: Watched[] = [];
let killOnSend: AnalystMethod | null = null;
const watchedAnalyst: AnalystLauncher = () => {
  const handle = forkAnalyst();
  const watched: Watched = { pid: handle.pid!, exited: false };
  analysts.push(watched);
  handle.onExit(() => (watched.exited = true));
  return {
    ...handle,
    send: (message) => {
      if (killOnSend === message.method) {
        killOnSend = null;
        process.kill(watched.pid, 'SIGKILL');
      }
      handle.send(message);
    },
  };
};
const running = () => analysts.filter((a) => !a.exited);

let backend: Backend;
let dir = '';
const runs: Record<'mnist' | 'iris' | 'chars', RunRef> = {} as never;

const ask = <M extends InsightMethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> => backend.call(method, params);
const failureOf = async (method: InsightMethodName, params: unknown) => {
  const result: ApiResult<unknown> = await backend.dispatch(method, params);
  if (result.ok) throw new Error(`${method} answered ${JSON.stringify(result.value).slice(0, 200)}`);
  return result.error;
};

const ended = (runId: string) => (e: TrainingEvent) => e.runId === runId && (e.type === 'done' || e.type === 'error');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-insight-'));
  backend = new Backend({ launcher: forkLauncher, analystLauncher: watchedAnalyst, runsDir: dir });
  const { until } = collect(backend);
  const chars = template('char-lstm-moby-dick');
  chars.graph.nodes.find((n) => n.type === 'LSTM')!.params.units = 16;
  const trainings: Array<[keyof typeof runs, Project, number]> = [
    ['mnist', template('mlp-mnist'), 40],
    ['iris', template('mlp-iris'), 20],
    ['chars', chars, 10],
  ];
  await Promise.all(
    trainings.map(async ([key, project, maxBatches]) => {
      const { runId } = await backend.call('training.start', { project, config: { epochs: 1, maxBatches, backend: 'wasm' } });
      const end = await until(ended(runId));
      if (end.type !== 'done') throw new Error(`${key} did not train: ${JSON.stringify(end)}`);
      runs[key] = { projectName: project.name, runId };
    }),
  );
  await backend.flushRuns();
}, 60_000);

afterAll(async () => {
  backend?.shutdown();
  await backend?.flushRuns();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('insight through the Backend, answered by Analyst processes', () => {
  it("opens a run: what its network takes and gives, and its test split's size", async () => {
    const info = await ask('insight.open', { run: runs.mnist });
    expect(info).toMatchObject({ runId: runs.mnist.runId, task: 'classify', input: 'images', inputShape: [28, 28, 1], digits: true, testCount: 10_000 });
    // The best epoch's weights, as an export takes them, when the run kept them.
    expect(info.checkpoint).toBe('best');
    expect(info.classes).toHaveLength(10);
    expect(running()).toHaveLength(1);
  });

  it('predicts test examples in one request, mostly their own labels', async () => {
    const inputs = Array.from({ length: 20 }, (_, index) => ({ kind: 'example' as const, index }));
    const { predictions } = await ask('insight.predict', { run: runs.mnist, inputs });
    expect(predictions).toHaveLength(20);
    const right = predictions.filter((p) => p.top![0]!.class === p.truth).length;
    expect(right).toBeGreaterThanOrEqual(14);
    expect(running()).toHaveLength(1);
  });

  it('refuses a bad input as INVALID_INPUT, naming the field and which input', async () => {
    const { fields } = await ask('insight.open', { run: runs.iris });
    const row = Object.fromEntries(fields.map((f) => [f.name, f.typical]));
    const bad = { ...row, [fields[0]!.name]: 'wide' };
    const error = await failureOf('insight.predict', { run: runs.iris, inputs: [{ kind: 'row', values: row }, { kind: 'row', values: bad }] });
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('Input 2 (row)');
    expect(error.message).toContain(`${fields[0]!.name}: 'wide' is not a number`);
    const outside = await failureOf('insight.predict', { run: runs.iris, inputs: [{ kind: 'example', index: 100_000 }] });
    expect(outside).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/example 100000: the test split has \d+ examples/) });
  });

  it('answers two runs at once, each from its own Analyst', async () => {
    const [mnist, iris] = await Promise.all([
      ask('insight.predict', { run: runs.mnist, inputs: [{ kind: 'example', index: 0 }] }),
      ask('insight.predict', { run: runs.iris, inputs: [{ kind: 'example', index: 0 }] }),
    ]);
    expect(mnist.predictions[0]!.top).toHaveLength(10);
    expect(iris.predictions[0]!.top).toHaveLength(3);
    expect(running()).toHaveLength(2);
  });

  it('generates text with a language model, closing the least recently asked Analyst to keep two', async () => {
    const [mnist, iris] = analysts;
    // Iris asked last: MNIST's Analyst is the least recently asked.
    await ask('insight.open', { run: runs.iris });
    const out = await ask('insight.generate', { run: runs.chars, request: { kind: 'text', prompt: 'call me ishmael', temperature: 0.8, length: 50, seed: 3 } });
    expect(out).toMatchObject({ kind: 'text', prompt: 'call me ishmael' });
    if (out.kind === 'text') expect([...out.text]).toHaveLength(50);
    expect(running()).toHaveLength(2);
    expect(mnist!.exited).toBe(true);
    expect(running().map((a) => a.pid)).toEqual([iris!.pid, analysts.at(-1)!.pid]);
  });

  it('tells a killed Analyst in words, with its signal, then answers again from a fresh one', async () => {
    killOnSend = 'insight.predict';
    const error = await failureOf('insight.predict', { run: runs.iris, inputs: [{ kind: 'example', index: 1 }] });
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toMatch(/^The Analyst process that answers questions about trained runs stopped unexpectedly \(it was ended by signal SIGKILL: it was killed outright/);
    expect(error.message).toContain('Ask again to start a fresh one.');
    const again = await ask('insight.predict', { run: runs.iris, inputs: [{ kind: 'example', index: 1 }] });
    expect(again.predictions[0]!.top).toHaveLength(3);
  });

  it('refuses a run still training, a run with no weights and a run that does not exist, in words', async () => {
    const store = new RunStore(dir);
    const saved = JSON.parse(await readFile(path.join(store.runDir(runs.iris.runId, runs.iris.projectName), 'run.json'), 'utf8')) as SavedRun;
    const record = (runId: string, changes: Partial<SavedRun>) => store.write({ ...saved, ...changes, runId, dir: store.runDir(runId, saved.projectName) });
    await record('still-training', { status: 'running', owner: currentOwner(), checkpoints: { last: null, best: null } });
    await record('no-weights', { status: 'stopped', checkpoints: { last: null, best: null } });
    const run = (runId: string) => ({ run: { projectName: saved.projectName, runId } });
    expect(await failureOf('insight.open', run('still-training'))).toMatchObject({ code: 'RUN_ACTIVE', message: expect.stringContaining('is still training in another NetCanvas') });
    expect(await failureOf('insight.open', run('no-weights'))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('has no trained weights') });
    expect(await failureOf('insight.open', run('nothing-here'))).toMatchObject({ code: 'NOT_FOUND', message: `No saved run nothing-here of "${saved.projectName}".` });
    expect(await failureOf('insight.open', { run: { ...runs.iris, checkpoint: 'sometimes' } })).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it("reads the training health the run recorded, by the graph's layer names, without an Analyst", async () => {
    const started = analysts.length;
    const { epochs } = await ask('runs.health', { run: runs.iris });
    expect(epochs.map((e) => e.epoch)).toEqual([1]);
    const names = template('mlp-iris').graph.nodes.map((n) => n.name ?? n.id);
    expect(epochs[0]!.layers.length).toBeGreaterThan(0);
    for (const layer of epochs[0]!.layers) expect(names).toContain(layer.name);
    expect(analysts.length).toBe(started);
  });

  it('closes an Analyst asked nothing for its idle time', async () => {
    const pool = new AnalystPool(watchedAnalyst, { idleMs: 300 });
    const place = { store: new RunStore(dir), dataDirs: {}, dataRule: () => ANY_PATH, activeRunIds: () => [] };
    try {
      const location = await locateRun(place, runs.iris);
      expect(await pool.ask(location, 'insight.open', {})).toMatchObject({ runId: runs.iris.runId, task: 'classify' });
      const first = analysts.at(-1)!;
      expect(first.exited).toBe(false);
      await expect.poll(() => first.exited, { timeout: 5_000 }).toBe(true);
      expect(pool.running()).toEqual([]);
    } finally {
      pool.shutdown();
    }
  });

  it('ends every Analyst when the Backend shuts down', async () => {
    expect(running().length).toBeGreaterThan(0);
    const pids = running().map((a) => a.pid);
    backend.shutdown();
    await expect.poll(() => running().length, { timeout: 5_000 }).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});
