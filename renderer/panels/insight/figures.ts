import type { Evaluation, Explanation, TopClass } from '../../../shared/api/insight.js';

export interface ClassRow {
  class: string;
  precision: number;
  recall: number;
  f1: number;
  count: number;
  /** Training examples of the class, and their share of the largest class's (the bar beside recall). */
  training: number | null;
  trainingShare: number | null;
  /** Few training examples and a recall well under the others': the imbalance the network learned. */
  underserved: boolean;
}

/**
 * The per-class table's rows, each with its class's training examples beside its recall.
 * A class is underserved when it had under half the examples of the largest class and its
 * recall is below the mean recall of the classes.
 */
export function classRows(evaluation: Pick<Evaluation, 'perClass' | 'trainingBalance'>): ClassRow[] {
  const perClass = evaluation.perClass ?? [];
  const balance = evaluation.trainingBalance;
  const usable = balance && balance.length === perClass.length ? balance : null;
  const most = usable ? Math.max(1, ...usable) : 1;
  const meanRecall = perClass.length > 0 ? perClass.reduce((a, c) => a + c.recall, 0) / perClass.length : 0;
  return perClass.map((c, i) => {
    const training = usable ? usable[i]! : null;
    const trainingShare = training === null ? null : training / most;
    return { ...c, training, trainingShare, underserved: trainingShare !== null && trainingShare < 0.5 && c.recall < meanRecall };
  });
}

/** What an empty token (padding, the filler before a short prompt) is drawn as. */
export const PADDING_MARK = '·';

/** Spaces and line breaks in a label drawn visibly: a character model's " " is ␣, a newline ↵, a tab ⇥; padding is a faint dot. */
export function visibleToken(token: string): string {
  if (token === '') return PADDING_MARK;
  return token.replace(/ /g, '␣').replace(/\n/g, '↵').replace(/\t/g, '⇥');
}

type Adversarial = Extract<Explanation, { kind: 'adversarial' }>;

const topOf = (classes: readonly TopClass[]) => classes[0];

/** The largest step, in [0, 1] pixel units, that a person does not see: about ten grey levels. */
export const INVISIBLE_STEP = 0.04;

/**
 * What an adversarial example shows, in a sentence: the step it took, as a share of the
 * pixel range, and the answer before and after; or that no step up to the largest tried did.
 */
export function adversarialSentence(result: Adversarial): string {
  const before = topOf(result.before);
  const after = topOf(result.after);
  const step = `${(result.epsilon * 100).toFixed(1)}% of the brightness range`;
  if (!before) return 'The network gave no answer for this input.';
  if (!result.changed || !after || after.index === before.index) {
    return `No change of up to ${step} per pixel along the gradient turned “${before.class}” into another answer: try a larger strength.`;
  }
  // A few grey levels are below what an eye tells apart on a screen; more shows as a faint speckle.
  const seen = result.epsilon <= INVISIBLE_STEP ? 'The change is too small to see' : 'The change shows only as a faint speckle, and a person still sees the same picture';
  return (
    `Moving every pixel by at most ${step} (${Math.round(result.epsilon * 255)} of 255 levels) turns “${before.class}” ` +
    `(${(before.probability * 100).toFixed(1)}%) into “${after.class}” (${(after.probability * 100).toFixed(1)}%). ` +
    `${seen}: the difference is shown magnified.`
  );
}

/** The classes of an evaluation, or those of its per-class figures when the list is missing. */
export function classNames(evaluation: Pick<Evaluation, 'classes' | 'perClass' | 'confusion'>): string[] {
  if (evaluation.classes) return evaluation.classes;
  if (evaluation.perClass) return evaluation.perClass.map((c) => c.class);
  return (evaluation.confusion ?? []).map((_, i) => String(i));
}
