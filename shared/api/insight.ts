import { z } from 'zod';
import { imageBatchSchema } from './images.js';

/**
 * What the Try, Evaluate and Explain tabs and `netcanvas predict|evaluate` ask of a trained
 * run, and what comes back: plain data and 8-bit images, never tensors. The questions are
 * answered by an Analyst process on the Backend's side (`electron/insight/`).
 */

export const CHECKPOINT_CHOICES = ['last', 'best'] as const;

/** The saved run a question is about, found as `runs.export` finds it. */
export const runRefSchema = z
  .object({
    projectName: z.string().min(1),
    projectPath: z.string().min(1).optional(),
    runId: z.string().regex(/^[\w-]+$/, 'a run id is letters, digits, - and _'),
    /** The best epoch's weights when the run kept them, else the last. */
    checkpoint: z.enum(CHECKPOINT_CHOICES).optional(),
  })
  .strict();
export type RunRef = z.infer<typeof runRefSchema>;

/** The largest picture a page sends: a drawing, or an image file it decoded. */
export const MAX_INPUT_PIXELS = 1024 * 1024;

/** One input to the network, as a person gives it; the Analyst prepares it as the dataset's examples were. */
export const modelInputSchema = z.discriminatedUnion('kind', [
  /**
   * A drawing on the Try tab's pad, light strokes on dark. For MNIST-style digits it is
   * scaled into a 20×20 box and centred by its mass in 28×28, as MNIST's digits were made.
   */
  z.object({ kind: z.literal('drawing'), image: imageBatchSchema }),
  /** A picture (a file the page decoded): resized to the network's input, in its colours. */
  z.object({ kind: z.literal('image'), image: imageBatchSchema }),
  /** An image file on the Backend's machine: the command line's `predict photo.png`. */
  z.object({ kind: z.literal('image-file'), path: z.string().min(1) }),
  /** An example of the dataset: of the test split, or of the part of training the run held back. */
  z.object({ kind: z.literal('example'), split: z.enum(['test', 'validation']).default('test'), index: z.number().int().min(0) }),
  /** A review for a text classifier, or a prompt for a language model, through the dataset's tokenizer. */
  z.object({ kind: z.literal('text'), text: z.string().max(100_000) }),
  /** One table row: each feature column's value as written in the file (a number, a category). */
  z.object({ kind: z.literal('row'), values: z.record(z.string(), z.string()) }),
  /** A GAN's noise vector, drawn from this seed. */
  z.object({ kind: z.literal('noise'), seed: z.number().int() }),
]);
export type ModelInput = z.input<typeof modelInputSchema>;

/** One feature column of a table, for the Try tab's form. */
export const inputFieldSchema = z.object({
  name: z.string(),
  type: z.enum(['number', 'category']),
  /** A category's values, most frequent first. */
  values: z.array(z.string()).optional(),
  /** The training rows' range and a typical value, in the column's own units. */
  min: z.number().optional(),
  max: z.number().optional(),
  /** What the form starts with: the mean of a number, the most frequent category. */
  typical: z.string(),
});
export type InputField = z.infer<typeof inputFieldSchema>;

export const insightLayerSchema = z.object({
  /** The graph node's id and name. */
  id: z.string(),
  name: z.string(),
  type: z.string(),
  outputShape: z.array(z.number().nullable()),
  /** A layer with a spatial output (height, width, channels): Grad-CAM can look at it. */
  spatial: z.boolean(),
  /** MultiHeadAttention's heads; absent for other layers. */
  heads: z.number().int().optional(),
});
export type InsightLayer = z.infer<typeof insightLayerSchema>;

/** What a run's network takes and gives: which of the tabs' tools apply to it. */
export const insightInfoSchema = z.object({
  runId: z.string(),
  task: z.enum(['classify', 'regress', 'autoencode', 'language-model', 'gan']),
  /** What the network is given: the dataset's kind, or noise for a GAN's generator. */
  input: z.enum(['images', 'table', 'sequence', 'text', 'corpus', 'noise']),
  /** (height, width, channels) for images; the window length for text. */
  inputShape: z.array(z.number().int()),
  /** MNIST-style digits: a drawing is centred by mass in a 20×20 box. */
  digits: z.boolean(),
  classes: z.array(z.string()).nullable(),
  /** A table's feature columns, for the form. */
  fields: z.array(inputFieldSchema),
  /** The regression target's column names, answered in their own units. */
  targetNames: z.array(z.string()),
  /** Columns a table can be grouped by for fairness: its categories, and its features with few values. */
  groupColumns: z.array(z.string()),
  testCount: z.number().int(),
  validationCount: z.number().int(),
  layers: z.array(insightLayerSchema),
  /** Whether the whole input can be differentiated: images and tables, not token ids. */
  differentiable: z.boolean(),
  /** The Embedding (or TokenAndPositionEmbedding) layer text attribution reads, when there is one. */
  embeddingLayer: z.string().nullable(),
  checkpoint: z.enum(CHECKPOINT_CHOICES),
});
export type InsightInfo = z.infer<typeof insightInfoSchema>;

export const topClassSchema = z.object({ class: z.string(), index: z.number().int(), probability: z.number() });
export type TopClass = z.infer<typeof topClassSchema>;

/** What the network made of one input. */
export const predictionSchema = z.object({
  /** The input as the network sees it (an image after preparing it), to show beside the answer. */
  seen: imageBatchSchema.optional(),
  /** The tokens it read, for text: '<unk>' where a word is outside the vocabulary. */
  tokens: z.array(z.string()).optional(),
  /** Classes, most probable first (at most 10). */
  top: z.array(topClassSchema).optional(),
  /** A regression's answer, one per target column, in the target's own units. */
  value: z.array(z.number()).optional(),
  /** An autoencoder's reconstruction, a GAN's sample. */
  image: imageBatchSchema.optional(),
  /** The example's true answer, when the input was an example of the data. */
  truth: z.string().optional(),
});
export type Prediction = z.infer<typeof predictionSchema>;

export const generateSchema = z.discriminatedUnion('kind', [
  /** A language model continues a prompt. */
  z.object({ kind: z.literal('text'), prompt: z.string().max(10_000), temperature: z.number().min(0.05).max(3), length: z.number().int().min(1).max(2000), seed: z.number().int().optional() }),
  /** A GAN's samples: `count` images along the straight line between the noise of two seeds. */
  z.object({ kind: z.literal('walk'), from: z.number().int(), to: z.number().int(), steps: z.number().int().min(2).max(64) }),
  /** A GAN's grid of samples from one seed. */
  z.object({ kind: z.literal('grid'), seed: z.number().int(), count: z.number().int().min(1).max(64) }),
]);
export type GenerateRequest = z.infer<typeof generateSchema>;

export const generatedSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), prompt: z.string(), text: z.string() }),
  z.object({ kind: z.literal('images'), images: imageBatchSchema }),
]);
export type Generated = z.infer<typeof generatedSchema>;

/** Examples shown in each confusion matrix cell at most. */
export const CELL_EXAMPLES = 24;

export const perClassSchema = z.object({ class: z.string(), precision: z.number(), recall: z.number(), f1: z.number(), count: z.number().int() });
export const groupFigureSchema = z.object({
  group: z.string(),
  count: z.number().int(),
  accuracy: z.number().optional(),
  meanAbsoluteError: z.number().optional(),
});
export type GroupFigure = z.infer<typeof groupFigureSchema>;

/** A run's network on a whole split: what `netcanvas evaluate --json` prints, and the Evaluate tab shows. */
export const evaluationSchema = z.object({
  split: z.enum(['test', 'validation']),
  samples: z.number().int(),
  accuracy: z.number().optional(),
  meanAbsoluteError: z.number().optional(),
  rootMeanSquaredError: z.number().optional(),
  classes: z.array(z.string()).optional(),
  /** Rows are true classes, columns predicted. */
  confusion: z.array(z.array(z.number().int())).optional(),
  /** For each cell, up to CELL_EXAMPLES of its examples' indices in the split. */
  cellExamples: z.array(z.array(z.array(z.number().int()))).optional(),
  perClass: z.array(perClassSchema).optional(),
  /** Training examples per class, beside per-class recall: a model learns its data's balance. */
  trainingBalance: z.array(z.number().int()).optional(),
  /** The wrong answers given with the most confidence, most confident first. */
  mistakes: z.array(z.object({ index: z.number().int(), truth: z.string(), predicted: z.string(), confidence: z.number() })).optional(),
  /** Regression: predicted against actual in the target's units (the first target column), at most 2,000 points. */
  points: z.array(z.object({ index: z.number().int(), actual: z.number(), predicted: z.number() })).optional(),
  targetName: z.string().optional(),
  groupBy: z.string().optional(),
  groups: z.array(groupFigureSchema).optional(),
});
export type Evaluation = z.infer<typeof evaluationSchema>;

/** An example of a split to look at: a confusion cell's, a mistake. */
export const exampleViewSchema = z.object({
  index: z.number().int(),
  truth: z.string(),
  image: imageBatchSchema.optional(),
  text: z.string().optional(),
  /** A table row's cells, as the file had them, in `insightInfo.fields` order. */
  cells: z.array(z.string()).optional(),
});
export type ExampleView = z.infer<typeof exampleViewSchema>;

export const EXPLAIN_METHODS = ['saliency', 'smoothgrad', 'gradcam', 'activations', 'attention', 'attribution', 'adversarial'] as const;
export type ExplainMethod = (typeof EXPLAIN_METHODS)[number];

export const explainRequestSchema = z
  .object({
    method: z.enum(EXPLAIN_METHODS),
    /** The class explained; the top class when left out. */
    classIndex: z.number().int().min(0).optional(),
    /** The layer looked at: Grad-CAM's convolution, the activations' layer, the attention layer (graph node id). */
    layer: z.string().optional(),
    /** Adversarial: the largest step along the gradient's sign to try, in pixel units of [0, 1]. */
    epsilon: z.number().min(0).max(1).optional(),
  })
  .strict();
export type ExplainRequest = z.infer<typeof explainRequestSchema>;

/** A heat map of `height` × `width` values in [0, 1], row after row. */
export const heatMapSchema = z.object({ height: z.number().int(), width: z.number().int(), values: z.array(z.number()) });
export type HeatMap = z.infer<typeof heatMapSchema>;

export const explanationSchema = z.discriminatedUnion('kind', [
  /** Saliency, SmoothGrad, Grad-CAM: where the input mattered for `top[0]`'s class, at the input's size. */
  z.object({ kind: z.literal('heatmap'), method: z.enum(['saliency', 'smoothgrad', 'gradcam']), image: imageBatchSchema, heat: heatMapSchema, classIndex: z.number().int(), className: z.string(), layer: z.string().optional() }),
  /**
   * A layer's output: a convolution's channels as images (`maps`, at most 64), a dense
   * layer's units as `values`, a sequence's (steps × features) as a heat map.
   */
  z.object({
    kind: z.literal('activations'),
    layer: z.string(),
    shape: z.array(z.number()),
    maps: imageBatchSchema.optional(),
    values: z.array(z.number()).optional(),
    sequence: heatMapSchema.optional(),
    /** Units or channels not shown, beyond the first 64 or 512. */
    hidden: z.number().int(),
  }),
  /** Each head's weights, queries by keys, with the tokens as labels. */
  z.object({ kind: z.literal('attention'), layer: z.string(), queries: z.array(z.string()), keys: z.array(z.string()), heads: z.array(z.array(z.array(z.number()))) }),
  /** Each token's contribution (gradient × input on its embedding), signed, largest magnitude 1. */
  z.object({ kind: z.literal('attribution'), tokens: z.array(z.string()), scores: z.array(z.number()), classIndex: z.number().int(), className: z.string() }),
  /**
   * FGSM: the smallest step (searched up to `epsilon`) along the sign of the loss's gradient
   * that changes the answer; `changed` false when none up to it did.
   */
  z.object({
    kind: z.literal('adversarial'),
    epsilon: z.number(),
    changed: z.boolean(),
    original: imageBatchSchema,
    adversarial: imageBatchSchema,
    /** The difference, magnified to the full range: grey is no change. */
    difference: imageBatchSchema,
    before: z.array(topClassSchema),
    after: z.array(topClassSchema),
  }),
]);
export type Explanation = z.infer<typeof explanationSchema>;

/** One layer's weights or gradients as a histogram. */
export const histogramSchema = z.object({ min: z.number(), max: z.number(), counts: z.array(z.number().int()) });
export type Histogram = z.infer<typeof histogramSchema>;

/** Training health: what each layer's weights and gradients were like at the end of each epoch. */
export const healthEpochSchema = z.object({
  epoch: z.number().int(),
  layers: z.array(
    z.object({
      /** The graph node's name. */
      name: z.string(),
      weights: histogramSchema,
      gradients: histogramSchema,
      /** The L2 norm of the layer's gradient on one batch. */
      gradientNorm: z.number(),
      weightNorm: z.number(),
    }),
  ),
});
export type HealthEpoch = z.infer<typeof healthEpochSchema>;
