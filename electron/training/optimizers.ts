import * as tf from '@tensorflow/tfjs';
import type { ResolvedRunConfig } from './run-config.js';
import type { Schedule } from '../../shared/project/schema.js';

type OptimizerSettings = Pick<ResolvedRunConfig, 'optimizer' | 'learningRate' | 'momentum'> & { task?: ResolvedRunConfig['task'] };

/**
 * The run's optimizer. AdamW is Adam here; its decoupled weight decay is applied after
 * each step by `decayWeights`, as Loshchilov and Hutter define it. GANs use Adam's β₁ = 0.5,
 * the DCGAN setting that keeps the two networks from oscillating.
 */
export function makeOptimizer(config: OptimizerSettings): tf.Optimizer {
  const beta1 = config.task === 'gan' ? 0.5 : 0.9;
  switch (config.optimizer) {
    case 'sgd':
      return tf.train.sgd(config.learningRate);
    case 'momentum':
      return tf.train.momentum(config.learningRate, config.momentum);
    case 'adam':
    case 'adamw':
      return tf.train.adam(config.learningRate, beta1);
    case 'rmsprop':
      return tf.train.rmsprop(config.learningRate);
  }
}

/** tfjs's SGD and momentum cache their rate behind a setter; Adam and RMSprop read the field each step. */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const withSetter = optimizer as unknown as { setLearningRate?: (r: number) => void; learningRate: number };
  if (typeof withSetter.setLearningRate === 'function') withSetter.setLearningRate(rate);
  else withSetter.learningRate = rate;
}

/** Decoupled weight decay (AdamW): w ← w − rate·decay·w on kernels, not on biases or norms. */
export function decayWeights(weights: readonly tf.LayerVariable[], rate: number, decay: number): void {
  if (decay === 0) return;
  const keep = 1 - rate * decay;
  tf.tidy(() => {
    for (const w of weights) {
      if (!/kernel|embeddings/.test(w.name)) continue;
      w.write(tf.mul(w.read(), keep));
    }
  });
}

/**
 * The learning rate for a batch: `epoch` counts from 1 and `progress` runs from 0 at the
 * run's first batch to 1 at its last.
 */
export function learningRateAt(base: number, schedule: Schedule, epoch: number, progress: number): number {
  switch (schedule.kind) {
    case 'constant':
      return base;
    case 'step':
      return base * schedule.factor ** Math.floor((epoch - 1) / schedule.everyEpochs);
    case 'cosine': {
      const floor = base * schedule.minFactor;
      return floor + (base - floor) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, progress))));
    }
  }
}
