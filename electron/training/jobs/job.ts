import type * as tf from '@tensorflow/tfjs';
import type { Samples } from '../../../shared/api/contract.js';
import type { Task } from '../../../shared/project/schema.js';

export interface BatchResult {
  loss: number;
  acc: number | null;
  dLoss?: number;
  gLoss?: number;
}

export interface ValidationResult {
  valLoss: number | null;
  valAcc: number | null;
}

/** A model and the optimizer that trains it: what a checkpoint keeps. */
export interface TrainedPart {
  name: string;
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
}

/** One network's loss on the fixed examples training health measures, and the network it trains. */
export interface HealthLoss {
  part: TrainedPart;
  /** The loss this part's optimizer follows, computed in inference mode: measuring draws no dropout masks and moves no statistics. */
  loss: () => tf.Scalar;
}

/** What training health differentiates each epoch: built once, on the same examples every time. */
export interface HealthProbe {
  readonly losses: readonly HealthLoss[];
  /** Frees the examples' tensors. */
  dispose(): void;
}

/**
 * One kind of training (classify, autoencode, GAN, language model) behind one face, so the
 * loop that runs epochs, pauses, checkpoints and stops is written once.
 */
export interface TrainingJob {
  readonly task: Task;
  readonly trainCount: number;
  readonly validationCount: number;
  readonly parts: readonly TrainedPart[];
  /** One optimisation step on these training examples. */
  trainBatch(indices: ArrayLike<number>): Promise<BatchResult>;
  validate(): Promise<ValidationResult>;
  /** What this task shows while it learns (generated images, text, reconstructions), if anything. */
  samples(temperature: number): Promise<Samples | null>;
  setLearningRate(rate: number): void;
  /** Each part's loss on these training examples (not augmented), for training health; a job without it records none. */
  healthProbe?(indices: ArrayLike<number>): HealthProbe;
  /**
   * Brings the parts' weights and optimizer state up to date, for a job that trains outside
   * tfjs (the PyTorch engine): called before anything reads them (checkpoints, samples, health).
   */
  sync?(): Promise<void>;
  dispose(): void;
}
