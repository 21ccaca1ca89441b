import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTorchPython } from '../../../../electron/pytorch/python.js';
import type { EpochRecord, TrainingEvent } from '../../../../shared/api/contract.js';
import { template } from '../insight/trained.js';
import { trainingBackend } from '../backend/events.js';

/**
 * The PyTorch engine through a real Backend and Trainer process, with Debian's python3-torch:
 * the same network, seed and batches as tfjs's cpu backend, so the two must agree epoch by
 * epoch; its events, checkpoints and a continued run work as a tfjs run's do.
 */

const torch = findTorchPython();

const { backend, events, until, train } = trainingBackend('netcanvas-pytorch-engine-');

const ofRun = (runId: string) => events().filter((e) => e.runId === runId);

const history = (end: TrainingEvent): EpochRecord[] => (end.type === 'done' ? end.history : []);

/** Each epoch's figures of two runs, relatively within `tolerance`. */
function expectSameEpochs(a: EpochRecord[], b: EpochRecord[], tolerance: number): void {
  expect(a.map((r) => r.epoch)).toEqual(b.map((r) => r.epoch));
  a.forEach((r, i) => {
    for (const key of ['loss', 'valLoss', 'acc', 'valAcc'] as const) {
      const [x, y] = [r[key]!, b[i]![key]!];
      expect(Math.abs(x - y), `epoch ${r.epoch} ${key}: ${x} against ${y}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(y)));
    }
  });
}

describe.skipIf(torch.python === null)(`the PyTorch engine (${torch.reason ?? torch.python})`, () => {
  const iris = template('mlp-iris');
  let pytorchRun = '';
  let cpuRun = '';

  it('trains a template from the same weights as tfjs, and its events reach the charts as a tfjs run’s do', async () => {
    const config = { epochs: 2, seed: 5 } as const;
    const onPytorch = await train(iris, { ...config, backend: 'pytorch' });
    const onCpu = await train(iris, { ...config, backend: 'cpu' });
    expect(onPytorch.end).toMatchObject({ type: 'done', reason: 'completed', backend: 'pytorch' });
    expect(onCpu.end).toMatchObject({ type: 'done', reason: 'completed', backend: 'cpu' });
    pytorchRun = onPytorch.runId;
    cpuRun = onCpu.runId;

    const seen = ofRun(pytorchRun);
    const started = seen.find((e) => e.type === 'started');
    expect(started).toMatchObject({ backend: 'pytorch', firstEpoch: 1, epochs: 2, trainSamples: 120, validationSamples: 30 });
    if (started?.type === 'started') expect(started.device).toMatch(/^(cpu, \d+ threads?, .+|cuda \(.+\)|mps \(.+\)) \(PyTorch \d/);
    const points = seen.flatMap((e) => (e.type === 'batch' ? e.points : []));
    expect(points.map((p) => p.step)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    for (const p of points) expect(Number.isFinite(p.loss) && p.acc !== null).toBe(true);
    expect(seen.filter((e) => e.type === 'epoch').map((e) => (e.type === 'epoch' ? e.record.epoch : 0))).toEqual([1, 2]);
    expect(seen.filter((e) => e.type === 'checkpoint').map((e) => (e.type === 'checkpoint' ? e.epoch : 0))).toEqual([1, 2]);

    // Same initial weights, same batches, same optimizer: the same figures, within float32's rounding.
    expectSameEpochs(history(onPytorch.end), history(onCpu.end), 1e-4);
    const cpuPoints = ofRun(cpuRun).flatMap((e) => (e.type === 'batch' ? e.points : []));
    expect(points[0]!.loss).toBeCloseTo(cpuPoints[0]!.loss, 5);
  });

  it('saves the run with PyTorch’s weights and optimizer state, so it continues as a tfjs run would', async () => {
    const runs = await backend().call('runs.list', { projectName: iris.name });
    const saved = runs.find((r) => r.runId === pytorchRun)!;
    expect(saved).toMatchObject({ status: 'completed', history: history(ofRun(pytorchRun).find((e) => e.type === 'done')!) });
    expect(saved.checkpoints.last).not.toBeNull();

    // Continued one epoch on each engine: Adam's moments came back from PyTorch, so the third epoch agrees too.
    const more = { epochs: 1, seed: 5 } as const;
    const onPytorch = await train(iris, { ...more, backend: 'pytorch', resumeFrom: { runId: pytorchRun } });
    const onCpu = await train(iris, { ...more, backend: 'cpu', resumeFrom: { runId: cpuRun } });
    expect(onPytorch.end).toMatchObject({ type: 'done', reason: 'completed' });
    expectSameEpochs(history(onPytorch.end), history(onCpu.end), 1e-4);
    expect(history(onPytorch.end).map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(ofRun(onPytorch.runId).some((e) => e.type === 'log' && /optimizer starts afresh/.test(e.message))).toBe(false);
  });

  it('goes on from a PyTorch run on tfjs with its weights, saying that the optimizer starts afresh', async () => {
    const { runId, end } = await train(iris, { epochs: 1, seed: 5, backend: 'cpu', resumeFrom: { runId: pytorchRun } });
    expect(end).toMatchObject({ type: 'done', reason: 'completed' });
    const log = ofRun(runId).find((e) => e.type === 'log');
    expect(log).toMatchObject({ level: 'info', message: expect.stringContaining('trained with PyTorch') });
    // It starts from epoch 2's weights: its first batch is as good as the PyTorch run's last epoch.
    expect(history(end).at(-1)!.loss).toBeLessThan(history(end)[0]!.loss);
  });

  it('refuses a GAN in words, before anything trains', async () => {
    const { end } = await train(template('dcgan-mnist'), { epochs: 1, maxBatches: 1, backend: 'pytorch' });
    expect(end).toMatchObject({ type: 'error', code: 'BACKEND', message: expect.stringContaining('a GAN') });
  });
});

describe.runIf(torch.python !== null && process.platform === 'linux')('a PyTorch process that dies during a run', () => {
  /** The engine's process of a run: the one whose working folder is that run's. */
  const engineOf = async (runId: string): Promise<number | null> => {
    const { readdir, readlink } = await import('node:fs/promises');
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => '');
      if (path.basename(cwd).startsWith(`netcanvas-pytorch-${runId}-`)) return Number(entry);
    }
    return null;
  };

  it('ends the run with what happened, in words, and the Backend trains on', async () => {
    // Far more epochs than it will live through: it is still training when its PyTorch is killed.
    const { runId } = await backend().call('training.start', { project: template('mlp-iris'), config: { epochs: 5000, backend: 'pytorch' } });
    await until((e) => e.runId === runId && e.type === 'batch');
    const pid = await engineOf(runId);
    expect(pid).not.toBeNull();
    process.kill(pid!, 'SIGKILL');
    const end = await until((e) => e.runId === runId && (e.type === 'done' || e.type === 'error'));
    expect(end).toMatchObject({ type: 'error', code: 'CRASH', message: expect.stringMatching(/^Training failed in PyTorch: PyTorch stopped \(signal SIGKILL\)/) });
    const again = await train(template('mlp-iris'), { epochs: 1, maxBatches: 2, backend: 'pytorch' });
    expect(again.end).toMatchObject({ type: 'done', reason: 'completed' });
  });
});
