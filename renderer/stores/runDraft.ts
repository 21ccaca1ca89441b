import type { z } from 'zod';
import { BACKEND_CHOICES, runConfigSchema, type RunConfig } from '../../shared/api/contract.js';
import { earlyStoppingSchema, LOSSES, OPTIMIZERS, scheduleSchema, trainingFields, validationSchema, type TrainingDefaults } from '../../shared/project/schema.js';

/**
 * The run settings form holds text as typed, so a half-typed "0." or a bad value can be
 * shown with a message instead of being coerced; this module turns it into a RunConfig.
 */
export type DraftField =
  | 'epochs'
  | 'batchSize'
  | 'optimizer'
  | 'learningRate'
  | 'momentum'
  | 'weightDecay'
  | 'scheduleKind'
  | 'scheduleEvery'
  | 'scheduleFactor'
  | 'scheduleMinFactor'
  | 'validationKind'
  | 'validationFraction'
  | 'loss'
  | 'accuracy'
  | 'earlyStopping'
  | 'patience'
  | 'seed'
  | 'backend'
  | 'threads'
  | 'temperature'
  | 'samplesPerEpoch'
  | 'maxBatches';

export type DraftValues = Record<DraftField, string>;

/** What the user changed; every field left out shows the project's default. */
export interface Draft {
  values: Partial<DraftValues>;
  /** Loss per output node id, for networks with several outputs. */
  losses: Record<string, string>;
}

export const EMPTY_DRAFT: Draft = { values: {}, losses: {} };

/** A saved run whose weights the next run starts from, the project whose runs hold it, and how the panel names it. */
export interface StartFrom {
  runId: string;
  label: string;
  projectName: string;
  projectPath: string | null;
}

/** The run's `startFrom` as `training.start` takes it: the run, found through its own project's runs. */
export function startFromConfig(from: StartFrom): { runId: string; projectName: string; projectPath?: string } {
  return { runId: from.runId, projectName: from.projectName, ...(from.projectPath ? { projectPath: from.projectPath } : {}) };
}

/**
 * What opening another project or template resets: the typed settings go back to its defaults;
 * the weights to start from stay, since opening another network to train from a run's weights
 * is how transfer learning goes.
 */
export function draftOnOpen(): { draft: Draft } {
  return { draft: EMPTY_DRAFT };
}

export const FIELD_LABELS: Record<DraftField, string> = {
  epochs: 'Epochs',
  batchSize: 'Batch size',
  optimizer: 'Optimizer',
  learningRate: 'Learning rate',
  momentum: 'Momentum',
  weightDecay: 'Weight decay',
  scheduleKind: 'Learning rate schedule',
  scheduleEvery: 'Every N epochs',
  scheduleFactor: 'Multiply by',
  scheduleMinFactor: 'Down to (fraction)',
  validationKind: 'Validation',
  validationFraction: 'Fraction held back',
  loss: 'Loss',
  accuracy: 'Accuracy',
  earlyStopping: 'Early stopping',
  patience: 'Patience (epochs)',
  seed: 'Seed',
  backend: 'Backend',
  threads: 'CPU threads',
  temperature: 'Temperature',
  samplesPerEpoch: 'Examples per epoch',
  maxBatches: 'Batches per epoch',
};

/** The form's text for the project's defaults. */
export function defaultValues(t: TrainingDefaults): DraftValues {
  const schedule = t.schedule;
  return {
    epochs: String(t.epochs),
    batchSize: String(t.batchSize),
    optimizer: t.optimizer,
    learningRate: String(t.learningRate),
    momentum: String(t.momentum),
    weightDecay: String(t.weightDecay),
    scheduleKind: schedule.kind,
    scheduleEvery: schedule.kind === 'step' ? String(schedule.everyEpochs) : '5',
    scheduleFactor: schedule.kind === 'step' ? String(schedule.factor) : '0.5',
    scheduleMinFactor: schedule.kind === 'cosine' ? String(schedule.minFactor) : '0',
    validationKind: t.validation.kind,
    validationFraction: t.validation.kind === 'split' ? String(t.validation.fraction) : '0.1',
    loss: t.loss,
    accuracy: t.metrics.includes('accuracy') ? 'true' : 'false',
    earlyStopping: t.earlyStopping ? 'on' : 'off',
    patience: String(t.earlyStopping?.patience ?? 3),
    seed: String(t.seed),
    backend: 'auto',
    threads: '',
    temperature: String(t.temperature),
    samplesPerEpoch: t.samplesPerEpoch === undefined ? '' : String(t.samplesPerEpoch),
    maxBatches: '',
  };
}

/** One zod issue in words a student reads at a glance: "Learning rate must be above 0". */
function plainIssue(label: string, issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      return `${label} must be ${issue.inclusive ? 'at least' : 'above'} ${String(issue.minimum)}.`;
    case 'too_big':
      return `${label} must be ${issue.inclusive ? 'at most' : 'below'} ${String(issue.maximum)}.`;
    case 'invalid_type':
      return issue.expected === 'int' ? `${label} must be a whole number.` : `${label} must be a number.`;
    default:
      return `${label}: ${issue.message}`;
  }
}

type Errors = Partial<Record<string, string>>;

class Reader {
  readonly errors: Errors = {};
  constructor(private readonly values: DraftValues) {}

  /** A number checked by its schema; `optional` fields may be left empty. */
  number(field: DraftField, schema: z.ZodType<number>, optional = false): number | undefined {
    const text = this.values[field].trim();
    const label = FIELD_LABELS[field];
    if (text === '') {
      if (!optional) this.errors[field] = `Enter a value for ${label.toLowerCase()}.`;
      return undefined;
    }
    const value = Number(text);
    if (!Number.isFinite(value)) {
      this.errors[field] = `${label} must be a number.`;
      return undefined;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      this.errors[field] = plainIssue(label, parsed.error.issues[0]!);
      return undefined;
    }
    return parsed.data;
  }

  choice<T extends string>(field: DraftField, options: readonly T[]): T | undefined {
    const value = this.values[field];
    if ((options as readonly string[]).includes(value)) return value as T;
    this.errors[field] = `${FIELD_LABELS[field]} must be one of ${options.join(', ')}.`;
    return undefined;
  }
}

// The project schema's own field checks, one per input, so a message names the input at fault.
const [, stepSchedule, cosineSchedule] = scheduleSchema.options;
const everyEpochsField = stepSchedule.shape.everyEpochs;
const factorField = stepSchedule.shape.factor;
const minFactorField = cosineSchedule.shape.minFactor.unwrap();
const validationFraction = validationSchema.options[1].shape.fraction;
const patienceField = earlyStoppingSchema.shape.patience;
const maxBatchesField = runConfigSchema.shape.maxBatches.unwrap();
const threadsField = runConfigSchema.shape.threads.unwrap();

/** The backends that train on the CPU's threads, whose number a run may set. */
export const THREADED_BACKENDS: readonly string[] = ['auto', 'wasm', 'cpu'];

export type BuiltConfig = { ok: true; config: RunConfig } | { ok: false; errors: Errors };

/**
 * Every setting of a run, from the form's text. Fields that only matter to one optimizer,
 * schedule or task are checked and sent only then, so a stale hidden value cannot block Train.
 */
export function buildRunConfig(values: DraftValues, losses: Record<string, string>, outputIds: readonly string[], task: TrainingDefaults['task']): BuiltConfig {
  const r = new Reader(values);
  const config: RunConfig = {
    epochs: r.number('epochs', trainingFields.epochs),
    batchSize: r.number('batchSize', trainingFields.batchSize),
    optimizer: r.choice('optimizer', OPTIMIZERS),
    learningRate: r.number('learningRate', trainingFields.learningRate),
    backend: r.choice('backend', BACKEND_CHOICES),
    seed: r.number('seed', trainingFields.seed),
  };
  if (config.optimizer === 'momentum') config.momentum = r.number('momentum', trainingFields.momentum);
  if (config.optimizer === 'adamw') config.weightDecay = r.number('weightDecay', trainingFields.weightDecay);

  const scheduleKind = r.choice('scheduleKind', ['constant', 'step', 'cosine'] as const);
  if (scheduleKind === 'step') {
    const everyEpochs = r.number('scheduleEvery', everyEpochsField);
    const factor = r.number('scheduleFactor', factorField);
    if (everyEpochs !== undefined && factor !== undefined) config.schedule = { kind: 'step', everyEpochs, factor };
  } else if (scheduleKind === 'cosine') {
    const minFactor = r.number('scheduleMinFactor', minFactorField);
    if (minFactor !== undefined) config.schedule = { kind: 'cosine', minFactor };
  } else if (scheduleKind) {
    config.schedule = { kind: 'constant' };
  }

  const validationKind = r.choice('validationKind', ['test', 'split'] as const);
  if (validationKind === 'split') {
    const value = r.number('validationFraction', validationFraction);
    if (value !== undefined) config.validation = { kind: 'split', fraction: value };
  } else if (validationKind) {
    config.validation = { kind: 'test' };
  }

  config.loss = r.choice('loss', LOSSES);
  if (outputIds.length > 1) {
    config.losses = {};
    for (const id of outputIds) {
      const chosen = losses[id] ?? config.loss;
      if (chosen && (LOSSES as readonly string[]).includes(chosen)) config.losses[id] = chosen as (typeof LOSSES)[number];
    }
  }
  config.metrics = values.accuracy === 'true' ? ['accuracy'] : [];

  const early = r.choice('earlyStopping', ['off', 'on'] as const);
  if (early === 'on') {
    const patience = r.number('patience', patienceField);
    if (patience !== undefined) config.earlyStopping = { patience, minDelta: 0 };
  } else if (early) {
    config.earlyStopping = null;
  }

  if (task === 'language-model') config.temperature = r.number('temperature', trainingFields.temperature);
  const samplesPerEpoch = r.number('samplesPerEpoch', trainingFields.samplesPerEpoch, true);
  if (samplesPerEpoch !== undefined) config.samplesPerEpoch = samplesPerEpoch;
  const maxBatches = r.number('maxBatches', maxBatchesField, true);
  if (maxBatches !== undefined) config.maxBatches = maxBatches;
  if (config.backend && THREADED_BACKENDS.includes(config.backend)) {
    const threads = r.number('threads', threadsField, true);
    if (threads !== undefined) config.threads = threads;
  }

  if (Object.keys(r.errors).length > 0) return { ok: false, errors: r.errors };
  return { ok: true, config };
}
