import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decayWeights, learningRateAt, makeOptimizer, setLearningRate } from '../../../../electron/training/optimizers.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import { OPTIMIZERS } from '../../../../shared/project/schema.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('learning-rate schedules', () => {
  it('keeps a constant rate', () => {
    expect(learningRateAt(0.1, { kind: 'constant' }, 7, 0.5)).toBe(0.1);
  });

  it('multiplies by the factor every N epochs', () => {
    const schedule = { kind: 'step', everyEpochs: 2, factor: 0.1 } as const;
    expect([1, 2, 3, 4, 5].map((e) => learningRateAt(1, schedule, e, 0))).toEqual([1, 1, 0.1, 0.1, 0.010000000000000002]);
  });

  it('follows half a cosine from the rate to its floor over the run', () => {
    const schedule = { kind: 'cosine', minFactor: 0.1 } as const;
    expect(learningRateAt(1, schedule, 1, 0)).toBeCloseTo(1);
    expect(learningRateAt(1, schedule, 1, 0.5)).toBeCloseTo(0.55);
    expect(learningRateAt(1, schedule, 1, 1)).toBeCloseTo(0.1);
  });
});

/** One step of minimising (w − 3)² from w = 0, returning w after the step. */
async function oneStep(optimizer: tf.Optimizer): Promise<number> {
  const w = tf.variable(tf.scalar(0));
  optimizer.minimize(() => tf.square(tf.sub(w, 3)) as tf.Scalar, false, [w]);
  const value = (await w.data())[0]!;
  w.dispose();
  return value;
}

describe('optimizers', () => {
  it('builds every optimizer the settings offer, each taking a step downhill', async () => {
    for (const name of OPTIMIZERS) {
      const after = await oneStep(makeOptimizer({ optimizer: name, learningRate: 0.1, momentum: 0.9 }));
      expect(after, name).toBeGreaterThan(0);
    }
  });

  it('changes the rate of an optimizer that caches it (SGD) and of one that reads it each step (Adam)', async () => {
    const sgd = makeOptimizer({ optimizer: 'sgd', learningRate: 0.1, momentum: 0 });
    setLearningRate(sgd, 0.01);
    // dL/dw = 2(w − 3) = −6 at w = 0, so one SGD step at 0.01 moves w to 0.06.
    expect(await oneStep(sgd)).toBeCloseTo(0.06);
    const adam = makeOptimizer({ optimizer: 'adam', learningRate: 0.1, momentum: 0 });
    setLearningRate(adam, 0.01);
    // Adam's first step moves by about the rate, whatever the gradient's size.
    expect(await oneStep(adam)).toBeCloseTo(0.01, 3);
  });

  it('decays kernels but not biases (AdamW)', async () => {
    const layer = tf.layers.dense({ units: 2, inputShape: [2], kernelInitializer: 'ones', biasInitializer: 'ones' });
    const model = tf.sequential({ layers: [layer] });
    decayWeights(model.trainableWeights, 0.1, 0.5);
    const [kernel, bias] = await Promise.all(model.getWeights().map((w) => w.data()));
    expect(Array.from(kernel!)).toEqual([0.95, 0.95, 0.95, 0.95].map((v) => Math.fround(v)));
    expect(Array.from(bias!)).toEqual([1, 1]);
  });
});
