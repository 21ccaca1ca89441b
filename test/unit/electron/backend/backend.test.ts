import os from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Backend } from '../../../../electron/backend/backend.js';
import { forkLauncher } from '../../../../electron/training/launcher.js';
import type { TrainingEvent } from '../../../../shared/api/contract.js';
import { chain, node, project } from '../../../fixtures/graphs.js';
import { collect } from './events.js';

let backend: Backend;
afterEach(() => backend?.shutdown());

describe('Backend requests', () => {
  it('refuses unknown methods and malformed parameters with a code and the field', async () => {
    backend = new Backend({ launcher: forkLauncher });
    expect(await backend.dispatch('format.disk', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await backend.dispatch('templates.load', { id: 5 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: expect.stringContaining('id') },
    });
  });

  it('refuses a run with batch size 0 before starting anything', async () => {
    backend = new Backend({ launcher: () => expect.fail('no trainer may start') });
    const result = await backend.dispatch('training.start', { project: project(), config: { batchSize: 0 } });
    expect(result).toEqual({ ok: false, error: { code: 'INVALID_REQUEST', message: 'training.start: config.batchSize: batchSize must be at least 1' } });
  });

  it('refuses to train a graph with a cycle or an unknown layer, naming the node', async () => {
    backend = new Backend({ launcher: () => expect.fail('no trainer may start') });
    const cyclic = chain(node('in', 'Input', { shape: [28, 28, 1] }), node('f', 'Flatten'), node('a', 'Dense', { units: 10 }), node('b', 'Dense', { units: 10 }));
    cyclic.edges.push({ id: 'back', source: 'b', target: 'a' });
    const cycle = await backend.dispatch('training.start', { project: project(cyclic), config: {} });
    expect(cycle).toMatchObject({ ok: false, error: { code: 'GRAPH_ERRORS', message: expect.stringMatching(/a: This layer is part of a loop/) } });

    const unknown = chain(node('in', 'Input', { shape: [28, 28, 1] }), node('weird', 'Conv9D'));
    const result = await backend.dispatch('training.start', { project: project(unknown), config: {} });
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringContaining('weird: Unknown layer type "Conv9D"') } });
  });

  it('refuses a network whose output does not fit the data', async () => {
    backend = new Backend({ launcher: () => expect.fail('no trainer may start') });
    const graph = chain(node('in', 'Input', { shape: [28, 28, 1] }), node('f', 'Flatten'), node('out', 'Dense', { units: 5 }));
    const result = await backend.dispatch('training.start', { project: project(graph), config: {} });
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringContaining('MNIST handwritten digits has 10 classes') } });
  });

  it('gives every listener its events when one of them throws, saying which kind failed', () => {
    backend = new Backend({ launcher: forkLauncher });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const seen: string[] = [];
    backend.subscribe(() => {
      throw new Error('the window is gone');
    });
    backend.subscribe(({ event }) => seen.push(event.type));
    const event: TrainingEvent = { type: 'log', runId: 'r', level: 'info', message: 'hello' };
    try {
      (backend as unknown as { broadcast(e: { topic: 'training'; event: TrainingEvent }): void }).broadcast({ topic: 'training', event });
      expect(seen).toEqual(['log']);
      expect(stderr).toHaveBeenCalledWith(expect.stringContaining('a listener of training events failed: the window is gone'));
    } finally {
      stderr.mockRestore();
    }
  });

  it('opens project text and explains what is wrong with a broken one', async () => {
    backend = new Backend({ launcher: forkLauncher });
    const result = await backend.dispatch('project.open', { text: '{"schemaVersion": 1,', fileName: 'half.json' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_PROJECT', message: expect.stringContaining('half.json: The file is not valid JSON') } });
  });
});

describe('Backend training runs (real trainer processes on MNIST)', () => {
  it('streams started, batch, epoch and done events, with the backend used', async () => {
    backend = new Backend({ launcher: forkLauncher });
    const { events, until } = collect(backend);
    const { runId } = await backend.call('training.start', { project: project(), config: { maxBatches: 30, epochs: 2 } });
    const done = await until((e) => e.type === 'done' || e.type === 'error');
    expect(done).toMatchObject({ type: 'done', runId, reason: 'completed' });
    const started = events.find((e) => e.type === 'started')!;
    expect(started).toMatchObject({ backend: 'wasm', batchesPerEpoch: 30, trainSamples: 60_000, validationSamples: 10_000 });
    // Native TensorFlow is not installed here; WebAssembly was timed against plain JavaScript and won.
    if (started.type === 'started') {
      // No GPU here either: WebGPU is said to have no adapter, or only a software one.
      expect(started.backendNotes).toEqual([
        'tensorflow-gpu: not installed',
        'tensorflow: not installed',
        expect.stringMatching(/^webgpu: (no GPU adapter|only a software adapter here|not installed)/),
        expect.stringMatching(/^cpu: slower for this network \(/),
        // Then, on a machine of several cores, why a run this short keeps to one thread.
        ...(os.availableParallelism() > 1 ? ['more threads: a run of 60 batches ends before timing threads would pay off (CPU threads in the settings, or --threads, sets them)'] : []),
      ]);
      expect(started.threads).toBe(1);
    }
    const steps = events.flatMap((e) => (e.type === 'batch' ? e.points.map((p) => p.step) : []));
    expect(steps).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(events.filter((e) => e.type === 'batch').length).toBeLessThan(60);
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(2);
    if (done.type === 'done') expect(done.history[1]!.valAcc).toBeGreaterThan(0.5);
  });

  it('times a CNN on WebAssembly and on plain JavaScript before training, trains on the faster, and says why', async () => {
    backend = new Backend({ launcher: forkLauncher });
    const { events, until } = collect(backend);
    const cnn = chain(
      node('in', 'Input', { shape: [28, 28, 1] }),
      node('conv', 'Conv2D', { filters: 4, kernelSize: [3, 3], strides: [2, 2], activation: 'relu' }),
      node('flat', 'Flatten'),
      node('out', 'Dense', { units: 10, activation: 'softmax' }),
    );
    await backend.call('training.start', { project: project(cnn), config: { maxBatches: 5 } });
    const done = await until((e) => e.type === 'done' || e.type === 'error');
    expect(done).toMatchObject({ type: 'done', reason: 'completed' });
    const started = events.find((e) => e.type === 'started');
    if (started?.type !== 'started') throw new Error('no started event');
    const other = started.backend === 'wasm' ? 'cpu' : 'wasm';
    expect(started.backendNotes.find((n) => !/^\d+ threads?:/.test(n) && n.startsWith(other))).toMatch(new RegExp(`^${other}: slower for this network \\(.*samples/s.*\\)$`));
  }, 60_000);

  it('keeps answering requests while a run is in progress', async () => {
    backend = new Backend({ launcher: forkLauncher });
    const { events, until } = collect(backend);
    await backend.call('training.start', { project: project(), config: { maxBatches: 400 } });
    await until((e) => e.type === 'batch');
    for (let i = 0; i < 5; i++) {
      const { time } = await backend.call('ping', {});
      expect(time).toBeGreaterThan(0);
    }
    expect(events.some((e) => e.type === 'done' || e.type === 'error')).toBe(false);
  });

  it('stops within one batch of being asked', async () => {
    backend = new Backend({ launcher: forkLauncher });
    const { events, until } = collect(backend);
    const { runId } = await backend.call('training.start', { project: project(), config: {} });
    await until((e) => e.type === 'batch');
    const stepsBefore = events.flatMap((e) => (e.type === 'batch' ? e.points : [])).length;
    expect((await backend.call('training.stop', { runId })).stopping).toBe(true);
    const done = await until((e) => e.type === 'done' || e.type === 'error');
    expect(done).toMatchObject({ type: 'done', reason: 'stopped' });
    const stepsAfter = events.flatMap((e) => (e.type === 'batch' ? e.points : [])).length;
    // The trainer may have finished a batch or two already in flight when the request arrived.
    expect(stepsAfter - stepsBefore).toBeLessThanOrEqual(3);
    expect(stepsAfter).toBeLessThan(1875);
  });

  it('ends the run with the reason when the trainer is killed, and stays up', async () => {
    backend = new Backend({ launcher: forkLauncher });
    const { until } = collect(backend);
    const { runId, pid } = await backend.call('training.start', { project: project(), config: {} });
    await until((e) => e.type === 'batch');
    process.kill(pid!, 'SIGKILL');
    const end = await until((e) => e.type === 'error' || e.type === 'done');
    expect(end).toMatchObject({ type: 'error', runId, code: 'CRASH' });
    if (end.type === 'error') expect(end.message).toMatch(/^The training process stopped unexpectedly \(it was ended by signal SIGKILL\b/);
    expect((await backend.call('ping', {})).time).toBeGreaterThan(0);
    expect(await backend.call('templates.list', {})).toContainEqual(expect.objectContaining({ id: 'mlp-mnist' }));
  });

  it('reports missing data files as a clear run error', async () => {
    backend = new Backend({ launcher: forkLauncher, dataDirs: { mnist: '/nonexistent/mnist' } });
    const { until } = collect(backend);
    await backend.call('training.start', { project: project(), config: {} });
    const end = await until((e) => e.type === 'error' || e.type === 'done');
    expect(end).toMatchObject({ type: 'error', code: 'DATA', message: expect.stringContaining('Could not read MNIST handwritten digits: /nonexistent/mnist is missing train-images-idx3-ubyte') });
  });

  it('stops a diverging run with the likely causes', async () => {
    backend = new Backend({ launcher: forkLauncher });
    const { until } = collect(backend);
    // A linear output under squared error and plain SGD at this rate grows without bound.
    const p = project(chain(node('in', 'Input', { shape: [28, 28, 1] }), node('f', 'Flatten'), node('out', 'Dense', { units: 10 })));
    p.training.loss = 'meanSquaredError';
    await backend.call('training.start', { project: p, config: { learningRate: 10, optimizer: 'sgd' } });
    const end = await until((e) => e.type === 'error' || e.type === 'done');
    expect(end).toMatchObject({ type: 'error', code: 'NAN_LOSS', message: expect.stringContaining('learning rate (10) is too high') });
  });
});
