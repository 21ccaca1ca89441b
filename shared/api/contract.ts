import { z } from 'zod';
import { builtinInfoSchema, datasetReportSchema, previewSchema } from '../data/report.js';
import { augmentationSchema, projectDatasetSchema } from '../data/source.js';
import { galleryInfoSchema, graphSchema, projectSchema, TASKS, trainingFields } from '../project/schema.js';
import { imageBatchSchema } from './images.js';
import {
  evaluationSchema,
  exampleViewSchema,
  explainRequestSchema,
  explanationSchema,
  generatedSchema,
  generateSchema,
  healthEpochSchema,
  insightInfoSchema,
  modelInputSchema,
  predictionSchema,
  runRefSchema,
} from './insight.js';

/**
 * The one contract between the renderer and the Backend. Electron IPC, the WebSocket
 * server, the renderer's clients and the CLI all derive from these declarations.
 */

export const BACKEND_CHOICES = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu', 'pytorch'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export const CHECKPOINT_KINDS = ['last', 'best'] as const;
export type CheckpointKind = (typeof CHECKPOINT_KINDS)[number];

/** The frameworks a trained run can be exported to, with its weights. */
export const EXPORT_TARGET_NAMES = ['tfjs', 'pytorch', 'onnx', 'keras'] as const;
export type ExportTargetName = (typeof EXPORT_TARGET_NAMES)[number];

/** A run's settings: each one left out takes the project's default. */
export const runConfigSchema = z
  .object({
    /** Epochs to train; a run resumed from a checkpoint trains this many more. */
    epochs: trainingFields.epochs.optional(),
    batchSize: trainingFields.batchSize.optional(),
    learningRate: trainingFields.learningRate.optional(),
    optimizer: trainingFields.optimizer.optional(),
    momentum: trainingFields.momentum.optional(),
    weightDecay: trainingFields.weightDecay.optional(),
    schedule: trainingFields.schedule.optional(),
    loss: trainingFields.loss.optional(),
    losses: trainingFields.losses.optional(),
    metrics: trainingFields.metrics.optional(),
    samplesPerEpoch: trainingFields.samplesPerEpoch.optional(),
    validation: trainingFields.validation.optional(),
    earlyStopping: trainingFields.earlyStopping.optional(),
    seed: trainingFields.seed.optional(),
    temperature: trainingFields.temperature.optional(),
    /** Stop each epoch after this many batches: for quick checks and demos. */
    maxBatches: z.number().int().min(1, 'maxBatches must be at least 1').optional(),
    backend: z.enum(BACKEND_CHOICES).default('auto'),
    /**
     * The most CPU threads a WebAssembly or plain JavaScript run trains with, each computing a
     * shard of every batch. Left out, up to every core: as many as train this network fastest.
     */
    threads: z.number().int('threads must be a whole number').min(1, 'threads must be at least 1').max(256, 'threads must be at most 256').optional(),
    /** Go on from a saved run's checkpoint: its weights, optimizer state and history. */
    resumeFrom: z.object({ runId: z.string().min(1), checkpoint: z.enum(CHECKPOINT_KINDS).default('last') }).strict().optional(),
    /**
     * A new run (epoch 1, a fresh optimizer) whose layers start from a saved run's weights, each
     * where the checkpoint has a layer of the same name and shapes; the others start fresh.
     */
    startFrom: z
      .object({
        runId: z.string().min(1),
        checkpoint: z.enum(CHECKPOINT_KINDS).default('last'),
        /** The project whose runs hold it (its name, and its file when its runs are kept beside it); the run's own project when left out. */
        projectName: z.string().min(1).optional(),
        projectPath: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type RunConfig = z.input<typeof runConfigSchema>;

// ---- events -------------------------------------------------------------------------

export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu', 'pytorch'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

const metricPoint = z.object({
  step: z.number(),
  loss: z.number(),
  acc: z.number().nullable(),
  /** GAN runs: the discriminator's and the generator's loss; `loss` is their sum. */
  dLoss: z.number().optional(),
  gLoss: z.number().optional(),
});
export type MetricPoint = z.infer<typeof metricPoint>;

export const epochRecordSchema = z.object({
  epoch: z.number(),
  loss: z.number(),
  acc: z.number().nullable(),
  valLoss: z.number().nullable(),
  valAcc: z.number().nullable(),
  /** The learning rate used in this epoch's last batch. */
  learningRate: z.number().optional(),
  dLoss: z.number().optional(),
  gLoss: z.number().optional(),
});
export type EpochRecord = z.infer<typeof epochRecordSchema>;

export { imageBatchSchema, type ImageBatch } from './images.js';

export const samplesSchema = z.discriminatedUnion('kind', [
  /** GAN: the generator's output for the same fixed noise every time, so change is visible. */
  z.object({ kind: z.literal('images'), images: imageBatchSchema }),
  /** Language model: text generated from a seed at a temperature. */
  z.object({ kind: z.literal('text'), seed: z.string(), text: z.string(), temperature: z.number() }),
  /** Autoencoder: the same test examples and what the network makes of them. */
  z.object({ kind: z.literal('reconstructions'), originals: imageBatchSchema, reconstructions: imageBatchSchema }),
]);
export type Samples = z.infer<typeof samplesSchema>;

export const DONE_REASONS = ['completed', 'stopped', 'early-stopped'] as const;

export const trainingEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('started'),
    runId: z.string(),
    task: z.enum(TASKS),
    backend: z.enum(BACKEND_NAMES),
    /** Why each faster backend was not used, e.g. "tensorflow-gpu: not installed". */
    backendNotes: z.array(z.string()),
    /** The GPU the backend trains on, as it names itself (WebGPU's adapter). */
    device: z.string().optional(),
    /** The CPU threads a WebAssembly or plain JavaScript run trains with. */
    threads: z.number().int().min(1).optional(),
    /** The number of the run's last epoch: `firstEpoch + epochs to train − 1`. */
    epochs: z.number(),
    /** 1 for a new run; the epoch after the checkpoint for a resumed one. */
    firstEpoch: z.number(),
    batchesPerEpoch: z.number(),
    trainSamples: z.number(),
    validationSamples: z.number(),
    /** History carried over from the checkpoint a run resumed from. */
    history: z.array(epochRecordSchema),
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
  z.object({ type: z.literal('samples'), runId: z.string(), epoch: z.number(), samples: samplesSchema }),
  z.object({ type: z.literal('paused'), runId: z.string(), paused: z.boolean() }),
  z.object({ type: z.literal('checkpoint'), runId: z.string(), epoch: z.number(), kinds: z.array(z.enum(CHECKPOINT_KINDS)), dir: z.string() }),
  z.object({ type: z.literal('log'), runId: z.string(), level: z.enum(['info', 'warn']), message: z.string() }),
  z.object({
    type: z.literal('done'),
    runId: z.string(),
    reason: z.enum(DONE_REASONS),
    /** Null when the run was stopped before a backend was chosen. */
    backend: z.enum(BACKEND_NAMES).nullable(),
    history: z.array(epochRecordSchema),
    samplesPerSec: z.number(),
  }),
  z.object({ type: z.literal('error'), runId: z.string(), code: z.string(), message: z.string() }),
]);
export type TrainingEvent = z.infer<typeof trainingEventSchema>;

/** A template as the gallery lists it: its words, and its graph for the picture drawn of it. */
export const templateInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  gallery: galleryInfoSchema.optional(),
  graph: graphSchema,
});
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

/**
 * `interrupted`: the NetCanvas that ran it ended (closed, crashed, killed) before the run did.
 * `imported`: no training, the weights of a model file opened with them, to start runs from.
 */
export const RUN_STATUSES = ['running', 'paused', 'completed', 'stopped', 'early-stopped', 'failed', 'interrupted', 'imported'] as const;
export type SavedRunStatus = (typeof RUN_STATUSES)[number];

/** The codes of a run's `error` event. */
export const TRAINING_ERROR_CODES = ['NAN_LOSS', 'DATA', 'BACKEND', 'GRAPH', 'CHECKPOINT', 'OUT_OF_MEMORY', 'CRASH'] as const;
export type TrainingErrorCode = (typeof TRAINING_ERROR_CODES)[number];

/**
 * The process that keeps a run's record: its pid and, where the system tells it, when that
 * process started, so a later process given the same pid is not taken for it.
 */
export const runOwnerSchema = z.object({ pid: z.number().int(), started: z.string().nullable() });
export type RunOwner = z.infer<typeof runOwnerSchema>;

/** What is kept of a run on disk, beside its checkpoints. */
export const savedRunSchema = z.object({
  runId: z.string(),
  projectName: z.string(),
  startedAt: z.string(),
  status: z.enum(RUN_STATUSES),
  task: z.enum(TASKS),
  /** The settings it ran with, after the project's defaults were applied. */
  settings: z.record(z.string(), z.unknown()),
  history: z.array(epochRecordSchema),
  /** Per-batch loss, down-sampled so the file stays small whatever the run's length. */
  points: z.array(metricPoint),
  checkpoints: z.object({ last: z.number().nullable(), best: z.number().nullable() }),
  dir: z.string(),
  message: z.string().optional(),
  /** When the run ended; for an interrupted one, the last time its record was written. */
  endedAt: z.string().optional(),
  owner: runOwnerSchema.optional(),
});
export type SavedRun = z.infer<typeof savedRunSchema>;

const empty = z.object({}).strict();

// ---- project files --------------------------------------------------------------------

/** A project file the Backend may open: from the projects folder, the recent list or a dialog. */
export const projectFileSchema = z.object({
  path: z.string(),
  fileName: z.string(),
  /** The project's own name, read from the file; the file's stem when it cannot be read. */
  name: z.string(),
  modifiedAt: z.string(),
  /** Why the file cannot be opened (damaged, from a newer NetCanvas), when it cannot. */
  problem: z.string().optional(),
});
export type ProjectFile = z.infer<typeof projectFileSchema>;

/** Names one open document's recovery copy: letters, digits, `-` and `_`. */
export const docIdSchema = z.string().regex(/^[\w-]{1,64}$/, 'docId must be 1 to 64 letters, digits, - or _');

/**
 * Who writes a recovery copy: the browser (or desktop app) and, within it, the window. A copy
 * is offered back to the same browser only, and not while the window that writes it is alive,
 * so a room of students on one server never sees each other's work.
 */
export const copyOwnerSchema = z.object({ client: docIdSchema, window: docIdSchema }).strict();
export type CopyOwner = z.infer<typeof copyOwnerSchema>;

/** A copy of unsaved work, written a few seconds after each change, offered after a crash. */
export const recoveryCopySchema = z.object({
  docId: docIdSchema,
  owner: copyOwnerSchema,
  /** The file the work belongs to; null for a project never saved. */
  path: z.string().nullable(),
  savedAt: z.string(),
  project: projectSchema,
});
export type RecoveryCopy = z.infer<typeof recoveryCopySchema>;

/** The weights a model file came with, kept as a run of the imported project (status `imported`). */
const importedWeightsSchema = z.object({ runId: z.string(), fileName: z.string(), layers: z.array(z.string()) });

const openedProjectSchema = z.object({
  file: projectFileSchema,
  project: projectSchema,
  migratedFrom: z.number().optional(),
  importedFrom: z.enum(['keras2', 'keras3', 'tfjs']).optional(),
  warnings: z.array(z.string()).default([]),
  weights: importedWeightsSchema.optional(),
});

/** A dialog the user closed without choosing. */
const cancelled = z.object({ cancelled: z.literal(true) });

/**
 * A window with unsaved work rewrites its copy at least this often; a copy older than
 * RECOVERY_LIVE_MS is no longer being written. The margin covers a browser slowing a hidden
 * tab's timers to once a minute.
 */
export const RECOVERY_HEARTBEAT_MS = 10_000;
export const RECOVERY_LIVE_MS = 150_000;

/** Runs kept for the project before it had this file (under each name it had), to be kept beside the file too. */
const carriedRunsSchema = z
  .object({ projectName: z.string().min(1), projectPath: z.string().min(1).optional(), runIds: z.array(z.string().regex(/^[\w-]+$/, 'a run id is letters, digits, - and _')).max(1000) })
  .strict();

export const methods = {
  ping: { params: empty, result: z.object({ time: z.number() }) },
  'templates.list': { params: empty, result: z.array(templateInfoSchema) },
  'templates.load': { params: z.object({ id: z.string().min(1) }).strict(), result: z.object({ project: projectSchema }) },
  'project.open': {
    params: z
      .object({
        text: z.string(),
        fileName: z.string().optional(),
        /**
         * Files uploaded with it, in base64: a TensorFlow.js model.json's weight files, a Keras
         * JSON's weights .h5, or (with `fileName` ending .h5 and `text` empty) the Keras .h5 model itself.
         */
        files: z.array(z.object({ name: z.string().min(1).max(255), data: z.string() }).strict()).max(256).optional(),
      })
      .strict(),
    result: z.object({
      project: projectSchema,
      migratedFrom: z.number().optional(),
      /** Set when the file was a Keras or TensorFlow.js model rather than a project. */
      importedFrom: z.enum(['keras2', 'keras3', 'tfjs']).optional(),
      /** What an import could not carry over exactly, in plain words. */
      warnings: z.array(z.string()).default([]),
      weights: importedWeightsSchema.optional(),
    }),
  },
  'project.summary': { params: z.object({ project: projectSchema }).strict(), result: summarySchema },
  'training.start': {
    params: z
      .object({
        project: projectSchema,
        config: runConfigSchema,
        /** The project's file, when it has one: its runs and checkpoints are kept beside it. */
        projectPath: z.string().min(1).optional(),
      })
      .strict(),
    result: z.object({ runId: z.string(), pid: z.number().nullable() }),
  },
  'training.stop': { params: z.object({ runId: z.string() }).strict(), result: z.object({ stopping: z.boolean() }) },
  /** Holds a run after its current batch; its process, weights and optimizer stay as they are. */
  'training.pause': { params: z.object({ runId: z.string() }).strict(), result: z.object({ paused: z.boolean() }) },
  'training.resume': { params: z.object({ runId: z.string() }).strict(), result: z.object({ resumed: z.boolean() }) },
  /** Asks a running or paused run for fresh samples (GAN images, generated text, reconstructions) now. */
  'training.samples': {
    params: z.object({ runId: z.string(), temperature: trainingFields.temperature.optional() }).strict(),
    result: z.object({ requested: z.boolean() }),
  },
  /** The datasets that ship with NetCanvas, and whether each is on this machine. */
  'datasets.list': { params: empty, result: z.array(builtinInfoSchema) },
  /** Reads a dataset (built-in or the user's file or folder) and reports its shape, classes, columns and problems. */
  'datasets.inspect': { params: z.object({ dataset: projectDatasetSchema }).strict(), result: datasetReportSchema },
  /** The report and a few training examples to look at, augmented as the run would augment them. */
  'datasets.preview': {
    params: z
      .object({
        dataset: projectDatasetSchema,
        count: z.number().int().min(1).max(64).default(16),
        augmentation: augmentationSchema.nullable().default(null),
      })
      .strict(),
    result: z.object({ report: datasetReportSchema, preview: previewSchema }),
  },
  /**
   * The desktop's dialog for a dataset's file or folder, opened at `defaultPath`: what is
   * chosen may be read from then on (remembered across sessions). Browser mode has no dialog.
   */
  'datasets.choose': {
    params: z.object({ kind: z.enum(['file', 'folder']), defaultPath: z.string().min(1).optional() }).strict(),
    result: z.union([cancelled, z.object({ path: z.string() })]),
  },
  /**
   * The projects folder's files (browser mode lists them to open), the recent ones, and
   * whether the Backend has native open and save dialogs (the desktop app).
   */
  'projects.list': {
    params: empty,
    result: z.object({ dir: z.string(), dialogs: z.boolean(), projects: z.array(projectFileSchema), recent: z.array(projectFileSchema) }),
  },
  /** The desktop's open dialog: the file chosen (which may then be opened), or cancelled. */
  'projects.choose': { params: empty, result: z.union([cancelled, z.object({ path: z.string() })]) },
  /** Opens a project file: one listed or recent, or, without a path, the one chosen in the open dialog. */
  'projects.open': {
    params: z.object({ path: z.string().min(1).optional() }).strict(),
    result: z.union([cancelled, openedProjectSchema]),
  },
  /** Writes the project over its own file, atomically: the old contents or the new, never half. */
  'projects.save': {
    params: z.object({ project: projectSchema, path: z.string().min(1), carryRuns: z.array(carriedRunsSchema).max(50).optional() }).strict(),
    result: z.object({ file: projectFileSchema }),
  },
  /**
   * Writes the project to a new file: the one chosen in the save dialog, or, in browser
   * mode, `fileName` in the projects folder (refused with EXISTS unless `overwrite`).
   */
  'projects.saveAs': {
    params: z.object({ project: projectSchema, fileName: z.string().min(1).max(120).optional(), overwrite: z.boolean().default(false), carryRuns: z.array(carriedRunsSchema).max(50).optional() }).strict(),
    result: z.union([cancelled, z.object({ file: projectFileSchema })]),
  },
  /** Keeps a recovery copy of a document's unsaved work. */
  'projects.autosave': {
    params: z.object({ docId: docIdSchema, owner: copyOwnerSchema, project: projectSchema, path: z.string().min(1).nullable() }).strict(),
    result: z.object({ savedAt: z.string() }),
  },
  /**
   * Recovery copies left by a crash, a killed process or a reload, newest first: the owner's
   * browser's, written by this same window (a reload) or by one that has stopped writing for
   * RECOVERY_LIVE_MS (closed or crashed). Copies that cannot be read are named in `problems`.
   */
  'projects.recoveries': {
    params: z.object({ owner: copyOwnerSchema }).strict(),
    result: z.object({ copies: z.array(recoveryCopySchema), problems: z.array(z.string()) }),
  },
  /** Removes a document's recovery copy once its work is saved or deliberately thrown away. */
  'projects.discardRecovery': { params: z.object({ docId: docIdSchema }).strict(), result: z.object({ discarded: z.boolean() }) },
  /** The runs saved for a project (by name), newest first, to compare or resume after a restart. */
  'runs.list': {
    params: z.object({ projectName: z.string().min(1), projectPath: z.string().min(1).optional() }).strict(),
    result: z.array(savedRunSchema),
  },
  /**
   * A saved run's network with its weights, as files another framework reads: into the folder
   * chosen in the desktop's dialog, in browser mode into the projects folder's `exports/`, and
   * into `out` only for the CLI. `project` is the project as it is now, used only for a run
   * saved without the network it trained.
   */
  'runs.export': {
    params: z
      .object({
        projectName: z.string().min(1),
        projectPath: z.string().min(1).optional(),
        project: projectSchema.optional(),
        runId: z.string().regex(/^[\w-]+$/, 'a run id is letters, digits, - and _'),
        /** The best epoch's weights when the run kept them, else the last. */
        checkpoint: z.enum(CHECKPOINT_KINDS).optional(),
        target: z.enum(EXPORT_TARGET_NAMES),
        out: z.string().min(1).optional(),
      })
      .strict(),
    result: z.union([cancelled, z.object({ folder: z.string(), files: z.array(z.string()) })]),
  },
  /**
   * What a saved run's network takes and gives, for the Try, Evaluate and Explain tabs. This and
   * the `insight.*` methods below are answered by an Analyst process that holds the run's network
   * and data, so the API never waits on a tensor.
   */
  'insight.open': { params: z.object({ run: runRefSchema }).strict(), result: insightInfoSchema },
  /** The network's answer for one input, or several (the command line's files and rows). */
  'insight.predict': {
    params: z.object({ run: runRefSchema, inputs: z.array(modelInputSchema).min(1).max(256) }).strict(),
    result: z.object({ predictions: z.array(predictionSchema) }),
  },
  /** Text from a language model, samples from a GAN. */
  'insight.generate': { params: z.object({ run: runRefSchema, request: generateSchema }).strict(), result: generatedSchema },
  /** The network on a whole split: accuracy, the confusion matrix, per-class figures, groups of a column. */
  'insight.evaluate': {
    params: z
      .object({
        run: runRefSchema,
        split: z.enum(['test', 'validation']).default('test'),
        /** A table's column: the figures of each of its values side by side. */
        groupBy: z.string().min(1).optional(),
      })
      .strict(),
    result: evaluationSchema,
  },
  /** Examples of a split to look at, by index: a confusion cell's, a mistake's. */
  'insight.examples': {
    params: z.object({ run: runRefSchema, split: z.enum(['test', 'validation']).default('test'), indices: z.array(z.number().int().min(0)).max(64) }).strict(),
    result: z.object({ examples: z.array(exampleViewSchema) }),
  },
  /** Why the network answered as it did for one input: saliency, Grad-CAM, activations, attention, attribution, an adversarial example. */
  'insight.explain': {
    params: z.object({ run: runRefSchema, input: modelInputSchema, explain: explainRequestSchema }).strict(),
    result: explanationSchema,
  },
  /** Training health: each layer's weights and gradients as histograms, epoch by epoch, as the run recorded them. */
  'runs.health': {
    params: z.object({ run: runRefSchema }).strict(),
    result: z.object({ epochs: z.array(healthEpochSchema) }),
  },
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
  /** A path outside what the Backend may read or write: not allowed, hidden, or NetCanvas's own folders. */
  | 'FORBIDDEN'
  /** A file NetCanvas will not read: not a regular file (a folder, device, pipe or socket), or bigger than it reads of its kind. */
  | 'FILE_REFUSED'
  /** A file of that name exists already. */
  | 'EXISTS'
  /** A file could not be read or written (disk full, permissions). */
  | 'IO'
  /** An export target cannot express a layer of the network: the message names each and why. */
  | 'EXPORT_REFUSED'
  /** An input the network cannot be given as it is: the message names the field or file and why. */
  | 'INVALID_INPUT'
  | 'INTERNAL';

export interface ApiError {
  code: ErrorCode;
  message: string;
}

/** Results cross every boundary as plain data so error codes survive. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export type ApiEvent = { topic: 'training'; event: TrainingEvent };

/**
 * What reaches the window besides the Backend's events: a command chosen in the desktop menus,
 * by its keys or the mouse; a project file the desktop was asked to open from the file manager
 * or a second launch (already allowed to the Backend, opened as if chosen in the Open dialog).
 */
export type WindowEvent = ApiEvent | { topic: 'command'; command: string; byKeys: boolean } | { topic: 'open-file'; path: string };

// ---- transports ---------------------------------------------------------------------

/** Electron IPC channels; nothing else crosses the preload. */
export const IPC_CHANNELS = { request: 'netcanvas:request', event: 'netcanvas:event', edit: 'netcanvas:edit' } as const;

/**
 * Text editing the desktop window asks its main process for, when a menu's Undo, Copy… was
 * meant for a text field rather than the network (the Mac's menus take those keys first).
 */
export const TEXT_EDITS = ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'] as const;
export type TextEdit = (typeof TEXT_EDITS)[number];

/** WebSocket frames. */
export const wsRequestSchema = z.object({ id: z.number().int(), method: z.string(), params: z.unknown() });
export type WsRequest = z.infer<typeof wsRequestSchema>;
export type WsServerFrame = { kind: 'response'; id: number; result: ApiResult<unknown> } | { kind: 'event'; event: ApiEvent };

/** What `window.netcanvas` offers in the desktop app. */
export interface NetCanvasBridge {
  request(method: string, params: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (event: WindowEvent) => void): () => void;
  /** Desktop only: edit the focused text field as its own menu item would. */
  editText(action: TextEdit): Promise<void>;
}
