import { describe, expect, it } from 'vitest';
import type { TrainingEvent } from '../../../../shared/api/contract.js';
import { activeMs, applyRunEvents, isActive, newRun, runProgress, savedRun, statusLabel, MAX_SAMPLE_ENTRIES } from '../../../../renderer/stores/runs.js';

const base = () => newRun({ key: 'k', number: 1, projectName: 'p', docId: 'd', projectPath: null, settings: {}, task: 'classify', epochs: 3, startedAt: 0 });
const started = (over: Partial<Extract<TrainingEvent, { type: 'started' }>> = {}): TrainingEvent => ({
  type: 'started',
  runId: 'r',
  task: 'classify',
  backend: 'wasm',
  backendNotes: ['tensorflow: not installed'],
  epochs: 3,
  firstEpoch: 1,
  batchesPerEpoch: 10,
  trainSamples: 100,
  validationSamples: 10,
  history: [],
  ...over,
});
const batch = (epoch: number, b: number, steps: number[]): TrainingEvent => ({
  type: 'batch',
  runId: 'r',
  epoch,
  batch: b,
  batchesPerEpoch: 10,
  samplesPerSec: 500,
  points: steps.map((step) => ({ step, loss: 1 / step, acc: null })),
});

describe('a run fed its events', () => {
  it('appends a burst of batches at once and tracks where it is', () => {
    const run = applyRunEvents(base(), [started(), batch(1, 2, [1, 2]), batch(1, 4, [3, 4])], 1000);
    expect(run.status).toBe('running');
    expect(run.points.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(runProgress(run)).toEqual({ done: 4, total: 30 });
    expect(run.backendNotes).toEqual(['tensorflow: not installed']);
  });

  it('leaves paused time out of the clock that estimates time left', () => {
    let run = applyRunEvents(base(), [started()], 0);
    run = applyRunEvents(run, [{ type: 'paused', runId: 'r', paused: true }], 1_000);
    expect(run.status).toBe('paused');
    expect(activeMs(run.clock, 60_000)).toBe(1_000);
    run = applyRunEvents(run, [{ type: 'paused', runId: 'r', paused: false }], 60_000);
    expect(run.status).toBe('running');
    expect(activeMs(run.clock, 61_000)).toBe(2_000);
  });

  it('counts a resumed run from the epoch it starts at, with the history it carries over', () => {
    const carried = [{ epoch: 1, loss: 0.5, acc: 0.8, valLoss: 0.4, valAcc: 0.85 }];
    const run = applyRunEvents(base(), [started({ epochs: 3, firstEpoch: 2, history: carried }), batch(2, 5, [15])], 0);
    expect(run.history).toEqual(carried);
    expect(runProgress(run)).toEqual({ done: 5, total: 20 });
  });

  it('keeps going with a Backend that sends no task, first epoch or history', () => {
    const { task: _t, firstEpoch: _f, history: _h, ...old } = started() as Extract<TrainingEvent, { type: 'started' }>;
    const run = applyRunEvents(base(), [old as TrainingEvent], 0);
    expect(run.firstEpoch).toBe(1);
    expect(run.history).toEqual([]);
    expect(run.task).toBe('classify');
  });

  it('learns its checkpoints, ends as the done event says, and keeps a bounded list of samples', () => {
    const samples: TrainingEvent[] = Array.from({ length: MAX_SAMPLE_ENTRIES + 5 }, (_, i) => ({
      type: 'samples',
      runId: 'r',
      epoch: i + 1,
      samples: { kind: 'text', seed: 'Call me', text: 'Call me Ishmael', temperature: 0.8 },
    }));
    const run = applyRunEvents(
      base(),
      [
        started(),
        ...samples,
        { type: 'checkpoint', runId: 'r', epoch: 2, kinds: ['last', 'best'], dir: '/x' },
        { type: 'checkpoint', runId: 'r', epoch: 3, kinds: ['last'], dir: '/x' },
        { type: 'done', runId: 'r', reason: 'early-stopped', backend: 'wasm', history: [], samplesPerSec: 10 },
      ],
      0,
    );
    expect(run.samples).toHaveLength(MAX_SAMPLE_ENTRIES);
    expect(run.samples[run.samples.length - 1]!.epoch).toBe(MAX_SAMPLE_ENTRIES + 5);
    expect(run.checkpoints).toEqual({ last: 3, best: 2 });
    expect(run.status).toBe('early-stopped');
  });

  it('fails with the message of an error event', () => {
    const run = applyRunEvents(base(), [started(), { type: 'error', runId: 'r', code: 'NAN_LOSS', message: 'Training diverged' }], 0);
    expect(run.status).toBe('failed');
    expect(run.error).toBe('Training diverged');
  });

  it('reads a saved run that was cut short as interrupted, with the message saying when', () => {
    const saved = { runId: 's', projectName: 'p', startedAt: '2026-01-01T00:00:00Z', task: 'classify' as const, settings: { epochs: 4 }, history: [], points: [], checkpoints: { last: 1, best: null }, dir: '/d' };
    const message = 'Cut short at about 2026-01-01 00:05 UTC: the NetCanvas running it ended (closed, crashed or killed) before the run did.';
    const run = savedRun({ ...saved, status: 'interrupted', endedAt: '2026-01-01T00:05:00Z', message }, 'k2', 2, { docId: 'd', projectPath: null });
    expect(run).toMatchObject({ saved: true, status: 'interrupted', epochs: 4, checkpoints: { last: 1, best: null }, warning: message, error: null });
  });

  it('reads a saved run still training in another NetCanvas as running elsewhere, which this window cannot stop', () => {
    const saved = { runId: 's', projectName: 'p', startedAt: '2026-01-01T00:00:00Z', task: 'classify' as const, settings: { epochs: 4 }, history: [], points: [], checkpoints: { last: 1, best: null }, dir: '/d' };
    for (const status of ['running', 'paused'] as const) {
      const run = savedRun({ ...saved, status }, 'k3', 3, { docId: 'd', projectPath: null });
      expect(run.status).toBe('elsewhere');
      // Not active here: no Stop, Pause or Samples act on it, and it holds back no Train.
      expect(isActive(run.status)).toBe(false);
      expect(statusLabel(run.status)).toBe('running elsewhere');
      expect(run.warning).toMatch(/still training, started from another window or another NetCanvas/);
    }
  });

  it('names no backend for a run stopped before it chose one', () => {
    const run = applyRunEvents(base(), [{ type: 'done', runId: 'r', reason: 'stopped', backend: null, history: [], samplesPerSec: 0 }], 0);
    expect(run).toMatchObject({ status: 'stopped', backend: null });
  });
});
