import { z } from 'zod';
import { BUILTIN_DATASETS } from './source.js';
import { TASKS } from '../project/schema.js';

/**
 * What NetCanvas knows of a dataset once it has read it: the shape of one example, what
 * there is to predict, and what was wrong with the files. `netcanvas dataset inspect
 * --json` prints exactly this; the Data panel shows it.
 */

/**
 * images: (height, width, channels) pixels in [0, 1] with a class each.
 * table: a row of numbers (after encoding) with a class or values to predict.
 * sequence: a window of a time series, (steps, 1), and the value after it.
 * text: a document as word ids, (length), with a class.
 * corpus: one long text, read in windows, for language models.
 */
export const DATASET_KINDS = ['images', 'table', 'sequence', 'text', 'corpus'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

export const COLUMN_TYPES = ['number', 'category', 'text', 'date'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export const columnSchema = z.object({
  name: z.string(),
  type: z.enum(COLUMN_TYPES),
  /** Cells that are empty or do not parse as the column's type. */
  missing: z.number().int(),
  role: z.enum(['feature', 'target', 'unused']),
  /** A category column's values, most frequent first (at most 50). */
  values: z.array(z.string()).optional(),
  /** Inputs this column becomes: 1, or a category's values when one-hot. */
  width: z.number().int(),
});
export type ColumnInfo = z.infer<typeof columnSchema>;

/** Something wrong in the data, with where: a 1-based line (the header is line 1) or a file. */
export const problemSchema = z.object({
  line: z.number().int().optional(),
  file: z.string().optional(),
  message: z.string(),
});
export type DataProblem = z.infer<typeof problemSchema>;

export const targetSchema = z.discriminatedUnion('kind', [
  /** One class per example. */
  z.object({ kind: z.literal('classes') }),
  /** Numbers to fit: a regression. */
  z.object({ kind: z.literal('values'), size: z.number().int() }),
  /** The next token of a corpus. */
  z.object({ kind: z.literal('next-token') }),
]);
export type TargetInfo = z.infer<typeof targetSchema>;

export const datasetReportSchema = z.object({
  kind: z.enum(DATASET_KINDS),
  name: z.string(),
  /** Usable examples, train and test together (windows for a corpus or series). */
  samples: z.number().int(),
  splits: z.object({ train: z.number().int(), test: z.number().int() }),
  /** One example's shape, without the batch axis. A corpus's window is the model's Input length. */
  inputShape: z.array(z.number().int()),
  /** Class names in label order; null when there are no classes. */
  classes: z.array(z.string()).nullable(),
  /** Training examples per class, in `classes` order. */
  classCounts: z.array(z.number().int()).nullable(),
  target: targetSchema,
  /** Tokens a text or corpus has (an Embedding's inputDim must cover it); null otherwise. */
  vocabulary: z.number().int().nullable(),
  columns: z.array(columnSchema),
  problems: z.array(problemSchema),
  /** The tasks this data can train, the usual one first. */
  tasks: z.array(z.enum(TASKS)),
});
export type DatasetReport = z.infer<typeof datasetReportSchema>;

/** Examples to look at: a grid of images, rows of a table, snippets of text. */
export const previewSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('images'),
    count: z.number().int(),
    height: z.number().int(),
    width: z.number().int(),
    channels: z.union([z.literal(1), z.literal(3)]),
    /** 8-bit pixels, image after image, in base64. */
    pixels: z.string(),
    labels: z.array(z.string()),
    /** The same images after augmentation, when it is on. */
    augmented: z.string().nullable(),
  }),
  z.object({ kind: z.literal('table'), columns: z.array(z.string()), rows: z.array(z.array(z.string())) }),
  z.object({ kind: z.literal('text'), snippets: z.array(z.object({ text: z.string(), label: z.string().nullable() })) }),
  z.object({ kind: z.literal('series'), values: z.array(z.number()), testStart: z.number().int() }),
]);
export type DatasetPreview = z.infer<typeof previewSchema>;

export const builtinInfoSchema = z.object({
  id: z.enum(BUILTIN_DATASETS),
  name: z.string(),
  kind: z.enum(DATASET_KINDS),
  description: z.string(),
  /** False when its files are not on this machine (Fashion-MNIST comes from a system package). */
  available: z.boolean(),
  /** Why it is not available and how to get it; or where it comes from. */
  note: z.string(),
  /** Generated datasets: their default size and noise. */
  size: z.number().int().nullable(),
  noise: z.number().nullable(),
  tasks: z.array(z.enum(TASKS)),
});
export type BuiltinInfo = z.infer<typeof builtinInfoSchema>;
