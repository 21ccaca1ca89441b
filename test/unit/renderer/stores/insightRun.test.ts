import { describe, expect, it } from 'vitest';
import { inputFits, insightBlocker, insightRefOf, refFromKey, refKey, weightsGap } from '../../../../renderer/stores/insightRun.js';
import { newRun, type Run } from '../../../../renderer/stores/runs.js';
import { insightInfo } from '../../../fixtures/insight/info.js';

const run = (over: Partial<Run> = {}): Run => ({
  ...newRun({ key: 'k', number: 1, projectName: 'mnist', docId: 'd', projectPath: null, settings: {}, task: 'classify', epochs: 1, startedAt: 0 }),
  runId: 'r1',
  status: 'completed',
  checkpoints: { last: 1, best: null },
  ...over,
});

const info = insightInfo;

describe('which runs the Try, Evaluate and Explain tabs can look at', () => {
  it('takes a finished run with weights, imported ones too', () => {
    expect(insightBlocker(run())).toBeNull();
    expect(insightBlocker(run({ status: 'imported', checkpoints: { last: 0, best: null } }))).toBeNull();
    expect(insightBlocker(run({ status: 'early-stopped', checkpoints: { last: null, best: 2 } }))).toBeNull();
  });

  it('says in words why it cannot look at the others', () => {
    expect(weightsGap(undefined)).toBe('no-run');
    expect(insightBlocker(undefined)).toMatch(/Train the network first/);
    expect(weightsGap(run({ runId: null, status: 'starting' }))).toBe('no-run');
    expect(insightBlocker(run({ status: 'running' }))).toMatch(/still training/);
    expect(insightBlocker(run({ status: 'paused' }))).toMatch(/still training/);
    expect(insightBlocker(run({ status: 'elsewhere' }))).toMatch(/another window/);
    expect(insightBlocker(run({ status: 'stopped', checkpoints: { last: null, best: null } }))).toMatch(/no trained weights/);
  });
});

describe('the run reference the Analyst is asked about', () => {
  it('names the run and its project file, and is null while the run cannot be looked at', () => {
    expect(insightRefOf(run())).toEqual({ projectName: 'mnist', runId: 'r1' });
    expect(insightRefOf(run({ projectPath: '/p/mnist.netcanvas.json' }))).toEqual({ projectName: 'mnist', projectPath: '/p/mnist.netcanvas.json', runId: 'r1' });
    expect(insightRefOf(run({ status: 'running' }))).toBeNull();
  });

  it('goes through a string key and back unchanged, and different runs have different keys', () => {
    const refs = [{ projectName: 'a', runId: 'r1' }, { projectName: 'a', projectPath: '/x/a.json', runId: 'r1' }, { projectName: 'a', runId: 'r2', checkpoint: 'best' as const }];
    for (const ref of refs) expect(refFromKey(refKey(ref))).toEqual(ref);
    expect(new Set(refs.map(refKey)).size).toBe(refs.length);
    expect(refKey(null)).toBeNull();
    expect(refFromKey(null)).toBeNull();
  });
});

describe('whether an input held for one run fits another', () => {
  it('keeps drawings for image networks and reviews for text ones', () => {
    const drawing = { kind: 'drawing' as const, image: { count: 1, height: 2, width: 2, channels: 1 as const, pixels: 'AAAAAA==' } };
    expect(inputFits(info(), drawing)).toBe(true);
    expect(inputFits(info({ input: 'table' }), drawing)).toBe(false);
    expect(inputFits(info({ input: 'text' }), { kind: 'text', text: 'good' })).toBe(true);
    expect(inputFits(info(), { kind: 'text', text: 'good' })).toBe(false);
  });

  it('keeps an example only while its split is long enough', () => {
    expect(inputFits(info(), { kind: 'example', index: 99 })).toBe(true);
    expect(inputFits(info(), { kind: 'example', index: 100 })).toBe(false);
    expect(inputFits(info(), { kind: 'example', split: 'validation', index: 10 })).toBe(false);
  });

  it('keeps a table row only when the form has each of its fields', () => {
    const table = info({ input: 'table', fields: [{ name: 'age', type: 'number', typical: '30' }] });
    expect(inputFits(table, { kind: 'row', values: { age: '41' } })).toBe(true);
    expect(inputFits(table, { kind: 'row', values: { height: '41' } })).toBe(false);
  });
});
