import { z } from 'zod';
import { OPTIMIZERS, projectSchema } from '../project/schema.js';

/**
 * The one contract between the renderer and the Backend. Electron IPC, the WebSocket
 * server, the renderer's clients and the CLI all derive from these declarations.
 */

export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export const runConfigSchema = z
  .object({
    epochs: z.number().int().min(1, 'epochs must be at least 1').max(10_000).optional(),
    batchSize: z.number().int('batchSize must be a whole number').min(1, 'batchSize must be at least 1').max(65_536).optional(),
    learningRate: z.number().positive('learningRate must be above 0').max(10).optional(),
    optimizer: z.enum(OPTIMIZERS).optional(),
    /** Stop each epoch after this many batches: for quick checks and demos. */
    maxBatches: z.number().int().min(1, 'maxBatches must be at least 1').optional(),
    backend: z.enum(BACKEND_CHOICES).default('auto'),
    seed: z.number().int().optional(),
  })
  .strict();
export type RunConfig = z.input<typeof runConfigSchema>;

export const templateInfoSchema = z.object({ id: z.string(), name: z.string(), description: z.string() });
export type TemplateInfo = z.infer<typeof templateInfoSchema>;

export const summarySchema = z.object({
  totalParams: z.number(),
  trainableParams: z.number(),
  nonTrainableParams: z.number(),
  outputShapes: z.array(z.array(z.number().nullable())),
  layers: z.array(
    z.object({ id: z.string(), name: z.string(), type: z.string(), outputShape: z.array(z.number().nullable()).nullable(), params: z.number() }),
  ),
  errors: z.array(z.object({ node: z.string().nullable(), code: z.string(), message: z.string() })),
});
export type Summary = z.infer<typeof summarySchema>;

const empty = z.object({}).strict();

export const methods = {
  ping: { params: empty, result: z.object({ time: z.number() }) },
  'templates.list': { params: empty, result: z.array(templateInfoSchema) },
  'templates.load': { params: z.object({ id: z.string().min(1) }).strict(), result: z.object({ project: projectSchema }) },
  'project.open': {
    params: z.object({ text: z.string(), fileName: z.string().optional() }).strict(),
    result: z.object({
      project: projectSchema,
      migratedFrom: z.number().optional(),
      /** Set when the file was a Keras or TensorFlow.js model rather than a project. */
      importedFrom: z.enum(['keras2', 'keras3', 'tfjs']).optional(),
      /** What an import could not carry over exactly, in plain words. */
      warnings: z.array(z.string()).default([]),
    }),
  },
  'project.summary': { params: z.object({ project: projectSchema }).strict(), result: summarySchema },
  'training.start': {
    params: z.object({ project: projectSchema, config: runConfigSchema }).strict(),
    result: z.object({ runId: z.string(), pid: z.number().nullable() }),
  },
  'training.stop': { params: z.object({ runId: z.string() }).strict(), result: z.object({ stopping: z.boolean() }) },
} as const;

export type MethodName = keyof typeof methods;
export type ParamsOf<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<(typeof methods)[M]['result']>;
export const METHOD_NAMES = Object.keys(methods) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

export type ErrorCode =
  | 'INVALID_REQUEST'
  | 'UNKNOWN_METHOD'
  | 'INVALID_PROJECT'
  | 'GRAPH_ERRORS'
  | 'NOT_FOUND'
  | 'RUN_ACTIVE'
  | 'INTERNAL';

export interface ApiError {
  code: ErrorCode;
  message: string;
}

/** Results cross every boundary as plain data so error codes survive. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// ---- events -------------------------------------------------------------------------

export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

const metricPoint = z.object({ step: z.number(), loss: z.number(), acc: z.number().nullable() });
export type MetricPoint = z.infer<typeof metricPoint>;

export const epochRecordSchema = z.object({
  epoch: z.number(),
  loss: z.number(),
  acc: z.number().nullable(),
  valLoss: z.number().nullable(),
  valAcc: z.number().nullable(),
});
export type EpochRecord = z.infer<typeof epochRecordSchema>;

export const trainingEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('started'),
    runId: z.string(),
    backend: z.enum(BACKEND_NAMES),
    /** Why each faster backend was not used, e.g. "tensorflow-gpu: not installed". */
    backendNotes: z.array(z.string()),
    epochs: z.number(),
    batchesPerEpoch: z.number(),
    trainSamples: z.number(),
    validationSamples: z.number(),
  }),
  z.object({
    type: z.literal('batch'),
    runId: z.string(),
    epoch: z.number(),
    batch: z.number(),
    batchesPerEpoch: z.number(),
    samplesPerSec: z.number(),
    /** Every batch since the previous event: events are coalesced to a bounded rate. */
    points: z.array(metricPoint),
  }),
  z.object({ type: z.literal('epoch'), runId: z.string(), record: epochRecordSchema }),
  z.object({ type: z.literal('log'), runId: z.string(), level: z.enum(['info', 'warn']), message: z.string() }),
  z.object({
    type: z.literal('done'),
    runId: z.string(),
    reason: z.enum(['completed', 'stopped']),
    backend: z.enum(BACKEND_NAMES),
    history: z.array(epochRecordSchema),
    samplesPerSec: z.number(),
  }),
  z.object({ type: z.literal('error'), runId: z.string(), code: z.string(), message: z.string() }),
]);
export type TrainingEvent = z.infer<typeof trainingEventSchema>;

export type ApiEvent = { topic: 'training'; event: TrainingEvent };

// ---- transports ---------------------------------------------------------------------

/** Electron IPC channels; nothing else crosses the preload. */
export const IPC_CHANNELS = { request: 'netcanvas:request', event: 'netcanvas:event' } as const;

/** WebSocket frames. */
export const wsRequestSchema = z.object({ id: z.number().int(), method: z.string(), params: z.unknown() });
export type WsRequest = z.infer<typeof wsRequestSchema>;
export type WsServerFrame = { kind: 'response'; id: number; result: ApiResult<unknown> } | { kind: 'event'; event: ApiEvent };

/** What `window.netcanvas` offers in the desktop app. */
export interface NetCanvasBridge {
  request(method: string, params: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
}
