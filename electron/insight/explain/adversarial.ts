import * as tf from '@tensorflow/tfjs';
import type { Explanation } from '../../../shared/api/insight.js';
import { toImageBatch } from '../drawing.js';
import { InputError, type PreparedInput, type Session } from '../session.js';
import { argmax, probabilitiesOf, topClasses } from './answer.js';
import { forward } from './network.js';
import { gridOf, isImage, pictureOf } from './picture.js';

/**
 * FGSM: every pixel moved by ε along the sign of the loss's gradient for the class the network
 * gives, x' = clip(x + ε·sign(∇ₓ loss), 0, 1). The smallest ε that changes the answer is
 * found by doubling from one grey level, then halving the interval it was found in.
 */

export const DEFAULT_MAX_EPSILON = 0.25;
const FIRST_EPSILON = 1 / 255;
const BISECTIONS = 8;

/** The cross-entropy of the class, from logits where the head has them (steady when the network is sure). */
function lossOf(session: Session, x: tf.Tensor, classIndex: number): tf.Scalar {
  const { output, logits } = forward(session.model, x, { logits: true });
  const units = output.shape[output.rank - 1]!;
  if (units === 1) {
    // One sigmoid unit: class 1's loss is softplus(−z), class 0's softplus(z).
    const z = logits ? output : tf.log(tf.div(output, tf.sub(1, output)));
    return tf.sum(tf.softplus(tf.mul(z, classIndex === 1 ? -1 : 1)));
  }
  const logProbabilities = logits ? tf.logSoftmax(output) : tf.log(tf.add(output, 1e-7));
  return tf.neg(tf.sum(tf.slice(logProbabilities, [0, classIndex], [-1, 1])));
}

export function adversarial(session: Session, prepared: PreparedInput, maxEpsilon = DEFAULT_MAX_EPSILON): Explanation {
  const x = prepared.tensor;
  if (!session.info.differentiable) {
    throw new InputError('An adversarial example moves the input along its gradient, and this network reads token ids, which have none: try attribution instead.');
  }
  if (!isImage(session, x)) {
    const what = session.info.input === 'table' ? 'a table row' : session.info.input === 'images' ? 'images of other than 1 or 3 channels' : `a ${session.info.input}`;
    throw new InputError(`An adversarial example changes an image's pixels within [0, 1], and this network reads ${what}.`);
  }
  const before = tf.tidy(() => probabilitiesOf(session, forward(session.model, x).output));
  const classIndex = argmax(before);
  const direction = tf.tidy(() => tf.sign(tf.grad((input: tf.Tensor) => lossOf(session, input, classIndex))(x)));
  try {
    const stepped = (epsilon: number) => tf.clipByValue(tf.add(x, tf.mul(direction, epsilon)), 0, 1);
    const answerAt = (epsilon: number) => tf.tidy(() => probabilitiesOf(session, forward(session.model, stepped(epsilon)).output));
    const changes = (epsilon: number) => argmax(answerAt(epsilon)) !== classIndex;

    let unchanged = 0;
    let found: number | null = null;
    for (let epsilon = Math.min(FIRST_EPSILON, maxEpsilon); epsilon > 0; epsilon = epsilon >= maxEpsilon ? 0 : Math.min(epsilon * 2, maxEpsilon)) {
      if (changes(epsilon)) {
        found = epsilon;
        break;
      }
      unchanged = epsilon;
    }
    let epsilon = found ?? maxEpsilon;
    if (found !== null) {
      for (let i = 0; i < BISECTIONS; i++) {
        const middle: number = (unchanged + epsilon) / 2;
        if (changes(middle)) epsilon = middle;
        else unchanged = middle;
      }
    }
    const after = answerAt(epsilon);
    const { height, width, depth: channels } = gridOf(session, x);
    const { pixels, difference } = tf.tidy(() => {
      const moved = stepped(epsilon);
      const change = tf.sub(moved, x);
      const largest = Math.max(tf.max(tf.abs(change)).dataSync()[0]!, 1e-12);
      // Grey is no change; the largest change reaches black or white.
      const shown = tf.add(0.5, tf.mul(change, 0.5 / largest));
      return { pixels: Float32Array.from(moved.dataSync()), difference: Float32Array.from(shown.dataSync()) };
    });
    return {
      kind: 'adversarial',
      epsilon,
      changed: found !== null,
      original: pictureOf(session, prepared),
      adversarial: toImageBatch(pixels, 1, height, width, channels),
      difference: toImageBatch(difference, 1, height, width, channels),
      before: topClasses(session, before),
      after: topClasses(session, after),
    };
  } finally {
    direction.dispose();
  }
}
