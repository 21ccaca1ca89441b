import { beforeEach, describe, expect, it } from 'vitest';
import type { SavedRun, TrainingEvent } from '../../../../shared/api/contract.js';
import { activeRunKey, comparedOf, currentRunOf, docRunKeys, useTrainingStore } from '../../../../renderer/stores/trainingStore.js';

const store = () => useTrainingStore.getState();
const begin = (docId = 'doc-a') => store().begin({ projectName: 'MLP', docId, projectPath: null, settings: { learningRate: 0.01 }, task: 'classify', epochs: 1 });
const owner = { docId: 'doc-a', projectPath: null };
const batch = (runId: string, step: number): TrainingEvent => ({ type: 'batch', runId, epoch: 1, batch: step, batchesPerEpoch: 10, samplesPerSec: 1, points: [{ step, loss: 1, acc: null }] });
const saved = (runId: string, startedAt: string): SavedRun => ({
  runId,
  projectName: 'MLP',
  startedAt,
  status: 'completed',
  task: 'classify',
  settings: { learningRate: 0.1 },
  history: [],
  points: [],
  checkpoints: { last: 1, best: 1 },
  dir: '/runs',
});

beforeEach(() => useTrainingStore.setState({ runs: {}, order: [], byRunId: {}, currentKey: null, compared: [] }));

describe('the training store', () => {
  it('keeps every run of the session, the newest current', () => {
    const first = begin();
    const second = begin();
    expect(store().order).toEqual([first, second]);
    expect(store().currentKey).toBe(second);
    expect(store().runs[first]!.number).toBe(1);
  });

  it('holds events that arrive before the Backend has named the run, and hands them over once it has', () => {
    const key = begin();
    store().applyEvents([batch('r1', 1), batch('other-window', 1)]);
    expect(store().runs[key]!.points).toHaveLength(0);
    store().attach(key, 'r1');
    expect(store().runs[key]!.points.map((p) => p.step)).toEqual([1]);
    store().applyEvents([batch('r1', 2)]);
    expect(store().runs[key]!.points.map((p) => p.step)).toEqual([1, 2]);
  });

  it('routes each event to its own run', () => {
    const a = begin();
    store().attach(a, 'ra');
    const b = begin();
    store().attach(b, 'rb');
    store().applyEvents([batch('ra', 1), batch('rb', 1), batch('rb', 2)]);
    expect(store().runs[a]!.points).toHaveLength(1);
    expect(store().runs[b]!.points).toHaveLength(2);
  });

  it('adds saved runs oldest first, once each, and never lets them hold the controls', () => {
    store().addSaved([saved('s2', '2026-02-01T00:00:00Z'), { ...saved('s1', '2026-01-01T00:00:00Z'), status: 'running' }], owner);
    store().addSaved([saved('s2', '2026-02-01T00:00:00Z')], owner);
    const runs = store().order.map((k) => store().runs[k]!);
    expect(runs.map((r) => r.runId)).toEqual(['s1', 's2']);
    expect(activeRunKey(store())).toBeNull();
  });

  it('ticks runs for comparison and unticks them', () => {
    const a = begin();
    const b = begin();
    store().toggleCompared(a);
    store().toggleCompared(b);
    store().toggleCompared(a);
    expect(store().compared).toEqual([b]);
  });

  it('gives Stop to the run that trains, even when another is shown', () => {
    const a = begin();
    store().attach(a, 'ra');
    const b = begin();
    store().fail(b, 'no');
    store().select(b);
    expect(activeRunKey(store())).toBe(a);
    store().requestStop(a);
    expect(store().runs[a]!.status).toBe('stopping');
  });

  it('shows each project its own runs: another project opened shows none of the first one’s', () => {
    const a = begin('doc-a');
    store().attach(a, 'ra');
    store().toggleCompared(a);
    expect(currentRunOf(store(), 'doc-b')).toBeUndefined();
    expect(docRunKeys(store(), 'doc-b')).toEqual([]);
    expect(comparedOf(store(), 'doc-b')).toEqual([]);
    const b = begin('doc-b');
    expect(currentRunOf(store(), 'doc-b')?.key).toBe(b);
    // Back on the first project (undo, or opened again), its run is the one shown.
    expect(currentRunOf(store(), 'doc-a')?.key).toBe(a);
    expect(comparedOf(store(), 'doc-a')).toEqual([a]);
  });

  it('moves saved runs to the document that opens their file again', () => {
    store().addSaved([saved('s1', '2026-01-01T00:00:00Z')], { docId: 'first', projectPath: '/p/x.netcanvas.json' });
    store().addSaved([saved('s1', '2026-01-01T00:00:00Z')], { docId: 'second', projectPath: '/p/x.netcanvas.json' });
    expect(docRunKeys(store(), 'first')).toEqual([]);
    expect(docRunKeys(store(), 'second')).toHaveLength(1);
  });
});
