import { describe, expect, it } from 'vitest';
import { trainingDefaultsSchema } from '../../../../shared/project/schema.js';
import { compareTitle, differingKeys, effectiveSettings, labelRuns, type RunSettings } from '../../../../renderer/stores/runLabels.js';

const defaults = trainingDefaultsSchema.parse({ dataset: 'mnist' });
const run = (key: string, config: Parameters<typeof effectiveSettings>[1], network = 'MLP on MNIST') => ({
  key,
  name: key.replace('r', 'run '),
  settings: effectiveSettings(defaults, { backend: 'auto', ...config }, network),
});

describe('run labels', () => {
  it('names runs by the one setting that differs', () => {
    const labels = labelRuns([run('r1', { learningRate: 0.01 }), run('r2', { learningRate: 0.001 })]);
    expect([...labels.values()]).toEqual(['lr 0.01', 'lr 0.001']);
  });

  it('reads "adam vs sgd" when only the optimizer differs', () => {
    const labels = labelRuns([run('r1', { optimizer: 'adam' }), run('r2', { optimizer: 'sgd' })]);
    expect(compareTitle([...labels.values()])).toBe('adam vs sgd');
  });

  it('puts the most telling differences first and joins them', () => {
    const labels = labelRuns([run('r1', { seed: 1, batchSize: 32, optimizer: 'sgd' }), run('r2', { seed: 2, batchSize: 128, optimizer: 'adam' })]);
    expect(labels.get('r1')).toBe('sgd · batch 32 · seed 1');
    expect(labels.get('r2')).toBe('adam · batch 128 · seed 2');
  });

  it('falls back to the plain names when runs ran alike', () => {
    const labels = labelRuns([run('r1', {}), run('r2', {})]);
    expect([...labels.values()]).toEqual(['run 1', 'run 2']);
  });

  it('ignores a momentum that neither optimizer uses', () => {
    expect(differingKeys([run('r1', { optimizer: 'adam', momentum: 0.5 }), run('r2', { optimizer: 'adam', momentum: 0.9 })])).toEqual([]);
    expect(labelRuns([run('r1', { optimizer: 'momentum', momentum: 0.5 }), run('r2', { optimizer: 'momentum', momentum: 0.9 })]).get('r1')).toBe('momentum 0.5');
  });

  it('describes nested settings in words', () => {
    const labels = labelRuns([
      run('r1', { schedule: { kind: 'step', everyEpochs: 2, factor: 0.5 } }),
      run('r2', { schedule: { kind: 'cosine', minFactor: 0.1 } }),
      run('r3', {}),
    ]);
    expect([...labels.values()]).toEqual(['lr ×0.5 every 2 ep', 'cosine lr to ×0.1', 'constant lr']);
  });

  it('tells a capped run from one over all batches, and a saved run that never recorded its backend from none', () => {
    const saved: RunSettings = { network: 'MLP on MNIST', ...defaults, losses: {} };
    const labels = labelRuns([run('r1', { maxBatches: 20 }), { key: 's', name: 'run 3', settings: saved }]);
    expect([...labels.values()]).toEqual(['20 batches/epoch', 'all batches']);
  });

  it('leaves out settings one run does not record', () => {
    const partial: RunSettings = { network: 'MLP on MNIST', learningRate: 0.1 };
    expect(differingKeys([run('r1', { learningRate: 0.01 }), { key: 's', name: 'run 2', settings: partial }])).toEqual(['learningRate']);
  });

  it('keeps labels apart when differences beyond the first few are all that differ', () => {
    const labels = labelRuns(
      [run('r1', { optimizer: 'sgd', batchSize: 8, epochs: 2, seed: 1 }), run('r2', { optimizer: 'sgd', batchSize: 8, epochs: 2, seed: 2 }), run('r3', { optimizer: 'adam', batchSize: 16, epochs: 3, seed: 1 })],
      { maxParts: 3 },
    );
    expect(new Set(labels.values()).size).toBe(3);
    expect(labels.get('r1')).toBe('sgd · batch 8 · 2 epochs (run 1)');
    const loose = labelRuns([run('r1', { epochs: 1, seed: 1 }), run('r2', { epochs: 1, seed: 2 }), run('r3', { epochs: 2, seed: 1 })], { maxParts: 1, unique: false });
    expect([...loose.values()]).toEqual(['1 epoch', '1 epoch', '2 epochs']);
  });

  it('counts many runs instead of listing them', () => {
    expect(compareTitle(['a', 'b', 'c', 'd', 'e'])).toBe('5 runs');
  });
});
