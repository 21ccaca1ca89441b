import { z } from 'zod';
import { augmentationSchema, projectDatasetSchema } from '../data/source.js';
import type { LayerRef, ParamValue } from '../graph/types.js';

export const CURRENT_SCHEMA_VERSION = 1;

const paramValue: z.ZodType<ParamValue> = z.lazy(() =>
  z.union([z.number(), z.string(), z.boolean(), z.array(z.number()), z.null(), layerRef]),
);
const layerRef: z.ZodType<LayerRef> = z.object({ type: z.string().min(1), params: z.record(z.string(), paramValue) });

export const graphNodeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  params: z.record(z.string(), paramValue).default({}),
  position: z.object({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
  name: z.string().optional(),
  frozen: z.boolean().optional(),
});

export const graphEdgeSchema = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  target: z.string().min(1),
  sourceHandle: z.string().optional(),
  targetHandle: z.string().optional(),
});

export const graphBlockSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  members: z.array(z.string().min(1)),
  collapsed: z.boolean().optional(),
  repeat: z.number().int().min(1).max(64).optional(),
});

export const graphSchema = z.object({
  nodes: z.array(graphNodeSchema),
  edges: z.array(graphEdgeSchema),
  blocks: z.array(graphBlockSchema).optional(),
});

export const LOSSES = [
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'binaryCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
  'huber',
] as const;
export type LossName = (typeof LOSSES)[number];
/** `momentum` is SGD with momentum; `adamw` is Adam with decoupled weight decay. */
export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'adamw', 'rmsprop'] as const;
/**
 * What a run does with the network: `classify` fits inputs to labels, `regress` fits them
 * to numbers, `autoencode` fits each input to itself, `gan` alternates a generator and a
 * discriminator, and `language-model` predicts the next character or word of a text.
 */
export const TASKS = ['classify', 'regress', 'autoencode', 'gan', 'language-model'] as const;
export type Task = (typeof TASKS)[number];
export const METRICS = ['accuracy'] as const;

export const scheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant') }).strict(),
  /** The rate is multiplied by `factor` every `everyEpochs` epochs. */
  z.object({ kind: z.literal('step'), everyEpochs: z.number().int().min(1), factor: z.number().positive().max(1) }).strict(),
  /** Half a cosine from the rate down to rate × `minFactor` over the run's batches. */
  z.object({ kind: z.literal('cosine'), minFactor: z.number().min(0).max(1).default(0) }).strict(),
]);
export type Schedule = z.infer<typeof scheduleSchema>;

export const validationSchema = z.discriminatedUnion('kind', [
  /** The dataset's own test split. */
  z.object({ kind: z.literal('test') }).strict(),
  /** Hold back a `fraction` of the training split: always the same examples, picked at random. */
  z.object({ kind: z.literal('split'), fraction: z.number().gt(0, 'fraction must be above 0').max(0.5, 'fraction must be at most 0.5') }).strict(),
]);
export type Validation = z.infer<typeof validationSchema>;

export const earlyStoppingSchema = z
  .object({
    patience: z.number().int().min(1, 'patience must be at least 1'),
    minDelta: z.number().min(0).default(0),
  })
  .strict();
export type EarlyStopping = z.infer<typeof earlyStoppingSchema>;

/** Which part of a GAN's canvas is which: the Input node each network starts from. */
export const ganRolesSchema = z.object({ generatorInput: z.string().min(1), discriminatorInput: z.string().min(1) }).strict();
export type GanRoles = z.infer<typeof ganRolesSchema>;

/** Each setting's field, shared by the project's defaults and a run's overrides. */
export const trainingFields = {
  loss: z.enum(LOSSES),
  /** Loss per output node id, for networks with several outputs; others use `loss`. */
  losses: z.record(z.string(), z.enum(LOSSES)),
  metrics: z.array(z.enum(METRICS)),
  optimizer: z.enum(OPTIMIZERS),
  learningRate: z.number().positive('learningRate must be above 0').max(10, 'learningRate must be at most 10'),
  /** SGD with momentum only. */
  momentum: z.number().min(0).max(0.999),
  /** AdamW only: the fraction of each weight removed per step, times the learning rate. */
  weightDecay: z.number().min(0).max(1),
  schedule: scheduleSchema,
  batchSize: z.number().int('batchSize must be a whole number').min(1, 'batchSize must be at least 1').max(65_536),
  epochs: z.number().int().min(1, 'epochs must be at least 1').max(10_000),
  /** Examples per epoch when fewer than the whole training split: keeps demos short. */
  samplesPerEpoch: z.number().int().min(1, 'samplesPerEpoch must be at least 1'),
  validation: validationSchema,
  earlyStopping: earlyStoppingSchema.nullable(),
  seed: z.number().int(),
  /** Softmax temperature of generated text: low is safe and repetitive, high is wild. */
  temperature: z.number().positive().max(5),
} as const;

export const trainingDefaultsSchema = z.object({
  /** A built-in dataset's id, or the source of the user's own data. */
  dataset: projectDatasetSchema,
  /** Image datasets: random changes to training images, so the network sees more variety. */
  augmentation: augmentationSchema.optional(),
  task: z.enum(TASKS).default('classify'),
  loss: trainingFields.loss.default('categoricalCrossentropy'),
  losses: trainingFields.losses.optional(),
  metrics: trainingFields.metrics.default(['accuracy']),
  optimizer: trainingFields.optimizer.default('adam'),
  learningRate: trainingFields.learningRate.default(0.001),
  momentum: trainingFields.momentum.default(0.9),
  weightDecay: trainingFields.weightDecay.default(0.01),
  schedule: trainingFields.schedule.default({ kind: 'constant' }),
  batchSize: trainingFields.batchSize.default(64),
  epochs: trainingFields.epochs.default(1),
  samplesPerEpoch: trainingFields.samplesPerEpoch.optional(),
  validation: trainingFields.validation.default({ kind: 'test' }),
  earlyStopping: trainingFields.earlyStopping.default(null),
  seed: trainingFields.seed.default(42),
  temperature: trainingFields.temperature.default(0.8),
  /** GAN only; found from the graph when absent (the Input shaped like the data is the discriminator's). */
  gan: ganRolesSchema.optional(),
});

/** What the template promises, checked by tests: e.g. valAcc ≥ 0.95 after 1 epoch. */
export const expectationSchema = z.object({
  metric: z.enum(['valAcc', 'valLoss', 'loss']),
  atLeast: z.number().optional(),
  atMost: z.number().optional(),
  epochs: z.number().int().min(1),
});

/** Families the start screen's gallery filters templates by. */
export const TEMPLATE_FAMILIES = ['cnn', 'rnn', 'transformer', 'gan', 'autoencoder', 'tables', 'time-series'] as const;
export type TemplateFamily = (typeof TEMPLATE_FAMILIES)[number];

/** How a template presents itself in the gallery. */
export const galleryInfoSchema = z.object({
  family: z.enum(TEMPLATE_FAMILIES),
  /** What it teaches, in a sentence. */
  teaches: z.string().min(1),
  /** What it reaches, in words ("about 98.5% test accuracy"). */
  result: z.string().min(1),
  /** How long its default training takes on a laptop's CPU ("2 minutes"). */
  cpuTime: z.string().min(1),
});
export type GalleryInfo = z.infer<typeof galleryInfoSchema>;

export const projectSchema = z.object({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  name: z.string().min(1),
  description: z.string().default(''),
  graph: graphSchema,
  training: trainingDefaultsSchema,
  expected: expectationSchema.optional(),
  /** Templates only: how the start screen's gallery shows it. */
  gallery: galleryInfoSchema.optional(),
});

export type Project = z.infer<typeof projectSchema>;
export type TrainingDefaults = z.infer<typeof trainingDefaultsSchema>;
