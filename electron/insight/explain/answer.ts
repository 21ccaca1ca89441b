import * as tf from '@tensorflow/tfjs';
import type { ExplainMethod, TopClass } from '../../../shared/api/insight.js';
import { topClasses as rankClasses } from '../predict.js';
import { InputError, type Session } from '../session.js';

/**
 * What the network answers, as the explanations read it: one row of class probabilities or
 * values per input (a language model's at its last step), the class explained, the score a
 * gradient is taken of.
 */

/** Classes shown before and after an adversarial step. */
export const TOP_SHOWN = 5;

/** The answer of the last step for sequence outputs (a language model's next token), else the output itself: (batch, units). */
export function answerRows(output: tf.Tensor): tf.Tensor2D {
  if (output.rank === 2) return output as tf.Tensor2D;
  if (output.rank === 3) {
    const [batch, steps, units] = output.shape as [number, number, number];
    return tf.reshape(tf.slice(output, [0, steps - 1, 0], [batch, 1, units]), [batch, units]);
  }
  throw new InputError(`The network answers with a (${output.shape.slice(1).join(', ')}) output, not classes or values: look at its activations instead.`);
}

/** Whether one sigmoid unit stands for two classes (class 1 its probability, class 0 the rest), as predictions read it. */
function binary(session: Session, units: number): boolean {
  return units === 1 && session.info.task === 'classify';
}

/**
 * The score of `classIndex` for each row: a logit or probability, or for one sigmoid unit its
 * value for class 1 and its negation for class 0 (so both rise when the class grows likelier).
 */
export function classScore(session: Session, output: tf.Tensor, classIndex: number): tf.Scalar {
  const rows = answerRows(output);
  const units = rows.shape[1];
  if (binary(session, units)) return tf.mul(tf.sum(rows), classIndex === 1 ? 1 : -1) as tf.Scalar;
  return tf.sum(tf.slice(rows, [0, classIndex], [-1, 1]));
}

/** The first row's class probabilities (two for one sigmoid unit); a regression's values as they come. */
export function probabilitiesOf(session: Session, output: tf.Tensor): Float32Array {
  return tf.tidy(() => {
    const rows = answerRows(output);
    const first = Float32Array.from(tf.slice(rows, [0, 0], [1, -1]).dataSync());
    return binary(session, first.length) ? Float32Array.from([1 - first[0]!, first[0]!]) : first;
  });
}

/** A class or output unit's name, as predictions name it: the class, a language model's token, the regression target's column. */
export function nameOf(session: Session, index: number): string {
  const names = session.data.corpus?.tokens ?? session.info.classes ?? session.info.targetNames;
  return names[index] ?? String(index);
}

/** The most probable classes of `probabilitiesOf`'s row, named as predictions name them. */
export function topClasses(session: Session, probabilities: Float32Array, count = TOP_SHOWN): TopClass[] {
  return rankClasses(probabilities, session.data.corpus?.tokens ?? session.info.classes ?? session.info.targetNames, count);
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

const METHOD_NAMES: Record<ExplainMethod, string> = {
  saliency: 'Saliency',
  smoothgrad: 'SmoothGrad',
  gradcam: 'Grad-CAM',
  activations: 'Activations',
  attention: 'Attention',
  attribution: 'Attribution',
  adversarial: 'An adversarial example',
};

export function methodName(method: ExplainMethod): string {
  return METHOD_NAMES[method];
}

/** Refuses networks whose answer is not classes or values (autoencoders, GAN generators), naming what to use instead. */
export function needAnswer(session: Session, method: ExplainMethod): void {
  const { task } = session.info;
  if (task === 'autoencode' || task === 'gan') {
    const what = task === 'gan' ? 'makes images from noise' : 'reconstructs its input';
    throw new InputError(`${methodName(method)} explains a class or a value, but this network ${what}: look at its activations instead.`);
  }
}

/**
 * The class explained: the one asked for, checked against the network's output, else the most
 * probable (a regression's first value).
 */
export function chosenClass(session: Session, probabilities: Float32Array, requested: number | undefined): number {
  const count = probabilities.length;
  if (requested !== undefined) {
    if (requested >= count) {
      const what = session.info.task === 'regress' ? 'values' : 'classes';
      throw new InputError(`Class ${requested} is out of range: this network answers with ${count} ${what} (0 to ${count - 1}).`);
    }
    return requested;
  }
  return session.info.task === 'regress' ? 0 : argmax(probabilities);
}
