import { access, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Backend } from '../../../../electron/backend/backend.js';
import { mobyDickDirectory } from '../../../../electron/data/text.js';
import { forkLauncher } from '../../../../electron/training/launcher.js';
import type { Samples, TrainingEvent } from '../../../../shared/api/contract.js';
import { projectSchema, type Project } from '../../../../shared/project/schema.js';
import { project as mlpProject } from '../../../fixtures/graphs.js';

let backend: Backend | undefined;
afterEach(() => backend?.shutdown());

const template = async (id: string): Promise<Project> => projectSchema.parse(JSON.parse(await readFile(`templates/${id}.netcanvas.json`, 'utf8')));

async function withBackend(options: Partial<ConstructorParameters<typeof Backend>[0]> = {}) {
  const runsDir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-runs-'));
  backend = new Backend({ launcher: forkLauncher, runsDir, ...options });
  const events: TrainingEvent[] = [];
  const waiters = new Set<() => void>();
  backend.subscribe(({ event }) => {
    events.push(event);
    waiters.forEach((w) => w());
  });
  const until = (pred: (e: TrainingEvent) => boolean, from = 0) =>
    new Promise<TrainingEvent>((resolve) => {
      const check = () => {
        const hit = events.slice(from).find(pred);
        if (hit) {
          waiters.delete(check);
          resolve(hit);
        }
      };
      waiters.add(check);
      check();
    });
  const end = (from = 0) => until((e) => e.type === 'done' || e.type === 'error', from);
  return { backend, events, until, end, runsDir };
}

const samplesOf = (events: TrainingEvent[]) => events.flatMap((e) => (e.type === 'samples' ? [{ epoch: e.epoch, samples: e.samples }] : []));
const exists = (file: string) => access(file).then(() => true, () => false);

describe('every task trains through the Backend (real trainer processes)', () => {
  it('trains the DCGAN: generator and discriminator losses per batch, a fixed-noise sample grid before and after each epoch, checkpoints and models on disk', async () => {
    const { backend, events, end } = await withBackend();
    const { runId } = await backend.call('training.start', { project: await template('dcgan-mnist'), config: { epochs: 1, maxBatches: 3 } });
    const done = await end();
    expect(done).toMatchObject({ type: 'done', reason: 'completed' });
    expect(events.find((e) => e.type === 'started')).toMatchObject({ task: 'gan', trainSamples: 60_000, batchesPerEpoch: 3 });
    const points = events.flatMap((e) => (e.type === 'batch' ? e.points : []));
    expect(points).toHaveLength(3);
    for (const p of points) expect(p.loss).toBeCloseTo(p.dLoss! + p.gLoss!, 5);
    const grids = samplesOf(events);
    expect(grids.map((g) => g.epoch)).toEqual([0, 1]);
    const first = grids[0]!.samples as Extract<Samples, { kind: 'images' }>;
    expect(first.images).toMatchObject({ count: 64, height: 28, width: 28, channels: 1 });
    expect(Buffer.from(first.images.pixels, 'base64')).toHaveLength(64 * 28 * 28);
    await backend.flushRuns();
    const [saved] = await backend.call('runs.list', { projectName: 'DCGAN on MNIST' });
    expect(saved).toMatchObject({ runId, status: 'completed', task: 'gan', checkpoints: { last: 1, best: null } });
    expect(await exists(path.join(saved!.dir, 'last.ckpt'))).toBe(true);
    expect(await exists(path.join(saved!.dir, 'generator.model.json'))).toBe(true);
  }, 120_000);

  it('trains the character LSTM and writes text at the asked temperature, also on demand while paused', async () => {
    const { backend, events, until, end } = await withBackend();
    const { runId } = await backend.call('training.start', { project: await template('char-lstm-moby-dick'), config: { epochs: 1, maxBatches: 4, batchSize: 32, temperature: 0.5 } });
    await until((e) => e.type === 'batch');
    expect((await backend.call('training.pause', { runId })).paused).toBe(true);
    await until((e) => e.type === 'paused' && e.paused);
    expect((await backend.call('training.samples', { runId, temperature: 1.5 })).requested).toBe(true);
    const onDemand = await until((e) => e.type === 'samples' && e.samples.kind === 'text' && e.samples.temperature === 1.5);
    if (onDemand.type === 'samples' && onDemand.samples.kind === 'text') {
      expect(onDemand.samples.seed).toHaveLength(40);
      expect(onDemand.samples.text).toHaveLength(240);
      expect(onDemand.samples.text).toMatch(/^[\n !"'(),\-.:;?a-z]+$/);
    }
    expect((await backend.call('training.resume', { runId })).resumed).toBe(true);
    const done = await end();
    expect(done).toMatchObject({ type: 'done', reason: 'completed' });
    if (done.type === 'done') expect(done.history[0]!.valLoss).toBeGreaterThan(0);
    expect(samplesOf(events).filter((s) => s.samples.kind === 'text' && s.samples.temperature === 0.5).map((s) => s.epoch)).toEqual([0, 1]);
  }, 180_000);

  it('trains the autoencoder and shows reconstructions beside the originals', async () => {
    const { backend, events, end } = await withBackend();
    await backend.call('training.start', { project: await template('autoencoder-mnist'), config: { epochs: 1, maxBatches: 100 } });
    expect(await end()).toMatchObject({ type: 'done', reason: 'completed' });
    const last = samplesOf(events).at(-1)!.samples;
    expect(last.kind).toBe('reconstructions');
    if (last.kind !== 'reconstructions') return;
    expect(last.originals).toMatchObject({ count: 16, height: 28, width: 28 });
    expect(last.reconstructions).toMatchObject({ count: 16, height: 28, width: 28 });
    // After a few batches the reconstructions resemble their originals more than a blank image does.
    const [a, b] = [Buffer.from(last.originals.pixels, 'base64'), Buffer.from(last.reconstructions.pixels, 'base64')];
    const error = a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0);
    const blank = a.reduce((sum, v) => sum + v, 0);
    expect(error).toBeLessThan(blank);
  }, 120_000);

  it('trains the character Transformer with its causal mask', async () => {
    const { backend, end } = await withBackend();
    await backend.call('training.start', { project: await template('char-transformer-moby-dick'), config: { epochs: 1, maxBatches: 2, batchSize: 16 } });
    const done = await end();
    expect(done).toMatchObject({ type: 'done', reason: 'completed' });
    if (done.type === 'done') expect(done.history[0]!.valAcc).toBeGreaterThan(0);
  }, 180_000);
});

describe('runs are kept and can go on after a restart', () => {
  it('continues a finished run from its checkpoint in a new Backend, with its history', async () => {
    const first = await withBackend();
    const p = mlpProject();
    const { runId } = await first.backend.call('training.start', { project: p, config: { epochs: 1, maxBatches: 5 } });
    expect(await first.end()).toMatchObject({ type: 'done', reason: 'completed' });
    await first.backend.flushRuns();
    first.backend.shutdown();

    // As after an app restart: a fresh Backend over the same folder of runs.
    const again = new Backend({ launcher: forkLauncher, runsDir: first.runsDir });
    backend = again;
    const [saved] = await again.call('runs.list', { projectName: p.name });
    expect(saved).toMatchObject({ runId, status: 'completed', checkpoints: { last: 1, best: 1 } });
    expect(saved!.history).toHaveLength(1);
    expect(saved!.points).toHaveLength(5);
    const events: TrainingEvent[] = [];
    again.subscribe(({ event }) => events.push(event));
    await again.call('training.start', { project: p, config: { epochs: 1, maxBatches: 5, resumeFrom: { runId, checkpoint: 'best' } } });
    while (!events.some((e) => e.type === 'done' || e.type === 'error')) await new Promise((r) => setTimeout(r, 50));
    expect(events.find((e) => e.type === 'started')).toMatchObject({ firstEpoch: 2, epochs: 2, history: [expect.objectContaining({ epoch: 1 })] });
    expect(events.find((e) => e.type === 'done')).toMatchObject({ reason: 'completed', history: [expect.objectContaining({ epoch: 1 }), expect.objectContaining({ epoch: 2 })] });
    const steps = events.flatMap((e) => (e.type === 'batch' ? e.points.map((pt) => pt.step) : []));
    expect(steps).toEqual([6, 7, 8, 9, 10]);
  }, 120_000);

  it('says plainly when there is nothing to continue from', async () => {
    const { backend } = await withBackend();
    await expect(backend.call('training.start', { project: mlpProject(), config: { resumeFrom: { runId: 'nope' } } })).rejects.toThrow('No saved run nope of "test network" to continue from.');
  });

  it('records a killed trainer as a failed run, with the reason, and keeps answering', async () => {
    const { backend, until, end } = await withBackend();
    const p = mlpProject();
    const { runId, pid } = await backend.call('training.start', { project: p, config: {} });
    await until((e) => e.type === 'batch');
    process.kill(pid!, 'SIGKILL');
    expect(await end()).toMatchObject({ type: 'error', code: 'CRASH' });
    await backend.flushRuns();
    const [saved] = await backend.call('runs.list', { projectName: p.name });
    expect(saved).toMatchObject({ runId, status: 'failed', message: expect.stringContaining('ended by signal SIGKILL') });
    expect((await backend.call('ping', {})).time).toBeGreaterThan(0);
  });
});

describe('a seed makes a run repeatable', () => {
  async function losses(seed: number): Promise<number[]> {
    const { backend, events, end } = await withBackend({ ephemeralRuns: true });
    // Dropout and the initial weights both draw on the seed, not only the shuffle.
    await backend.call('training.start', { project: mlpProject(), config: { epochs: 1, maxBatches: 6, seed, backend: 'wasm' } });
    await end();
    backend.shutdown();
    return events.flatMap((e) => (e.type === 'batch' ? e.points.map((p) => p.loss) : []));
  }

  it('gives the same losses for the same seed and different ones for another', async () => {
    const [a, b, c] = [await losses(7), await losses(7), await losses(8)];
    expect(a).toHaveLength(6);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  }, 120_000);
});

describe('missing data ends a run with the file it needed', () => {
  it('names the Moby-Dick chapter that was pulled away', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-moby-'));
    await cp(mobyDickDirectory(), dir, { recursive: true });
    await rm(path.join(dir, 'chapter_42.txt'));
    const { backend, end } = await withBackend({ dataDirs: { 'moby-dick': dir } });
    await backend.call('training.start', { project: await template('char-lstm-moby-dick'), config: { maxBatches: 1 } });
    expect(await end()).toMatchObject({ type: 'error', code: 'DATA', message: expect.stringContaining(`Could not read Moby-Dick: ${path.join(dir, 'chapter_42.txt')}: the file is missing`) });
    await rm(dir, { recursive: true });
  });
});
