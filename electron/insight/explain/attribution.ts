import * as tf from '@tensorflow/tfjs';
import type { Explanation } from '../../../shared/api/insight.js';
import { InputError, type PreparedInput, type Session } from '../session.js';
import { chosenClass, classScore, nameOf, probabilitiesOf } from './answer.js';
import { layerOf } from './layers.js';
import { forward } from './network.js';
import { tokensOf } from './tokens.js';

/**
 * Which words spoke for the class: gradient × input on each token's embedding, summed over the
 * embedding, signed (against the class is negative), scaled so the largest magnitude is 1.
 * Token ids have no gradient, so the embedding's output is where the input can be moved.
 */

export function attribution(session: Session, prepared: PreparedInput, requested?: number): Explanation {
  const node = session.info.embeddingLayer;
  if (!node) throw new InputError('Attribution reads an Embedding (or TokenAndPositionEmbedding) layer, and this network has none.');
  const { name } = layerOf(session, node);
  const x = prepared.tensor;
  const probabilities = tf.tidy(() => probabilitiesOf(session, forward(session.model, x).output));
  const classIndex = chosenClass(session, probabilities, requested);
  const contributions = tf.tidy(() => {
    const embedded = forward(session.model, x).outputs.get(name)!;
    const score = (e: tf.Tensor) => classScore(session, forward(session.model, x, { replace: new Map([[name, e]]), logits: true }).output, classIndex);
    const gradient = tf.grad(score)(embedded);
    return Float32Array.from(tf.sum(tf.mul(gradient, embedded), -1).dataSync());
  });
  const tokens = tokensOf(session, prepared);
  if (tokens.length !== contributions.length) {
    throw new InputError(`The input has ${tokens.length} tokens but ${layerOf(session, node).name} gives ${contributions.length} positions.`);
  }
  const kept = tokens.flatMap((token, i) => (token === '' ? [] : [{ token, score: contributions[i]! }]));
  const largest = Math.max(1e-12, ...kept.map((k) => Math.abs(k.score)));
  return {
    kind: 'attribution',
    tokens: kept.map((k) => k.token),
    scores: kept.map((k) => k.score / largest),
    classIndex,
    className: nameOf(session, classIndex),
  };
}
