import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Backend } from '../../../../electron/backend/backend.js';
import { currentOwner, ownerAlive } from '../../../../electron/backend/run-owner.js';
import { forkLauncher, type TrainerExit, type TrainerHandle, type TrainerLauncher } from '../../../../electron/training/launcher.js';
import type { FromTrainer, ToTrainer } from '../../../../electron/training/protocol.js';
import type { SavedRun, TrainingEvent } from '../../../../shared/api/contract.js';
import { project } from '../../../fixtures/graphs.js';
import { collect } from './events.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const posix = process.platform !== 'win32';
let backend: Backend | undefined;
let dir = '';
let child: ChildProcess | undefined;
afterEach(async () => {
  backend?.shutdown();
  // A test that failed part way may leave a run.json write in flight in the folder removed next.
  await backend?.flushRuns();
  backend = undefined;
  child?.kill('SIGKILL');
  child = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = '';
});

const ended = (e: TrainingEvent) => e.type === 'done' || e.type === 'error';
const readRun = async (runDir: string): Promise<SavedRun> => JSON.parse(await readFile(path.join(runDir, 'run.json'), 'utf8'));

async function tempRunsDir(): Promise<string> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-runs-'));
  return dir;
}

describe('a Trainer killed from outside (real SIGKILL of a real Trainer)', () => {
  it('in its first epoch: names the signal and what it usually means, quotes no banner, and offers no checkpoint', async () => {
    backend = new Backend({ launcher: forkLauncher, runsDir: await tempRunsDir() });
    const { until } = collect(backend);
    const { runId, pid } = await backend.call('training.start', { project: project(), config: {} });
    await until((e) => e.type === 'batch');
    process.kill(pid!, 'SIGKILL');
    const end = await until(ended);
    expect(end).toMatchObject({ type: 'error', runId, code: 'CRASH' });
    if (end.type !== 'error') return;
    expect(end.message).toMatch(/^The training process stopped unexpectedly \(it was ended by signal SIGKILL: it was killed outright, which usually means the system ran out of memory/);
    expect(end.message).not.toMatch(/===/);
    expect(end.message).not.toMatch(/continue from the last checkpoint/);
    expect(end.message).toContain('there is no checkpoint to continue from');
  });

  it('after a checkpoint: offers to continue from it, naming its epoch', async () => {
    const runsDir = await tempRunsDir();
    backend = new Backend({ launcher: forkLauncher, runsDir });
    const { until } = collect(backend);
    const { runId, pid } = await backend.call('training.start', { project: project(), config: { maxBatches: 3, epochs: 200 } });
    await until((e) => e.type === 'checkpoint');
    process.kill(pid!, 'SIGKILL');
    const end = await until(ended);
    expect(end).toMatchObject({ type: 'error', runId, code: 'CRASH' });
    await backend.flushRuns();
    const [saved] = await backend.call('runs.list', { projectName: 'test network' });
    expect(saved).toMatchObject({ runId, status: 'failed' });
    expect(saved!.checkpoints.last).toBeGreaterThanOrEqual(1);
    if (end.type === 'error') expect(end.message).toContain(`continue from the last checkpoint (epoch ${saved!.checkpoints.last})`);
  });
});

/**
 * forkLauncher, except that the Trainer process starts only once its run is asked to stop, and
 * is then sent its start and its stop at once: both wait in its channel before it has booted,
 * so it reads the stop before it can have loaded data or chosen a backend.
 */
const startsOnStop: TrainerLauncher = () => {
  const held: ToTrainer[] = [];
  const onMessage: Array<(message: FromTrainer) => void> = [];
  const onExit: Array<(exit: TrainerExit) => void> = [];
  let trainer: TrainerHandle | null = null;
  return {
    get pid() {
      return trainer?.pid ?? null;
    },
    send(message) {
      if (trainer) return trainer.send(message);
      held.push(message);
      if (message.type !== 'stop') return;
      trainer = forkLauncher();
      onMessage.forEach((listener) => trainer!.onMessage(listener));
      onExit.forEach((listener) => trainer!.onExit(listener));
      for (const m of held) trainer.send(m);
    },
    onMessage: (listener) => (trainer ? trainer.onMessage(listener) : onMessage.push(listener)),
    onExit: (listener) => (trainer ? trainer.onExit(listener) : onExit.push(listener)),
    kill: () => trainer?.kill(),
  };
};

describe('a Stop before the Trainer is ready', () => {
  it('ends the run as stopped at once, without training a batch or naming a backend it never chose', async () => {
    const runsDir = await tempRunsDir();
    backend = new Backend({ launcher: startsOnStop, runsDir });
    const { events, until } = collect(backend);
    const { runId } = await backend.call('training.start', { project: project(), config: {} });
    expect((await backend.call('training.stop', { runId })).stopping).toBe(true);
    const end = await until(ended);
    expect(end).toEqual({ type: 'done', runId, reason: 'stopped', backend: null, history: [], samplesPerSec: 0 });
    expect(events.map((e) => e.type)).toEqual(['done']);
    await backend.flushRuns();
    const [saved] = await backend.call('runs.list', { projectName: 'test network' });
    expect(saved).toMatchObject({ runId, status: 'stopped' });
  });
});

// SIGSTOP holds a real Trainer where it is, so it cannot answer a Stop, whatever it was doing.
describe.runIf(posix)('a Trainer that does not answer a Stop', () => {
  it('is ended by NetCanvas once the grace is over, and the run is a stop that says so', async () => {
    // No grace at all: NetCanvas ends the Trainer as soon as the Stop goes unanswered.
    const runsDir = await tempRunsDir();
    backend = new Backend({ launcher: forkLauncher, runsDir, limits: { stopGraceMs: 0 } });
    const { events, until } = collect(backend);
    const { runId, pid } = await backend.call('training.start', { project: project(), config: {} });
    const started = await until((e) => e.type === 'started');
    process.kill(pid!, 'SIGSTOP');
    await backend.call('training.stop', { runId });
    const end = await until(ended);
    expect(end).toMatchObject({ type: 'done', runId, reason: 'stopped', backend: started.type === 'started' ? started.backend : 'none' });
    expect(events.some((e) => e.type === 'error')).toBe(false);
    const said = events.find((e) => e.type === 'log' && e.level === 'warn');
    expect(said).toMatchObject({ message: expect.stringMatching(/^Stopped: the training process did not answer within 0 s, so it was ended\. /) });
    await backend.flushRuns();
    const [saved] = await backend.call('runs.list', { projectName: 'test network' });
    expect(saved).toMatchObject({ runId, status: 'stopped', message: said?.type === 'log' ? said.message : 'none' });
  });

  it('is a crash, with its signal, when something else kills it before the grace is over', async () => {
    const runsDir = await tempRunsDir();
    backend = new Backend({ launcher: forkLauncher, runsDir });
    const { events, until } = collect(backend);
    const { runId, pid } = await backend.call('training.start', { project: project(), config: {} });
    await until((e) => e.type === 'started');
    process.kill(pid!, 'SIGSTOP');
    await backend.call('training.stop', { runId });
    // Well inside the 15 s NetCanvas waits: the system (out of memory, say) kills it.
    process.kill(pid!, 'SIGKILL');
    const end = await until(ended);
    expect(end).toMatchObject({ type: 'error', runId, code: 'CRASH' });
    if (end.type !== 'error') return;
    expect(end.message).toMatch(/^The training process stopped unexpectedly \(it was ended by signal SIGKILL: it was killed outright/);
    expect(events.some((e) => e.type === 'done' || (e.type === 'log' && /did not answer/.test(e.message)))).toBe(false);
    await backend.flushRuns();
    const [saved] = await backend.call('runs.list', { projectName: 'test network' });
    expect(saved).toMatchObject({ runId, status: 'failed', message: end.message });
  });
});

/** Starts a Backend in its own process with a run in flight; resolves with the run's id once its record is on disk. */
function backendElsewhere(runsDir: string): Promise<string> {
  child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'own-a-run.ts'), runsDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    let out = '';
    child!.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const started = /training (\S+)\n/.exec(out);
      if (started) resolve(started[1]!);
    });
    child!.on('exit', (code, signal) => reject(new Error(`the Backend process ended (${code ?? signal}) before training: ${stderr}`)));
  });
}

describe('runs left running by a NetCanvas that ended', () => {
  it('stay running while the NetCanvas that owns them lives, and are marked interrupted, with the time, once it has died', async () => {
    const runsDir = await tempRunsDir();
    const runId = await backendElsewhere(runsDir);
    const listed = async () => {
      const other = new Backend({ launcher: () => expect.fail('no trainer may start'), runsDir });
      await other.flushRuns();
      const runs = await other.call('runs.list', { projectName: 'test network' });
      other.shutdown();
      return runs;
    };
    // Its owner is alive in the other process: nothing is marked.
    expect((await listed()).map((r) => [r.runId, r.status])).toEqual([[runId, 'running']]);

    const before = await readRun(path.join(runsDir, 'test-network', runId));
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child!.kill('SIGKILL');
    await exited;
    // The next Backend to start marks it on disk, with when its record was last written.
    const next = new Backend({ launcher: () => expect.fail('no trainer may start'), runsDir });
    await next.flushRuns();
    next.shutdown();
    const after = await readRun(path.join(runsDir, 'test-network', runId));
    expect(after).toMatchObject({ runId, status: 'interrupted', owner: before.owner, history: before.history });
    expect(Date.parse(after.endedAt!)).toBeGreaterThanOrEqual(Date.parse(before.startedAt));
    expect(after.message).toMatch(/^Cut short at about \d{4}-\d\d-\d\d \d\d:\d\d UTC: the NetCanvas running it ended/);
    expect(after.message).toContain('there is no checkpoint to continue from');
    expect((await listed()).map((r) => r.status)).toEqual(['interrupted']);
  });

  it('tells a process from a later one given the same pid', () => {
    const me = currentOwner();
    expect(me.pid).toBe(process.pid);
    expect(ownerAlive(me)).toBe(true);
    if (process.platform === 'linux') {
      expect(me.started).toMatch(/^[\w-]+:\d+$/);
      expect(ownerAlive({ pid: process.pid, started: `${me.started}0` })).toBe(false);
    }
  });
});
