import * as tf from '@tensorflow/tfjs';
import { featureBatch, type FeatureTransform } from './examples.js';
import { toImageBatch } from './tensors.js';
import { seededNormal, seededRandom } from '../../data/random.js';
import type { BatchResult, HealthProbe, TrainingJob } from './job.js';
import type { Split } from '../../data/dataset.js';
import { decayWeights, makeOptimizer, setLearningRate } from '../optimizers.js';
import type { ResolvedRunConfig } from '../run-config.js';

export interface GanJobOptions {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  config: ResolvedRunConfig;
  images: Split;
  imageShape: readonly number[];
  latentDim: number;
  /** The generator ends in tanh, so real images are shown to the discriminator in [-1, 1] too. */
  signed: boolean;
  random: () => number;
  /** Image augmentation of the real images. */
  augment?: FeatureTransform;
  /** How many images the fixed-noise sample grid holds. */
  gridSize?: number;
}

const EPSILON = 1e-7;

/** Binary cross-entropy of probabilities against one target value for every score. */
function bce(scores: tf.Tensor, target: number): tf.Scalar {
  const p = tf.clipByValue(scores, EPSILON, 1 - EPSILON);
  return tf.neg(tf.mean(tf.add(tf.mul(target, tf.log(p)), tf.mul(1 - target, tf.log(tf.sub(1, p)))))) as tf.Scalar;
}

const variablesOf = (model: tf.LayersModel) => model.trainableWeights.map((w) => w.read() as tf.Variable);

/**
 * Alternates the two players of a GAN, one step each per batch: the discriminator learns
 * to tell real images (target 0.9, one-sided label smoothing) from generated ones (0), then
 * the generator learns to make the discriminator answer "real" (the non-saturating loss).
 */
export function ganJob(options: GanJobOptions): TrainingJob {
  const { generator, discriminator, config, images, imageShape, latentDim, random } = options;
  const gOptimizer = makeOptimizer(config);
  const dOptimizer = makeOptimizer(config);
  const gridSize = options.gridSize ?? 64;
  // The grid always shows the same noise, so its change from epoch to epoch is the generator's.
  const fixedNoise = tf.keep(tf.tensor2d(seededNormal(gridSize * latentDim, random), [gridSize, latentDim]));
  let rate = config.learningRate;

  const toSigned: FeatureTransform = (pixels) => pixels.map((p) => p * 2 - 1);
  const augment = options.augment;
  const transform: FeatureTransform | undefined =
    augment && options.signed ? (pixels, n) => toSigned(augment(pixels, n), n) : (augment ?? (options.signed ? toSigned : undefined));
  const realBatch = (indices: ArrayLike<number>) => featureBatch(images, imageShape, indices, transform);
  const noise = (n: number) => tf.tensor2d(seededNormal(n * latentDim, random), [n, latentDim]);
  const parts = [
    { name: 'generator', model: generator, optimizer: gOptimizer },
    { name: 'discriminator', model: discriminator, optimizer: dOptimizer },
  ] as const;

  return {
    task: 'gan',
    trainCount: images.count,
    validationCount: 0,
    parts,
    async trainBatch(indices): Promise<BatchResult> {
      const n = indices.length;
      const real = realBatch(indices);
      const z1 = noise(n);
      const z2 = noise(n);
      try {
        const dCost = dOptimizer.minimize(
          () => {
            const fake = generator.apply(z1, { training: true }) as tf.Tensor;
            const realScores = discriminator.apply(real, { training: true }) as tf.Tensor;
            const fakeScores = discriminator.apply(fake, { training: true }) as tf.Tensor;
            return tf.add(bce(realScores, 0.9), bce(fakeScores, 0)) as tf.Scalar;
          },
          true,
          variablesOf(discriminator),
        )!;
        const gCost = gOptimizer.minimize(
          () => bce(discriminator.apply(generator.apply(z2, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor, 1),
          true,
          variablesOf(generator),
        )!;
        const [dLoss, gLoss] = await Promise.all([dCost.data(), gCost.data()]);
        tf.dispose([dCost, gCost]);
        if (config.optimizer === 'adamw') {
          decayWeights(generator.trainableWeights, rate, config.weightDecay);
          decayWeights(discriminator.trainableWeights, rate, config.weightDecay);
        }
        return { loss: dLoss[0]! + gLoss[0]!, acc: null, dLoss: dLoss[0]!, gLoss: gLoss[0]! };
      } finally {
        tf.dispose([real, z1, z2]);
      }
    },
    validate: async () => ({ valLoss: null, valAcc: null }),
    healthProbe(indices): HealthProbe {
      // Real images without augmentation, and noise of its own, so measuring leaves the run's random draws as they were.
      const real = featureBatch(images, imageShape, indices, options.signed ? toSigned : undefined);
      const z = tf.tensor2d(seededNormal(indices.length * latentDim, seededRandom(config.seed + 7)), [indices.length, latentDim]);
      const fakeScores = () => discriminator.apply(generator.apply(z, { training: false }) as tf.Tensor, { training: false }) as tf.Tensor;
      const realScores = () => discriminator.apply(real, { training: false }) as tf.Tensor;
      return {
        losses: [
          { part: parts[0], loss: () => bce(fakeScores(), 1) },
          { part: parts[1], loss: () => tf.add(bce(realScores(), 0.9), bce(fakeScores(), 0)) as tf.Scalar },
        ],
        dispose: () => tf.dispose([real, z]),
      };
    },
    async samples() {
      const generated = tf.tidy(() => generator.predict(fixedNoise) as tf.Tensor);
      try {
        return { kind: 'images', images: await toImageBatch(generated, options.signed) };
      } finally {
        generated.dispose();
      }
    },
    setLearningRate(next) {
      rate = next;
      setLearningRate(gOptimizer, next);
      setLearningRate(dOptimizer, next);
    },
    dispose() {
      fixedNoise.dispose();
      gOptimizer.dispose();
      dOptimizer.dispose();
      generator.dispose();
      discriminator.dispose();
    },
  };
}
