import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Backend } from '../../../../electron/backend/backend.js';
import { forkLauncher } from '../../../../electron/training/launcher.js';
import type { TrainingEvent } from '../../../../shared/api/contract.js';
import { chain, node, project } from '../../../fixtures/graphs.js';
import { collect } from './events.js';

let backend: Backend | undefined;
let dir = '';
afterEach(async () => {
  backend?.shutdown();
  backend = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = '';
});

const ended = (e: TrainingEvent) => e.type === 'done' || e.type === 'error';

describe('runs at once', () => {
  it('refuses a run past the limit with RUN_ACTIVE, saying how many train and how to stop one', async () => {
    backend = new Backend({ launcher: forkLauncher, ephemeralRuns: true, limits: { maxRuns: 1 } });
    const { until } = collect(backend);
    const first = await backend.call('training.start', { project: project(), config: {} });
    const second = await backend.dispatch('training.start', { project: { ...project(), name: 'second' }, config: {} });
    expect(second).toMatchObject({ ok: false, error: { code: 'RUN_ACTIVE' } });
    if (!second.ok) {
      expect(second.error.message).toMatch(/^1 run is training already \(of "test network"\)/);
      expect(second.error.message).toContain('Stop one first');
      expect(second.error.message).toContain('NETCANVAS_MAX_RUNS');
    }
    const stopped = until(ended);
    await backend.call('training.stop', { runId: first.runId });
    expect(await stopped).toMatchObject({ type: 'done', reason: 'stopped' });
    // With the first one over, another may start.
    const third = await backend.call('training.start', { project: project(), config: { maxBatches: 1 } });
    expect(third.runId).not.toBe(first.runId);
  });

  it('names a NETCANVAS_MAX_RUNS that is not a number', async () => {
    const saved = process.env.NETCANVAS_MAX_RUNS;
    process.env.NETCANVAS_MAX_RUNS = 'four';
    try {
      backend = new Backend({ launcher: () => expect.fail('no trainer may start'), ephemeralRuns: true });
      expect(await backend.dispatch('training.start', { project: project(), config: {} })).toEqual({
        ok: false,
        error: { code: 'INVALID_REQUEST', message: 'NETCANVAS_MAX_RUNS must be a whole number of runs, at least 1 (it is "four"). Change or unset it, then start NetCanvas again.' },
      });
    } finally {
      if (saved === undefined) delete process.env.NETCANVAS_MAX_RUNS;
      else process.env.NETCANVAS_MAX_RUNS = saved;
    }
  });
});

describe('a Trainer that uses more memory than it may', () => {
  it('ends the run with OUT_OF_MEMORY and says what to make smaller', async () => {
    backend = new Backend({ launcher: forkLauncher, ephemeralRuns: true, limits: { trainerMemoryMb: 700 } });
    const { until } = collect(backend);
    // About 52 million weights: with Adam's two moments and the gradients, well over 700 MB in WebAssembly memory.
    const wide = chain(node('in', 'Input', { shape: [28, 28, 1] }), node('f', 'Flatten'), node('wide', 'Dense', { units: 65_536 }), node('out', 'Dense', { units: 10, activation: 'softmax' }));
    const end = until(ended);
    await backend.call('training.start', { project: project(wide, 4), config: { backend: 'wasm', maxBatches: 20 } });
    const result = await end;
    expect(result).toMatchObject({ type: 'error', code: 'OUT_OF_MEMORY' });
    if (result.type === 'error') {
      expect(result.message).toMatch(/^The training used more than 700 MB of memory \(\d+ MB\), the most one run may use here, so it was ended\./);
      expect(result.message).toContain('Try a smaller batch size, a smaller network or smaller images.');
    }
  }, 120_000);
});

describe('project size', () => {
  const huge = () => ({ ...project(), description: 'x'.repeat(33 * 1024 * 1024) });

  it('refuses to open project text over 32 MB, saying how large it is', async () => {
    backend = new Backend({ launcher: () => expect.fail('no trainer may start'), ephemeralRuns: true });
    const text = JSON.stringify(huge());
    expect(await backend.dispatch('project.open', { text, fileName: 'huge.netcanvas.json' })).toEqual({
      ok: false,
      error: { code: 'INVALID_PROJECT', message: expect.stringMatching(/^huge\.netcanvas\.json is 33 MB; NetCanvas keeps projects of up to 32 MB\./) },
    });
  });

  it('refuses to save, keep a recovery copy of or train a project over 32 MB, writing nothing', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-size-'));
    backend = new Backend({ launcher: () => expect.fail('no trainer may start'), projectsDir: dir, stateDir: path.join(dir, 'state'), ephemeralRuns: true });
    const tooLarge = { ok: false, error: { code: 'INVALID_PROJECT', message: expect.stringContaining('MB; NetCanvas keeps projects of up to 32 MB') } };
    expect(await backend.dispatch('projects.saveAs', { project: huge(), fileName: 'huge' })).toEqual(tooLarge);
    expect(await backend.dispatch('projects.autosave', { docId: 'd1', owner: { client: 'c', window: 'w' }, project: huge(), path: null })).toEqual(tooLarge);
    expect(await backend.dispatch('training.start', { project: huge(), config: {} })).toEqual(tooLarge);
    expect(await readdir(dir)).toEqual([]);
  });
});
