import * as tf from '@tensorflow/tfjs';
import { toImageBatch } from './tensors.js';
import type { Samples } from '../../../shared/api/contract.js';
import type { ExampleSource } from './examples.js';

/** The same held-out images every time and what the autoencoder makes of them. */
export function reconstructionSampler(examples: ExampleSource, count: number) {
  const indices = Array.from({ length: Math.min(count, examples.count) }, (_, i) => i);
  return async (model: tf.LayersModel): Promise<Samples> => {
    const { x, y } = examples.batch(indices);
    const out = tf.tidy(() => model.predict(x) as tf.Tensor);
    try {
      return { kind: 'reconstructions', originals: await toImageBatch(x), reconstructions: await toImageBatch(out.reshape(x.shape)) };
    } finally {
      tf.dispose([x, y, out]);
    }
  };
}

/** Draws an index from probabilities sharpened or flattened by a temperature. */
export function sampleWithTemperature(probabilities: ArrayLike<number>, temperature: number, random: () => number): number {
  const logits = Array.from(probabilities, (p) => Math.log(Math.max(p, 1e-12)) / temperature);
  const top = Math.max(...logits);
  const weights = logits.map((l) => Math.exp(l - top));
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r <= 0) return i;
  }
  return weights.length - 1;
}

/** How a language model reads its window: what `languageModelShape` reads off the graph. */
export interface WindowShape {
  length: number;
  vocabulary: number;
  /** Tokens go in one-hot rather than as ids. */
  oneHotInput: boolean;
  /** The model predicts at every position; the last one is the next token's. */
  everyStep: boolean;
}

/** The model's probabilities for the token after `window` (`shape.length` ids). */
export async function nextTokenProbabilities(model: tf.LayersModel, window: readonly number[], shape: WindowShape): Promise<Float32Array> {
  const { length, vocabulary: v } = shape;
  const probs = tf.tidy(() => {
    const x = shape.oneHotInput ? tf.oneHot(tf.tensor1d([...window], 'int32'), v).expandDims(0).toFloat() : tf.tensor2d([[...window]], [1, length]);
    const out = model.predict(x) as tf.Tensor;
    return shape.everyStep ? out.slice([0, length - 1, 0], [1, 1, v]).reshape([v]) : out.reshape([v]);
  });
  try {
    return (await probs.data()) as Float32Array;
  } finally {
    probs.dispose();
  }
}

/**
 * Continues `window` by `count` tokens, one at a time, each drawn from the model's
 * probabilities at `temperature`, the window sliding along: the ids produced.
 */
export async function continueText(
  model: tf.LayersModel,
  start: readonly number[],
  shape: WindowShape,
  options: { count: number; temperature: number; random: () => number },
): Promise<number[]> {
  const window = [...start];
  const produced: number[] = [];
  for (let i = 0; i < options.count; i++) {
    const next = sampleWithTemperature(await nextTokenProbabilities(model, window, shape), options.temperature, options.random);
    produced.push(next);
    window.shift();
    window.push(next);
  }
  return produced;
}

export interface TextSamplerOptions extends WindowShape {
  /** Held-out text to take seeds from. */
  ids: Uint8Array | Uint16Array | Uint32Array;
  /** Token ids back to text. */
  decode: (ids: readonly number[]) => string;
  generate: number;
  random: () => number;
}

/** Generates text one token at a time from a seed taken from held-out text. */
export function textSampler(options: TextSamplerOptions) {
  return async (model: tf.LayersModel, temperature: number): Promise<Samples> => {
    const start = Math.floor(options.random() * Math.max(1, options.ids.length - options.length));
    const window = Array.from(options.ids.subarray(start, start + options.length));
    const produced = await continueText(model, window, options, { count: options.generate, temperature, random: options.random });
    return { kind: 'text', seed: options.decode(window), text: options.decode(produced), temperature };
  };
}
