import { z } from 'zod';

/**
 * Where a project's examples come from: a dataset that ships with NetCanvas, or the user's
 * own file or folder, with the settings that turn it into tensors. Saved in the project.
 */

export const BUILTIN_DATASETS = ['mnist', 'fashion-mnist', 'moby-dick', 'imdb', 'iris', 'boston-housing', 'spirals', 'xor', 'circles', 'sine'] as const;
export type BuiltinDatasetId = (typeof BUILTIN_DATASETS)[number];

/** The generated datasets, whose size and noise are settings. */
export const SYNTHETIC_DATASETS = ['spirals', 'xor', 'circles', 'sine'] as const satisfies readonly BuiltinDatasetId[];

const testFraction = z.number().min(0, 'testFraction must be at least 0').max(0.5, 'testFraction must be at most 0.5');
const filePath = z.string().min(1, 'a path is required');

export const builtinSourceSchema = z
  .object({
    kind: z.literal('builtin'),
    id: z.enum(BUILTIN_DATASETS),
    /** Generated datasets: how many examples (points, or time steps of the sine wave). */
    size: z.number().int().min(20, 'size must be at least 20').max(1_000_000).optional(),
    /** Generated datasets: the noise's standard deviation. */
    noise: z.number().min(0, 'noise must be at least 0').max(2, 'noise must be at most 2').optional(),
    /** IMDB: words kept in the vocabulary; the rest become one "unknown" word. */
    vocabulary: z.number().int().min(100).max(50_000).optional(),
    /** IMDB: words read per review (longer ones are cut, shorter ones padded); sine: steps per window. */
    length: z.number().int().min(2).max(2_000).optional(),
  })
  .strict();

export const MISSING_RULES = ['drop-row', 'mean', 'zero', 'most-frequent'] as const;
export type MissingRule = (typeof MISSING_RULES)[number];

export const csvSourceSchema = z
  .object({
    kind: z.literal('csv'),
    path: filePath,
    /** Found from the file when absent: comma, tab, semicolon. */
    delimiter: z.enum([',', '\t', ';']).optional(),
    /** Found from the file when absent: a first row of names above rows of values. */
    header: z.boolean().optional(),
    /** The column to predict; the last one when absent. */
    target: z.string().optional(),
    /** Columns the network reads; every other column but the target when absent. */
    features: z.array(z.string()).optional(),
    /** How category columns reach the network: one column per value, or the value's number. */
    categories: z.enum(['one-hot', 'index']).default('one-hot'),
    /** Scale number columns to mean 0 and standard deviation 1 (from the training rows). */
    standardize: z.boolean().default(true),
    /** What to do with an empty cell or one that does not parse. */
    missing: z.enum(MISSING_RULES).default('drop-row'),
    testFraction: testFraction.default(0.2),
  })
  .strict();

export const imageFolderSourceSchema = z
  .object({
    kind: z.literal('image-folder'),
    /**
     * A folder with one sub-folder of PNG or JPEG images per class; or a `train/` folder that
     * has them, alone or beside a `test/` (or `val/`, `valid/`, `validation/`) folder that has them too.
     */
    path: filePath,
    /** Every image is resized to height × width. */
    size: z.tuple([z.number().int().min(4).max(1024), z.number().int().min(4).max(1024)]).default([32, 32]),
    color: z.enum(['gray', 'rgb']).default('rgb'),
    /** Held out of each class when the folder has no test folder. */
    testFraction: testFraction.default(0.2),
  })
  .strict();

export const textSourceSchema = z
  .object({
    kind: z.literal('text'),
    /** A text file, or a folder of `.txt` files read in name order. */
    path: filePath,
    level: z.enum(['char', 'word']).default('char'),
    /** Characters or words the model reads at once. */
    length: z.number().int().min(2).max(2_000).default(40),
    /** Characters or words between the starts of two training windows. */
    stride: z.number().int().min(1).max(2_000).default(1),
    /** Word level: words kept; the rest become one "unknown" word. */
    vocabulary: z.number().int().min(10).max(50_000).default(5_000),
    testFraction: testFraction.default(0.1),
  })
  .strict();

export const idxSourceSchema = z
  .object({
    kind: z.literal('idx'),
    /**
     * A folder of IDX files named like MNIST's (`train-images-idx3-ubyte`, or `train-images.idx3-ubyte`;
     * gzipped or not), or one images file.
     */
    path: filePath,
    /** The labels file, when `path` is one images file. */
    labels: z.string().optional(),
    testFraction: testFraction.default(0.2),
  })
  .strict();

export const npySourceSchema = z
  .object({
    kind: z.literal('npy'),
    /** The inputs: an array whose first axis is the example. */
    path: filePath,
    /** The targets, one per example: whole numbers are classes, other numbers values to fit. */
    labels: z.string().optional(),
    testFraction: testFraction.default(0.2),
  })
  .strict();

export const datasetSourceSchema = z.discriminatedUnion('kind', [builtinSourceSchema, csvSourceSchema, imageFolderSourceSchema, textSourceSchema, idxSourceSchema, npySourceSchema]);
export type DatasetSource = z.output<typeof datasetSourceSchema>;
export type DatasetSourceInput = z.input<typeof datasetSourceSchema>;
export type UserSource = Exclude<DatasetSource, { kind: 'builtin' }>;
/** One kind of source, e.g. `SourceOf<'csv'>`. */
export type SourceOf<K extends DatasetSource['kind']> = Extract<DatasetSource, { kind: K }>;

/** A project names a built-in dataset by id, or describes its source in full. */
export const projectDatasetSchema = z.union([z.enum(BUILTIN_DATASETS), datasetSourceSchema]);
export type ProjectDataset = z.output<typeof projectDatasetSchema>;

export function toSource(dataset: ProjectDataset): DatasetSource {
  return typeof dataset === 'string' ? { kind: 'builtin', id: dataset } : dataset;
}

/** Short text naming a source: a built-in's id or a file's name. */
export function sourceKey(dataset: ProjectDataset): string {
  const source = toSource(dataset);
  return source.kind === 'builtin' ? source.id : source.path;
}

/** Image augmentation, applied to training batches only. */
export const augmentationSchema = z
  .object({
    /** Mirror left to right with probability one half. */
    flip: z.boolean().default(false),
    /** Largest shift, as a fraction of the width and height. */
    shift: z.number().min(0).max(0.5).default(0),
    /** Largest rotation, in degrees either way. */
    rotate: z.number().min(0).max(180).default(0),
    /** Standard deviation of Gaussian noise added to pixels in [0, 1]. */
    noise: z.number().min(0).max(1).default(0),
  })
  .strict();
export type Augmentation = z.output<typeof augmentationSchema>;

export function augments(a: Augmentation | null | undefined): a is Augmentation {
  return !!a && (a.flip || a.shift > 0 || a.rotate > 0 || a.noise > 0);
}
