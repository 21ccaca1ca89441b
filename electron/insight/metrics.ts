import { CELL_EXAMPLES, type GroupFigure } from '../../shared/api/insight.js';
import { naturally } from '../data/dataset.js';

/**
 * The figures of an evaluation, from plain arrays: which class each example was and was given,
 * what each regression answer should have been and was, and which group each example is in.
 * A ratio with nothing to count (precision of a class never predicted) is 0, as scikit-learn's
 * `zero_division=0` reports it.
 */

/** Wrong answers listed at most, the most confident first. */
export const MISTAKES_SHOWN = 12;
/** Predicted-against-actual points a regression's plot gets at most. */
export const MAX_POINTS = 2000;

export interface ClassFigures {
  samples: number;
  accuracy: number;
  /** Rows are true classes, columns predicted. */
  confusion: number[][];
  /** For each cell, its first CELL_EXAMPLES examples' indices. */
  cellExamples: number[][][];
  perClass: { class: string; precision: number; recall: number; f1: number; count: number }[];
  mistakes: { index: number; truth: string; predicted: string; confidence: number }[];
}

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/**
 * Confusion, per-class precision, recall and F1 (count: the class's true examples), accuracy and
 * the most confident mistakes. `confidence[i]` is the probability given to `predicted[i]`.
 */
export function classificationFigures(truth: ArrayLike<number>, predicted: ArrayLike<number>, confidence: ArrayLike<number>, classes: readonly string[]): ClassFigures {
  const k = classes.length;
  const n = truth.length;
  if (predicted.length !== n || confidence.length !== n) throw new Error(`classificationFigures: ${n} true labels but ${predicted.length} predictions and ${confidence.length} confidences.`);
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const cellExamples = Array.from({ length: k }, () => Array.from({ length: k }, () => [] as number[]));
  const wrong: number[] = [];
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    if (!(t >= 0 && t < k) || !(p >= 0 && p < k)) throw new Error(`classificationFigures: example ${i} has class ${t} true and ${p} predicted, outside the ${k} classes.`);
    confusion[t]![p]! += 1;
    const cell = cellExamples[t]![p]!;
    if (cell.length < CELL_EXAMPLES) cell.push(i);
    if (t === p) correct++;
    else wrong.push(i);
  }
  const perClass = classes.map((name, c) => {
    const tp = confusion[c]![c]!;
    const count = confusion[c]!.reduce((a, b) => a + b, 0);
    const predictedAs = confusion.reduce((a, row) => a + row[c]!, 0);
    const precision = ratio(tp, predictedAs);
    const recall = ratio(tp, count);
    return { class: name, precision, recall, f1: ratio(2 * precision * recall, precision + recall), count };
  });
  // Most confident first; equal confidence in the split's order.
  wrong.sort((a, b) => confidence[b]! - confidence[a]! || a - b);
  const mistakes = wrong.slice(0, MISTAKES_SHOWN).map((i) => ({ index: i, truth: classes[truth[i]!]!, predicted: classes[predicted[i]!]!, confidence: confidence[i]! }));
  return { samples: n, accuracy: ratio(correct, n), confusion, cellExamples, perClass, mistakes };
}

/**
 * A classifier's figures as an evaluation tells them: `classificationFigures`, with the class
 * names, and each group's accuracy when the examples have `groups`.
 */
export function classifierEvaluation(truth: ArrayLike<number>, predicted: ArrayLike<number>, confidence: ArrayLike<number>, classes: string[], groups: readonly string[] | null) {
  const { accuracy, confusion, cellExamples, perClass, mistakes } = classificationFigures(truth, predicted, confidence, classes);
  return {
    accuracy,
    classes,
    confusion,
    cellExamples,
    perClass,
    mistakes,
    ...(groups ? { groups: groupFigures(groups, { correct: Array.from(truth, (t, i) => t === predicted[i]) }) } : {}),
  };
}

/** The most probable class of each row of `probabilities` (`classes` per example), and its probability; the first of equals. */
export function argmaxRows(probabilities: ArrayLike<number>, classes: number): { predicted: Int32Array; confidence: Float32Array } {
  const n = Math.floor(probabilities.length / classes);
  const predicted = new Int32Array(n);
  const confidence = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[i * classes + c]! > probabilities[i * classes + best]!) best = c;
    predicted[i] = best;
    confidence[i] = probabilities[i * classes + best]!;
  }
  return { predicted, confidence };
}

/** One sigmoid output per example: class 1 when its probability is at least 0.5, and the probability of the class given. */
export function binaryRows(probabilities: ArrayLike<number>): { predicted: Int32Array; confidence: Float32Array } {
  const n = probabilities.length;
  const predicted = new Int32Array(n);
  const confidence = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = probabilities[i]!;
    predicted[i] = p >= 0.5 ? 1 : 0;
    confidence[i] = p >= 0.5 ? p : 1 - p;
  }
  return { predicted, confidence };
}

export interface RegressionFigures {
  samples: number;
  /** Over every value of every example. */
  meanAbsoluteError: number;
  rootMeanSquaredError: number;
  /** The first target column's answers, at most MAX_POINTS spread evenly over the examples. */
  points: { index: number; actual: number; predicted: number }[];
  /** Each example's mean absolute error over its `size` values, for groups. */
  errors: Float32Array;
}

/** `size` values per example, actual and predicted, in the same units. */
export function regressionFigures(actual: ArrayLike<number>, predicted: ArrayLike<number>, size = 1): RegressionFigures {
  if (actual.length !== predicted.length) throw new Error(`regressionFigures: ${actual.length} actual values but ${predicted.length} predicted.`);
  const n = Math.floor(actual.length / size);
  const errors = new Float32Array(n);
  let absolute = 0;
  let squared = 0;
  for (let i = 0; i < n; i++) {
    let own = 0;
    for (let j = 0; j < size; j++) {
      const d = predicted[i * size + j]! - actual[i * size + j]!;
      own += Math.abs(d);
      squared += d * d;
    }
    absolute += own;
    errors[i] = own / size;
  }
  const values = n * size;
  const shown = Math.min(n, MAX_POINTS);
  const points = Array.from({ length: shown }, (_, k) => {
    const index = Math.floor((k * n) / shown);
    return { index, actual: actual[index * size]!, predicted: predicted[index * size]! };
  });
  return { samples: n, meanAbsoluteError: ratio(absolute, values), rootMeanSquaredError: Math.sqrt(ratio(squared, values)), points, errors };
}

/**
 * Figures per group, in natural order of the group's name ("2" before "10"): each example's
 * `group`, and either whether it was answered right (`correct`) or its absolute error (`errors`).
 */
export function groupFigures(groups: readonly string[], outcome: { correct: ArrayLike<boolean> } | { errors: ArrayLike<number> }): GroupFigure[] {
  const scores = 'correct' in outcome ? outcome.correct : outcome.errors;
  if (scores.length !== groups.length) throw new Error(`groupFigures: ${groups.length} groups but ${scores.length} outcomes.`);
  const sums = new Map<string, { count: number; sum: number }>();
  groups.forEach((group, i) => {
    const entry = sums.get(group) ?? { count: 0, sum: 0 };
    entry.count += 1;
    entry.sum += Number(scores[i]!);
    sums.set(group, entry);
  });
  return [...sums.keys()].sort(naturally).map((group) => {
    const { count, sum } = sums.get(group)!;
    return 'correct' in outcome ? { group, count, accuracy: sum / count } : { group, count, meanAbsoluteError: sum / count };
  });
}
