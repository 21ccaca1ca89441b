import { z } from 'zod';
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
});

export const graphEdgeSchema = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  target: z.string().min(1),
  sourceHandle: z.string().optional(),
  targetHandle: z.string().optional(),
});

export const graphSchema = z.object({
  nodes: z.array(graphNodeSchema),
  edges: z.array(graphEdgeSchema),
});

export const LOSSES = ['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError'] as const;
export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
export const DATASETS = ['mnist'] as const;

export const trainingDefaultsSchema = z.object({
  dataset: z.enum(DATASETS),
  loss: z.enum(LOSSES).default('categoricalCrossentropy'),
  optimizer: z.enum(OPTIMIZERS).default('adam'),
  learningRate: z.number().positive().default(0.001),
  batchSize: z.number().int().min(1).default(64),
  epochs: z.number().int().min(1).default(1),
});

/** What the template promises, checked by tests: e.g. valAcc ≥ 0.95 after 1 epoch. */
export const expectationSchema = z.object({
  metric: z.enum(['valAcc', 'valLoss']),
  atLeast: z.number().optional(),
  atMost: z.number().optional(),
  epochs: z.number().int().min(1),
});

export const projectSchema = z.object({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  name: z.string().min(1),
  description: z.string().default(''),
  graph: graphSchema,
  training: trainingDefaultsSchema,
  expected: expectationSchema.optional(),
});

export type Project = z.infer<typeof projectSchema>;
export type TrainingDefaults = z.infer<typeof trainingDefaultsSchema>;
