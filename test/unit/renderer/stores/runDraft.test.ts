import { describe, expect, it } from 'vitest';
import { runConfigSchema } from '../../../../shared/api/contract.js';
import { trainingDefaultsSchema } from '../../../../shared/project/schema.js';
import { buildRunConfig, defaultValues, draftOnOpen, startFromConfig, type DraftValues, type StartFrom } from '../../../../renderer/stores/runDraft.js';

const defaults = trainingDefaultsSchema.parse({ dataset: 'mnist', learningRate: 0.002, batchSize: 32 });
const values = (changes: Partial<DraftValues>): DraftValues => ({ ...defaultValues(defaults), ...changes });
const build = (changes: Partial<DraftValues>, outputs: string[] = []) => buildRunConfig(values(changes), {}, outputs, 'classify');

describe('run settings form', () => {
  it("shows the project's defaults and sends them as a valid run config", () => {
    expect(defaultValues(defaults)).toMatchObject({ epochs: '1', batchSize: '32', learningRate: '0.002', optimizer: 'adam', backend: 'auto', maxBatches: '' });
    const built = build({});
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.config).toMatchObject({ epochs: 1, batchSize: 32, learningRate: 0.002, optimizer: 'adam', schedule: { kind: 'constant' }, validation: { kind: 'test' }, earlyStopping: null, metrics: ['accuracy'] });
    expect(built.config).not.toHaveProperty('maxBatches');
    expect(runConfigSchema.safeParse(built.config).success).toBe(true);
  });

  it('refuses bad values with a plain message naming the field', () => {
    const built = build({ learningRate: '0', batchSize: '2.5', epochs: 'ten', maxBatches: '0' });
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.errors).toEqual({
      learningRate: 'Learning rate must be above 0.',
      batchSize: 'Batch size must be a whole number.',
      epochs: 'Epochs must be a number.',
      maxBatches: 'Batches per epoch must be at least 1.',
    });
  });

  it('asks for a value when a required field is emptied', () => {
    const built = build({ seed: ' ' });
    expect(!built.ok && built.errors.seed).toBe('Enter a value for seed.');
  });

  it('checks and sends what only one optimizer, schedule or option uses only when it is chosen', () => {
    expect(build({ momentum: '7' }).ok).toBe(true);
    const momentum = build({ optimizer: 'momentum', momentum: '7' });
    expect(!momentum.ok && momentum.errors.momentum).toBe('Momentum must be at most 0.999.');
    const adamw = build({ optimizer: 'adamw', weightDecay: '0.05' });
    expect(adamw.ok && adamw.config).toMatchObject({ optimizer: 'adamw', weightDecay: 0.05 });
    expect(adamw.ok && adamw.config.momentum).toBeUndefined();
  });

  it('builds step and cosine schedules, a held-out split and early stopping', () => {
    const built = build({ scheduleKind: 'step', scheduleEvery: '3', scheduleFactor: '0.5', validationKind: 'split', validationFraction: '0.2', earlyStopping: 'on', patience: '4' });
    expect(built.ok && built.config).toMatchObject({ schedule: { kind: 'step', everyEpochs: 3, factor: 0.5 }, validation: { kind: 'split', fraction: 0.2 }, earlyStopping: { patience: 4 } });
    const cosine = build({ scheduleKind: 'cosine', scheduleMinFactor: '1.5' });
    expect(!cosine.ok && cosine.errors.scheduleMinFactor).toBe('Down to (fraction) must be at most 1.');
    const split = build({ validationKind: 'split', validationFraction: '0.9' });
    expect(!split.ok && split.errors.validationFraction).toBe('Fraction held back must be at most 0.5.');
  });

  it('maps batches per epoch to maxBatches and sends one loss per output when there are several', () => {
    const built = buildRunConfig(values({ maxBatches: '20', loss: 'meanSquaredError' }), { head_b: 'huber' }, ['head_a', 'head_b'], 'classify');
    expect(built.ok && built.config).toMatchObject({ maxBatches: 20, losses: { head_a: 'meanSquaredError', head_b: 'huber' } });
  });

  it('sends the CPU threads only when given, and only for backends that train on the CPU’s threads', () => {
    const all = build({});
    expect(all.ok && all.config).not.toHaveProperty('threads');
    const two = build({ threads: '2' });
    expect(two.ok && two.config.threads).toBe(2);
    const onWasm = build({ threads: '1', backend: 'wasm' });
    expect(onWasm.ok && onWasm.config.threads).toBe(1);
    const onPytorch = build({ threads: '2', backend: 'pytorch' });
    expect(onPytorch.ok && onPytorch.config).not.toHaveProperty('threads');
    // A stale hidden value cannot block Train.
    expect(build({ threads: '0', backend: 'webgpu' }).ok).toBe(true);
    const bad = build({ threads: '0' });
    expect(!bad.ok && bad.errors.threads).toBe('CPU threads must be at least 1.');
    const half = build({ threads: '1.5' });
    expect(!half.ok && half.errors.threads).toBe('CPU threads must be a whole number.');
  });

  it('sends the temperature for language models only', () => {
    const classify = build({ temperature: '0.5' });
    expect(classify.ok && classify.config.temperature).toBeUndefined();
    const lm = buildRunConfig(values({ temperature: '9' }), {}, [], 'language-model');
    expect(!lm.ok && lm.errors.temperature).toBe('Temperature must be at most 5.');
  });
});

describe('the weights the next run starts from', () => {
  const base: StartFrom = { runId: 'r-20240101-1', label: 'run r-20240101-1', projectName: 'CNN on MNIST', projectPath: '/home/me/cnn.netcanvas.json' };

  it('stay chosen when another project or template is opened, while the typed settings go back to its defaults', () => {
    const before = { draft: { values: { epochs: '7' }, losses: {} }, startFrom: base };
    const after = { ...before, ...draftOnOpen() };
    expect(after.draft).toEqual({ values: {}, losses: {} });
    expect(after.startFrom).toEqual(base);
  });

  it('are sent naming the project whose runs hold them, as training.start takes them', () => {
    const sent = startFromConfig(base);
    expect(sent).toEqual({ runId: base.runId, projectName: 'CNN on MNIST', projectPath: '/home/me/cnn.netcanvas.json' });
    expect(startFromConfig({ ...base, projectPath: null })).toEqual({ runId: base.runId, projectName: 'CNN on MNIST' });
    expect(runConfigSchema.parse({ startFrom: sent }).startFrom).toEqual({ ...sent, checkpoint: 'last' });
  });
});
