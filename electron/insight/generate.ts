import * as tf from '@tensorflow/tfjs';
import { encodePrompt, noiseFor, promptWindow } from './inputs.js';
import { firstOutput, outputImages } from './predict.js';
import { continueText } from '../training/jobs/samplers.js';
import { InputError, type Session } from './session.js';
import type { Generated, GenerateRequest } from '../../shared/api/insight.js';
import { seededRandom } from '../data/random.js';
import { decodeCorpus } from '../data/text-files.js';
import { languageModelShape } from '../training/jobs/create.js';

/**
 * A language model's text and a GAN's samples. Text continues a prompt as the Trainer's
 * samples continue held-out text (`continueText`); a GAN's noise comes from seeds
 * (`noiseFor`), so the same seed gives the same image on the Try tab and in a grid.
 */

async function generateText(session: Session, request: Extract<GenerateRequest, { kind: 'text' }>): Promise<Generated> {
  const corpus = session.data.corpus;
  if (session.info.task !== 'language-model' || !corpus) throw new InputError(`Only a language model writes text; this run's network is trained to ${session.info.task}.`);
  const shape = languageModelShape(session.inference, corpus.tokens.length);
  const { ids } = encodePrompt(corpus, request.prompt);
  const produced = await continueText(session.model, promptWindow(corpus, ids, shape.length).window, shape, {
    count: request.length,
    temperature: request.temperature,
    random: seededRandom(request.seed ?? Date.now()),
  });
  return { kind: 'text', prompt: request.prompt, text: decodeCorpus(corpus, produced) };
}

/** The length of a generator's noise: its Input's. */
function latentDim(session: Session): number {
  const dim = session.info.inputShape[0];
  if (session.info.task !== 'gan' || session.info.inputShape.length !== 1 || !dim) {
    throw new InputError(`Only a GAN's generator makes samples from noise; this run's network is trained to ${session.info.task}.`);
  }
  return dim;
}

/** The generator's images for these noise vectors, one after another. */
function samples(session: Session, noise: Float32Array, count: number, dim: number): Generated {
  const images = tf.tidy(() => firstOutput(session.model, tf.tensor2d(noise, [count, dim])));
  try {
    return { kind: 'images', images: outputImages(session, images) };
  } finally {
    images.dispose();
  }
}

/** `steps` noise vectors on the straight line from `from` to `to`, both ends included. */
export function walkBetween(from: Float32Array, to: Float32Array, steps: number): Float32Array {
  const dim = from.length;
  const out = new Float32Array(steps * dim);
  for (let s = 0; s < steps; s++) {
    const t = s / (steps - 1);
    for (let i = 0; i < dim; i++) out[s * dim + i] = from[i]! + t * (to[i]! - from[i]!);
  }
  return out;
}

/** Text from a language model, or samples from a GAN's generator. */
export async function generate(session: Session, request: GenerateRequest): Promise<Generated> {
  switch (request.kind) {
    case 'text':
      return generateText(session, request);
    case 'walk': {
      const dim = latentDim(session);
      return samples(session, walkBetween(noiseFor(request.from, dim), noiseFor(request.to, dim), request.steps), request.steps, dim);
    }
    case 'grid': {
      const dim = latentDim(session);
      // Image i is the sample of seed + i: the one the Try tab shows for that seed.
      const noise = new Float32Array(request.count * dim);
      for (let i = 0; i < request.count; i++) noise.set(noiseFor(request.seed + i, dim), i * dim);
      return samples(session, noise, request.count, dim);
    }
  }
}
