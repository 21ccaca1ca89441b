import * as tf from '@tensorflow/tfjs';
import type { Explanation } from '../../../shared/api/insight.js';
import { seededNormal, seededRandom } from '../../data/random.js';
import type { PreparedInput, Session } from '../session.js';
import { chosenClass, classScore, nameOf, probabilitiesOf } from './answer.js';
import { forward } from './network.js';
import { gradientHeat, gridOf, pictureOf, toHeatMap } from './picture.js';

/**
 * Saliency: how much each pixel moves the class's score, |∂ score / ∂ input|, the largest over
 * the channels. SmoothGrad averages it over noisy copies of the input, which keeps the shape of
 * what matters and loses the speckle of one gradient.
 */

export const SMOOTHGRAD_COPIES = 25;
/** The noise's standard deviation, as a fraction of the input's range. */
export const SMOOTHGRAD_NOISE = 0.15;
/** The same noise for every question, so the same input gives the same map. */
const SMOOTHGRAD_SEED = 20170612;

/** The gradient of the class's score (its logit where the head has one) with respect to each row of `x`. */
export function inputGradient(session: Session, x: tf.Tensor, classIndex: number): tf.Tensor {
  return tf.grad((input: tf.Tensor) => classScore(session, forward(session.model, input, { logits: true }).output, classIndex))(x);
}

/** `count` copies of a batch of one with seeded gaussian noise of `sigma` added. */
function noisyCopies(x: tf.Tensor, count: number, sigma: number): tf.Tensor {
  const noise = seededNormal(count * x.size, seededRandom(SMOOTHGRAD_SEED));
  return tf.add(tf.tile(x, [count, ...x.shape.slice(1).map(() => 1)]), tf.mul(tf.tensor(noise, [count, ...x.shape.slice(1)]), sigma));
}

export function saliency(session: Session, prepared: PreparedInput, method: 'saliency' | 'smoothgrad', requested?: number): Explanation {
  const x = prepared.tensor;
  const probabilities = tf.tidy(() => probabilitiesOf(session, forward(session.model, x).output));
  const classIndex = chosenClass(session, probabilities, requested);
  const heat = tf.tidy(() => {
    let gradient: tf.Tensor;
    if (method === 'saliency') gradient = inputGradient(session, x, classIndex);
    else {
      const range = tf.sub(tf.max(x), tf.min(x)).dataSync()[0]!;
      gradient = inputGradient(session, noisyCopies(x, SMOOTHGRAD_COPIES, SMOOTHGRAD_NOISE * (range > 0 ? range : 1)), classIndex);
    }
    return toHeatMap(gradientHeat(gridOf(session, x), gradient));
  });
  return { kind: 'heatmap', method, image: pictureOf(session, prepared), heat, classIndex, className: nameOf(session, classIndex) };
}
