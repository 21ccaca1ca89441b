import * as tf from '@tensorflow/tfjs';
import type { ExampleSource } from './examples.js';
import type { BatchResult, HealthProbe, TrainingJob, ValidationResult } from './job.js';
import type { Samples } from '../../../shared/api/contract.js';
import type { LossName, Task } from '../../../shared/project/schema.js';
import { decayWeights, makeOptimizer, setLearningRate } from '../optimizers.js';
import type { ResolvedRunConfig } from '../run-config.js';
import type { GradientPool } from '../parallel/pool.js';

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** tfjs-layers knows most losses by name; Huber it has only as a function. */
function lossFor(name: LossName): string | LossFunction {
  if (name === 'huber') return (yTrue, yPred) => tf.losses.huberLoss(yTrue, yPred, undefined, 1, tf.Reduction.NONE).mean(-1);
  return name;
}

export interface SupervisedJobOptions {
  task: Task;
  model: tf.LayersModel;
  config: ResolvedRunConfig;
  train: ExampleSource;
  validation: ExampleSource | null;
  /** The training examples as they are, without augmentation: what training health measures on. Defaults to `train`. */
  plainTrain?: ExampleSource;
  /** Node id of each model output, to pick its loss from `config.losses`. */
  outputIds: readonly string[];
  sampler?: (model: tf.LayersModel, temperature: number) => Promise<Samples>;
  /** Worker threads that each compute a shard of every batch's gradient, as many as it is set to use; it outlives the job. Without it, one thread trains. */
  pool?: GradientPool | null;
}

/**
 * The objective `trainOnBatch` minimises (the mean of the outputs' summed losses plus the
 * weight penalties), with the model in training or inference mode, and the outputs it came from.
 */
export function objective(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, training: boolean): { total: tf.Scalar; predicted: tf.Tensor[] } {
  const outputs = model.apply(x, { training }) as tf.Tensor | tf.Tensor[];
  const predicted = Array.isArray(outputs) ? outputs : [outputs];
  // An example source gives one target tensor, so a model here has one output.
  let total = tf.mean(model.lossFunctions.map((fn, i) => fn(y, predicted[i]!)).reduce((a, b) => tf.add(a, b))) as tf.Scalar;
  for (const penalty of model.calculateLosses()) total = tf.add(total, penalty);
  return { total, predicted };
}

/** What compiling a model for a supervised task needs: its losses and metrics. */
export type LossSettings = Pick<ResolvedRunConfig, 'loss' | 'losses' | 'metrics'>;

/**
 * Compiles `model` with the run's losses (one per output, by node id) and accuracy where the
 * task has classes; true when it measures accuracy. The job and its gradient workers
 * (parallel/) compile alike, so each computes the same objective.
 */
export function compileForTask(model: tf.LayersModel, task: Task, config: LossSettings, outputIds: readonly string[], optimizer: tf.Optimizer | string): boolean {
  const losses = outputIds.map((id) => lossFor(config.losses[id] ?? config.loss));
  const withAccuracy = config.metrics.includes('accuracy') && task !== 'autoencode' && task !== 'regress';
  // tfjs resolves each entry by name or takes it as a function; its types allow only one kind per list.
  const loss = (losses.length === 1 ? losses[0]! : losses) as string | string[];
  model.compile({ optimizer, loss, metrics: withAccuracy ? ['accuracy'] : [] });
  return withAccuracy;
}

/** Inputs to targets through `model.compile` + `trainOnBatch`: classifiers, autoencoders and language models. */
export function supervisedJob(options: SupervisedJobOptions): TrainingJob {
  const { model, config, train, validation } = options;
  const pool = options.pool ?? null;
  pool?.reset();
  const optimizer = makeOptimizer(config);
  const withAccuracy = compileForTask(model, options.task, config, options.outputIds, optimizer);
  let rate = config.learningRate;
  const part = { name: 'model', model, optimizer };

  return {
    task: options.task,
    trainCount: train.count,
    validationCount: validation?.count ?? 0,
    parts: [part],
    async trainBatch(indices): Promise<BatchResult> {
      const { x, y } = train.batch(indices);
      if (pool && pool.threads > 1) {
        let step;
        try {
          step = await pool.step(model, x, y, withAccuracy);
        } finally {
          tf.dispose([x, y]);
        }
        optimizer.applyGradients(step.grads);
        tf.dispose(Object.values(step.grads));
        if (config.optimizer === 'adamw') decayWeights(model.trainableWeights, rate, config.weightDecay);
        return { loss: step.loss, acc: withAccuracy ? step.acc : null };
      }
      let outs: number | number[];
      try {
        outs = await model.trainOnBatch(x, y);
      } finally {
        tf.dispose([x, y]);
      }
      if (config.optimizer === 'adamw') decayWeights(model.trainableWeights, rate, config.weightDecay);
      const [loss, acc] = Array.isArray(outs) ? outs : [outs];
      return { loss: loss!, acc: withAccuracy ? (acc ?? null) : null };
    },
    async validate(): Promise<ValidationResult> {
      if (!validation || validation.count === 0) return { valLoss: null, valAcc: null };
      let lossSum = 0;
      let accSum = 0;
      const chunk = Math.max(config.batchSize, 500);
      for (let start = 0; start < validation.count; start += chunk) {
        const n = Math.min(chunk, validation.count - start);
        const { x, y } = validation.batch(Array.from({ length: n }, (_, i) => start + i));
        const result = model.evaluate(x, y, { batchSize: chunk });
        const outs = Array.isArray(result) ? result : [result];
        const values = await Promise.all(outs.map((t) => t.data()));
        lossSum += values[0]![0]! * n;
        accSum += (values[1]?.[0] ?? 0) * n;
        tf.dispose([x, y, ...outs]);
        await yieldToEvents();
      }
      return { valLoss: lossSum / validation.count, valAcc: withAccuracy ? accSum / validation.count : null };
    },
    healthProbe(indices): HealthProbe {
      const { x, y } = (options.plainTrain ?? train).batch(indices);
      // Inference mode: measuring draws no dropout masks and moves no statistics.
      return { losses: [{ part, loss: () => objective(model, x, y, false).total }], dispose: () => tf.dispose([x, y]) };
    },
    samples: async (temperature) => (options.sampler ? options.sampler(model, temperature) : null),
    setLearningRate(next) {
      rate = next;
      setLearningRate(optimizer, next);
    },
    dispose() {
      optimizer.dispose();
      model.dispose();
    },
  };
}
