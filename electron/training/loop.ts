import * as tf from '@tensorflow/tfjs';
import { TrainingError } from './errors.js';
import type { ResolvedRunConfig } from './run-config.js';
import type { EpochRecord } from '../../shared/api/contract.js';
import type { ImageClassificationData, ImageClassificationSplit } from '../data/mnist.js';

export interface LoopCallbacks {
  onBatch(progress: { epoch: number; batch: number; batchesPerEpoch: number; step: number; loss: number; acc: number | null; samplesPerSec: number }): void;
  onEpoch(record: EpochRecord): void;
  /** Asked after every batch; true ends the run there. */
  shouldStop(): boolean;
}

export interface LoopResult {
  history: EpochRecord[];
  samplesPerSec: number;
  stopped: boolean;
}

function makeOptimizer(config: ResolvedRunConfig): tf.Optimizer {
  switch (config.optimizer) {
    case 'adam':
      return tf.train.adam(config.learningRate);
    case 'sgd':
      return tf.train.sgd(config.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(config.learningRate);
  }
}

/** Mulberry32: a small seeded generator so shuffles repeat for the same seed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(count: number, random: () => number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

class BatchMaker {
  private readonly pixelsPerImage: number;
  constructor(
    private readonly data: ImageClassificationData,
    private readonly sparse: boolean,
  ) {
    this.pixelsPerImage = data.imageShape.reduce((a, b) => a * b, 1);
  }

  make(split: ImageClassificationSplit, indices: ArrayLike<number>): { x: tf.Tensor; y: tf.Tensor } {
    const n = indices.length;
    const size = this.pixelsPerImage;
    const classes = this.data.numClasses;
    const pixels = new Float32Array(n * size);
    const targets = new Float32Array(this.sparse ? n : n * classes);
    for (let i = 0; i < n; i++) {
      const src = indices[i]!;
      pixels.set(split.images.subarray(src * size, (src + 1) * size), i * size);
      const label = split.labels[src]!;
      if (this.sparse) targets[i] = label;
      else targets[i * classes + label] = 1;
    }
    return {
      x: tf.tensor(pixels, [n, ...this.data.imageShape]),
      y: this.sparse ? tf.tensor(targets, [n]) : tf.tensor(targets, [n, classes]),
    };
  }
}

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

function checkFinite(loss: number, epoch: number, batch: number, config: ResolvedRunConfig): void {
  if (Number.isFinite(loss)) return;
  throw new TrainingError(
    'NAN_LOSS',
    `Training diverged: the loss became ${loss} at epoch ${epoch}, batch ${batch + 1}. ` +
      `Likely causes: the learning rate (${config.learningRate}) is too high — try ten times smaller — or the inputs are not normalized.`,
  );
}

async function evaluate(model: tf.LayersModel, maker: BatchMaker, split: ImageClassificationSplit, batchSize: number) {
  let lossSum = 0;
  let accSum = 0;
  const chunk = Math.max(batchSize, 500);
  for (let start = 0; start < split.count; start += chunk) {
    const n = Math.min(chunk, split.count - start);
    const indices = Array.from({ length: n }, (_, i) => start + i);
    const { x, y } = maker.make(split, indices);
    const outs = model.evaluate(x, y, { batchSize: chunk }) as tf.Scalar[];
    const [loss, acc] = await Promise.all(outs.map((t) => t.data()));
    lossSum += loss![0]! * n;
    accSum += acc![0]! * n;
    tf.dispose([x, y, ...outs]);
    await yieldToEvents();
  }
  return { loss: lossSum / split.count, acc: accSum / split.count };
}

/** Batches in one epoch: the whole training split, or fewer when the run caps them. */
export function batchesPerEpoch(trainCount: number, config: Pick<ResolvedRunConfig, 'batchSize' | 'maxBatches'>): number {
  return Math.min(Math.ceil(trainCount / config.batchSize), config.maxBatches ?? Infinity);
}

/** Trains an image classifier batch by batch, validating on the test split after each epoch. */
export async function trainClassifier(
  model: tf.LayersModel,
  data: ImageClassificationData,
  config: ResolvedRunConfig,
  callbacks: LoopCallbacks,
): Promise<LoopResult> {
  const sparse = config.loss === 'sparseCategoricalCrossentropy';
  model.compile({ optimizer: makeOptimizer(config), loss: config.loss, metrics: ['accuracy'] });
  const maker = new BatchMaker(data, sparse);
  const random = seededRandom(config.seed);
  const batchCount = batchesPerEpoch(data.train.count, config);
  const history: EpochRecord[] = [];
  let trainedSamples = 0;
  let trainingMs = 0;
  let step = 0;

  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const order = shuffled(data.train.count, random);
    let lossSum = 0;
    let accSum = 0;
    let seen = 0;
    for (let batch = 0; batch < batchCount; batch++) {
      const started = performance.now();
      const indices = order.subarray(batch * config.batchSize, Math.min((batch + 1) * config.batchSize, data.train.count));
      const { x, y } = maker.make(data.train, indices);
      let outs: number | number[];
      try {
        outs = await model.trainOnBatch(x, y);
      } finally {
        tf.dispose([x, y]);
      }
      const [loss, acc] = Array.isArray(outs) ? outs : [outs, null];
      trainingMs += performance.now() - started;
      trainedSamples += indices.length;
      step++;
      checkFinite(loss!, epoch, batch, config);
      lossSum += loss! * indices.length;
      accSum += (acc ?? 0) * indices.length;
      seen += indices.length;
      callbacks.onBatch({
        epoch,
        batch: batch + 1,
        batchesPerEpoch: batchCount,
        step,
        loss: loss!,
        acc: acc ?? null,
        samplesPerSec: trainedSamples / (trainingMs / 1000),
      });
      await yieldToEvents();
      if (callbacks.shouldStop()) {
        return { history, samplesPerSec: trainedSamples / (trainingMs / 1000), stopped: true };
      }
    }
    const val = await evaluate(model, maker, data.test, config.batchSize);
    const record: EpochRecord = { epoch, loss: lossSum / seen, acc: accSum / seen, valLoss: val.loss, valAcc: val.acc };
    history.push(record);
    callbacks.onEpoch(record);
    if (callbacks.shouldStop()) return { history, samplesPerSec: trainedSamples / (trainingMs / 1000), stopped: true };
  }
  return { history, samplesPerSec: trainedSamples / (trainingMs / 1000), stopped: false };
}
