import * as tf from '@tensorflow/tfjs';
import { toImageBatch } from './inputs.js';
import type { PreparedInput, Session } from './session.js';
import type { ImageBatch } from '../../shared/api/images.js';
import type { Prediction, TopClass } from '../../shared/api/insight.js';
import { formatNumber } from '../data/table-encoder.js';

/** Classes a prediction lists at most. */
export const TOP_CLASSES = 10;

/** The network's first output for a batch, computed and kept: a model with several outputs answers with its first. */
export function firstOutput(model: tf.LayersModel, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const out = model.predict(x);
    return Array.isArray(out) ? out[0]! : out;
  });
}

/** A generator whose output layer is tanh draws pixels in [-1, 1]; others in [0, 1]. */
function signedOutput(session: Session): boolean {
  const output = session.graph.nodes.find((n) => n.id === session.inference.outputIds[0]);
  return output?.params.activation === 'tanh';
}

/**
 * Images a generator or an autoencoder made, as 8-bit pictures: a batch of (height, width,
 * channels), or flat outputs laid out in the dataset's image shape.
 */
export function outputImages(session: Session, images: tf.Tensor): ImageBatch {
  const count = images.shape[0]!;
  const shape = images.rank === 4 ? (images.shape.slice(1) as number[]) : images.rank === 3 ? [...images.shape.slice(1), 1] : session.data.inputShape;
  const [height, width, channels] = shape as [number, number, number];
  if (height * width * channels * count !== images.size) {
    throw new Error(`The network's output (${images.shape.join(' × ')}) is not a picture of ${height} × ${width} × ${channels}.`);
  }
  const values = images.dataSync() as Float32Array;
  const pixels = signedOutput(session) ? Float32Array.from(values, (v) => (v + 1) / 2) : Float32Array.from(values);
  return toImageBatch(pixels, count, height, width, channels);
}

/**
 * The classes of one answer, most probable first: a softmax's probabilities, or a single
 * sigmoid's as its two classes (the second class's probability is the output).
 */
export function topClasses(probabilities: ArrayLike<number>, names: readonly string[] | null, limit = TOP_CLASSES): TopClass[] {
  const name = (i: number) => names?.[i] ?? String(i);
  const ranked =
    probabilities.length === 1
      ? [
          { class: name(1), index: 1, probability: probabilities[0]! },
          { class: name(0), index: 0, probability: 1 - probabilities[0]! },
        ]
      : Array.from(probabilities, (probability, index) => ({ class: name(index), index, probability }));
  return ranked.sort((a, b) => b.probability - a.probability || a.index - b.index).slice(0, limit);
}

/** A values target as the network gives it, in the target's own units. */
export function inUnits(session: Session, values: ArrayLike<number>): number[] {
  const encoder = session.data.encoder;
  const raw = Float32Array.from(values);
  return Array.from(encoder?.kind === 'table' ? encoder.decodeValues(raw) : raw);
}

/** An example's true answer as a person reads it: its class's name, or its values (`prepareInput` gives them in units). */
function truthOf(session: Session, truth: PreparedInput['truth']): string | undefined {
  if (!truth) return undefined;
  if (truth.label !== undefined) return session.info.classes?.[truth.label] ?? String(truth.label);
  if (truth.values) return truth.values.map(formatNumber).join(', ');
  return undefined;
}

/** The names of a language model's tokens, to list its likeliest next ones. */
function tokenNames(session: Session): readonly string[] | null {
  return session.data.corpus?.tokens ?? session.info.classes;
}

/**
 * What the network makes of one prepared input: its likeliest classes (a language model's
 * likeliest next tokens), a regression's values in the target's units, an autoencoder's
 * reconstruction or a GAN's sample; with the input as the network saw it and, for an example,
 * its true answer.
 */
export function predict(session: Session, prepared: PreparedInput): Prediction {
  const out = firstOutput(session.model, prepared.tensor);
  try {
    const answer: Prediction = {};
    switch (session.info.task) {
      case 'classify':
        answer.top = topClasses(out.dataSync(), session.info.classes);
        break;
      case 'language-model': {
        // A model that predicts at every position gives the next token at the last.
        const last = tf.tidy(() => (out.rank === 3 ? out.slice([0, out.shape[1]! - 1, 0], [1, 1, out.shape[2]!]) : out).reshape([-1]));
        answer.top = topClasses(last.dataSync(), tokenNames(session));
        last.dispose();
        break;
      }
      case 'regress':
        answer.value = inUnits(session, out.dataSync());
        break;
      case 'autoencode':
      case 'gan':
        answer.image = outputImages(session, out);
        break;
    }
    const truth = truthOf(session, prepared.truth);
    return {
      ...(prepared.seen ? { seen: prepared.seen } : {}),
      ...(prepared.tokens ? { tokens: prepared.tokens } : {}),
      ...answer,
      ...(truth !== undefined ? { truth } : {}),
    };
  } finally {
    out.dispose();
  }
}
