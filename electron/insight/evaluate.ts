import * as tf from '@tensorflow/tfjs';
import { argmaxRows, binaryRows, classifierEvaluation, groupFigures, regressionFigures } from './metrics.js';
import { InputError, type Session } from './session.js';
import type { Evaluation } from '../../shared/api/insight.js';
import { classCounts, type Split, type TableEncoder } from '../data/dataset.js';
import { featureBatch } from '../training/jobs/examples.js';
import { splits } from '../training/jobs/create.js';

/**
 * A run's network on a whole split, the figures the Evaluate tab and `netcanvas evaluate`
 * show: classifiers by their confusion matrix, regressions by their error in the target's own
 * units, autoencoders by their reconstruction's error, and each by groups of a table's column.
 */

/** Examples the network is given at once. */
export const EVALUATE_BATCH = 256;

export interface EvaluateRequest {
  split: 'test' | 'validation';
  /** A table's column: figures for each of its values. */
  groupBy?: string;
}

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function evaluate(session: Session, request: EvaluateRequest): Promise<Evaluation> {
  const { task } = session.info;
  if (task !== 'classify' && task !== 'regress' && task !== 'autoencode') {
    const what = task === 'gan' ? 'a GAN makes images from noise' : 'a language model continues text';
    throw new InputError(`Evaluation is for classifiers, regressions and autoencoders; ${what}: try it on the Try tab instead.`);
  }
  const split = session.splits[request.split];
  if (split.count === 0) {
    throw new InputError(request.split === 'test' ? 'The dataset has no test examples to evaluate on.' : 'The run held no training examples back for validation: evaluate on the test split.');
  }
  // Read before the network runs: a wrong column is told at once.
  const groups = request.groupBy === undefined ? null : groupsOf(session, request.split, request.groupBy);
  const outputs = await runOverSplit(session, split, task === 'autoencode');
  const base = { split: request.split, samples: split.count, ...(request.groupBy !== undefined ? { groupBy: request.groupBy } : {}) };

  if (task === 'autoencode') {
    const figures = regressionFigures(outputs.inputs!, outputs.values, outputs.width);
    return {
      ...base,
      meanAbsoluteError: figures.meanAbsoluteError,
      rootMeanSquaredError: figures.rootMeanSquaredError,
      ...(groups ? { groups: groupFigures(groups, { errors: figures.errors }) } : {}),
    };
  }
  if (task === 'regress' || !split.labels) return regression(session, split, outputs, base, groups);
  return classification(session, split, outputs, base, groups);
}

interface Outputs {
  /** The network's first output, example after example, `width` numbers each. */
  values: Float32Array;
  width: number;
  /** The inputs as the network was given them, for an autoencoder. */
  inputs?: Float32Array;
}

/** The model over the whole split in batches, each in its own tidy, giving the event loop a turn between them. */
async function runOverSplit(session: Session, split: Split, keepInputs: boolean): Promise<Outputs> {
  const input = session.model.inputs[0]!.shape.slice(1) as number[];
  if (session.model.inputs.length !== 1) throw new InputError(`Evaluation gives a network one input; this one takes ${session.model.inputs.length}.`);
  const chunks: Float32Array[] = [];
  const inputChunks: Float32Array[] = [];
  let width = 0;
  for (let start = 0; start < split.count; start += EVALUATE_BATCH) {
    const n = Math.min(EVALUATE_BATCH, split.count - start);
    const indices = Array.from({ length: n }, (_, i) => start + i);
    const [out, x] = tf.tidy(() => {
      const batch = featureBatch(split, input, indices);
      const predicted = session.model.predict(batch);
      const first = Array.isArray(predicted) ? predicted[0]! : predicted;
      return [first.reshape([n, -1]), keepInputs ? batch.reshape([n, -1]) : null] as const;
    });
    width = out.shape[1]!;
    chunks.push((await out.data()) as Float32Array);
    if (x) inputChunks.push((await x.data()) as Float32Array);
    tf.dispose([out, ...(x ? [x] : [])]);
    await yieldToEvents();
  }
  return { values: concat(chunks), width, ...(keepInputs ? { inputs: concat(inputChunks) } : {}) };
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

type Base = Pick<Evaluation, 'split' | 'samples' | 'groupBy'>;

function classification(session: Session, split: Split, outputs: Outputs, base: Base, groups: string[] | null): Evaluation {
  const classes = session.info.classes ?? session.data.classes ?? [];
  const { values, width } = outputs;
  if (width !== 1 && width !== classes.length) {
    throw new InputError(`The network gives ${width} numbers per example but the data has ${classes.length} classes (${classes.join(', ')}).`);
  }
  const rows = width === 1 ? binaryRows(asProbabilities(values, 1)) : argmaxRows(asProbabilities(values, width), width);
  const trainLabels = splits(session.settings, session.data).train;
  return {
    ...base,
    ...classifierEvaluation(split.labels!, rows.predicted, rows.confidence, classes, groups),
    trainingBalance: classCounts(trainLabels, classes.length),
  };
}

/**
 * Outputs as probabilities: as they are when each row already is a distribution (softmax, or a
 * sigmoid in [0, 1]); a network that ends without its activation is given softmax or sigmoid here.
 */
function asProbabilities(values: Float32Array, width: number): Float32Array {
  if (width === 1) return values.every((v) => v >= 0 && v <= 1) ? values : Float32Array.from(values, (v) => 1 / (1 + Math.exp(-v)));
  let distributions = true;
  for (let i = 0; i < values.length && distributions; i += width) {
    let sum = 0;
    for (let c = 0; c < width; c++) {
      const v = values[i + c]!;
      if (v < 0) distributions = false;
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-3) distributions = false;
  }
  if (distributions) return values;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i += width) {
    let max = -Infinity;
    for (let c = 0; c < width; c++) max = Math.max(max, values[i + c]!);
    let sum = 0;
    for (let c = 0; c < width; c++) sum += out[i + c] = Math.exp(values[i + c]! - max);
    for (let c = 0; c < width; c++) out[i + c]! /= sum;
  }
  return out;
}

function regression(session: Session, split: Split, outputs: Outputs, base: Base, groups: string[] | null): Evaluation {
  const size = session.data.target.kind === 'values' ? session.data.target.size : 1;
  if (!split.values) throw new InputError('The data has no values to compare the network’s answers with.');
  if (outputs.width !== size) throw new InputError(`The network gives ${outputs.width} numbers per example but the data's target has ${size}.`);
  const table = tableOf(session);
  // Both sides back in the target's units: a standardized target's error means nothing to a person.
  const decode = (v: Float32Array) => (table ? table.decodeValues(v) : v);
  const figures = regressionFigures(decode(split.values), decode(outputs.values), size);
  const targetName = table?.targetNames[0];
  return {
    ...base,
    meanAbsoluteError: figures.meanAbsoluteError,
    rootMeanSquaredError: figures.rootMeanSquaredError,
    points: figures.points,
    ...(targetName !== undefined ? { targetName } : {}),
    ...(groups ? { groups: groupFigures(groups, { errors: figures.errors }) } : {}),
  };
}

function tableOf(session: Session): TableEncoder | null {
  const encoder = session.data.encoder;
  return encoder?.kind === 'table' ? encoder : null;
}

/** Each example's cell of `column`, read from the file's rows; a column that is not there is named with those that are. */
function groupsOf(session: Session, split: 'test' | 'validation', column: string): string[] {
  const table = tableOf(session);
  if (!table) {
    throw new InputError(`Cannot group by "${column}": ${session.data.name} is ${session.data.kind === 'table' ? 'a table read without its cells' : `${session.data.kind}, not a table`}, so it has no columns to group by.`);
  }
  const known = session.data.columns.map((c) => c.name);
  if (!known.includes(column)) {
    const hint = table.groupColumns.length > 0 ? ` (good ones to group by: ${table.groupColumns.join(', ')})` : '';
    throw new InputError(`Cannot group by "${column}": ${session.data.name} has no such column. Its columns are ${known.join(', ')}${hint}.`);
  }
  // Validation examples are rows of the dataset's train split, unless the run validated on its test split.
  const part = split === 'test' || session.settings.validation.kind === 'test' ? 'test' : 'train';
  return Array.from(session.rows[split], (row) => table.cells(part, row)[column] ?? '');
}
