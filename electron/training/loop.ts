import { checkpointFile, saveCheckpoint, type CheckpointState } from './checkpoint.js';
import { TrainingError } from './errors.js';
import type { HealthRecorder } from './health.js';
import type { TrainingJob } from './jobs/job.js';
import { seededRandom, shuffled } from '../data/random.js';
import { learningRateAt } from './optimizers.js';
import type { ResolvedRunConfig } from './run-config.js';
import type { CheckpointKind, EpochRecord, MetricPoint, Samples } from '../../shared/api/contract.js';

export interface BatchProgress {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  samplesPerSec: number;
  point: MetricPoint;
}

export interface LoopHooks {
  onBatch(progress: BatchProgress): void;
  onEpoch(record: EpochRecord): void;
  onSamples(epoch: number, samples: Samples): void;
  onCheckpoint(epoch: number, kinds: CheckpointKind[]): void;
  shouldStop(): boolean;
  /** Throws a TrainingError when the run has gone past a limit, e.g. of memory; called between batches. */
  checkLimits?(): void;
  isPaused(): boolean;
  /** The temperature of an on-demand sample request, taken once; null when none is waiting. */
  takeSampleRequest(): number | null;
  /** Resolves when the next control message (resume, stop, samples) arrives. */
  nextMessage(): Promise<void>;
}

/** Hooks that tell nothing and never stop or pause: a run for its figures and files alone (a benchmark's, a test's). */
export const unwatchedHooks: LoopHooks = {
  onBatch: () => undefined,
  onEpoch: () => undefined,
  onSamples: () => undefined,
  onCheckpoint: () => undefined,
  shouldStop: () => false,
  isPaused: () => false,
  takeSampleRequest: () => null,
  nextMessage: () => Promise.resolve(),
};

export type DoneReason = 'completed' | 'stopped' | 'early-stopped';

export interface LoopResult {
  history: EpochRecord[];
  samplesPerSec: number;
  reason: DoneReason;
}

/** Batches in one epoch: the training split (or `samplesPerEpoch` of it), capped by `maxBatches`. */
export function batchesPerEpoch(trainCount: number, config: Pick<ResolvedRunConfig, 'batchSize' | 'maxBatches' | 'samplesPerEpoch'>): number {
  const samples = Math.min(trainCount, config.samplesPerEpoch ?? Infinity);
  return Math.min(Math.ceil(samples / config.batchSize), config.maxBatches ?? Infinity);
}

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

function checkFinite(loss: number, epoch: number, batch: number, config: ResolvedRunConfig): void {
  if (Number.isFinite(loss)) return;
  const gan = config.task === 'gan' ? ' In a GAN, one network may also have overpowered the other: lower the learning rate of both.' : '';
  throw new TrainingError(
    'NAN_LOSS',
    `Training diverged: the loss became ${loss} at epoch ${epoch}, batch ${batch}. ` +
      `Likely causes: the learning rate (${config.learningRate}) is too high — try ten times smaller — or the inputs are not normalized.${gan} ` +
      'The weights from the last finished epoch are kept in its checkpoint.',
  );
}

export interface LoopStart {
  /** Where checkpoints go; none are written without it. */
  runDir: string | null;
  /** The checkpoint a resumed run goes on from. */
  resume: CheckpointState | null;
  /** Records each finished epoch's training health; none is recorded without it. */
  health?: HealthRecorder | null;
}

/**
 * Runs epochs of any job: shuffling, the learning-rate schedule, validation, early
 * stopping, checkpoints, samples, pause and stop (both between two batches).
 */
export async function runLoop(job: TrainingJob, config: ResolvedRunConfig, hooks: LoopHooks, start: LoopStart): Promise<LoopResult> {
  const batchCount = batchesPerEpoch(job.trainCount, config);
  const firstEpoch = (start.resume?.epoch ?? 0) + 1;
  const lastEpoch = firstEpoch + config.epochs - 1;
  const totalBatches = config.epochs * batchCount;
  const history: EpochRecord[] = [...(start.resume?.history ?? [])];
  let bestLoss = start.resume?.bestLoss ?? null;
  let sinceBest = 0;
  let step = start.resume?.step ?? 0;
  let trainedSamples = 0;
  let trainingMs = 0;
  let rate = config.learningRate;
  let lastSamplesEpoch = firstEpoch - 1;
  const speed = () => (trainingMs > 0 ? trainedSamples / (trainingMs / 1000) : 0);

  const emitSamples = async (epoch: number, temperature: number) => {
    await job.sync?.();
    const samples = await job.samples(temperature);
    if (samples) hooks.onSamples(epoch, samples);
  };
  // Between two batches: serve sample requests, and hold here while paused.
  const between = async () => {
    hooks.checkLimits?.();
    await yieldToEvents();
    for (;;) {
      const temperature = hooks.takeSampleRequest();
      if (temperature !== null) await emitSamples(lastSamplesEpoch, temperature);
      if (!hooks.isPaused() || hooks.shouldStop()) return;
      await hooks.nextMessage();
    }
  };
  const finish = (reason: DoneReason): LoopResult => ({ history, samplesPerSec: speed(), reason });

  // The "before" picture: a GAN's noise, an untrained autoencoder's blur.
  if (!start.resume) await emitSamples(0, config.temperature);
  // Asked to stop before the first batch: nothing has trained, so there is nothing to save.
  if (hooks.shouldStop()) return finish('stopped');

  for (let epoch = firstEpoch; epoch <= lastEpoch; epoch++) {
    // Each epoch's order depends only on the seed and the epoch, so a resumed run sees what an unbroken one would.
    const order = shuffled(job.trainCount, seededRandom(config.seed * 100_003 + epoch));
    const sums = { loss: 0, acc: 0, dLoss: 0, gLoss: 0, seen: 0 };
    let sawAcc = false;
    let sawGan = false;
    for (let batch = 0; batch < batchCount; batch++) {
      const done = (epoch - firstEpoch) * batchCount + batch;
      rate = learningRateAt(config.learningRate, config.schedule, epoch, totalBatches > 1 ? done / (totalBatches - 1) : 0);
      job.setLearningRate(rate);
      const indices = order.subarray(batch * config.batchSize, Math.min((batch + 1) * config.batchSize, job.trainCount));
      const started = performance.now();
      const result = await job.trainBatch(indices);
      trainingMs += performance.now() - started;
      trainedSamples += indices.length;
      step++;
      checkFinite(result.loss, epoch, batch + 1, config);
      const n = indices.length;
      sums.loss += result.loss * n;
      sums.seen += n;
      if (result.acc !== null) {
        sums.acc += result.acc * n;
        sawAcc = true;
      }
      if (result.dLoss !== undefined && result.gLoss !== undefined) {
        sums.dLoss += result.dLoss * n;
        sums.gLoss += result.gLoss * n;
        sawGan = true;
      }
      const point: MetricPoint = { step, loss: result.loss, acc: result.acc };
      if (result.dLoss !== undefined) point.dLoss = result.dLoss;
      if (result.gLoss !== undefined) point.gLoss = result.gLoss;
      hooks.onBatch({ epoch, batch: batch + 1, batchesPerEpoch: batchCount, samplesPerSec: speed(), point });
      await between();
      if (hooks.shouldStop()) {
        // The weights as they are now, so Continue goes on from here, not from the last epoch.
        if (start.runDir) {
          await job.sync?.();
          await saveCheckpoint([checkpointFile(start.runDir, 'last')], job.parts, { epoch: epoch - 1, history, bestLoss, step });
          hooks.onCheckpoint(epoch - 1, ['last']);
        }
        return finish('stopped');
      }
    }

    // Checkpoints, health and samples below read the weights this epoch trained.
    await job.sync?.();
    const val = await job.validate();
    const record: EpochRecord = {
      epoch,
      loss: sums.loss / sums.seen,
      acc: sawAcc ? sums.acc / sums.seen : null,
      valLoss: val.valLoss,
      valAcc: val.valAcc,
      learningRate: rate,
    };
    if (sawGan) Object.assign(record, { dLoss: sums.dLoss / sums.seen, gLoss: sums.gLoss / sums.seen });
    history.push(record);
    hooks.onEpoch(record);

    const monitored = record.valLoss ?? record.loss;
    const improved = bestLoss === null || monitored < bestLoss - (config.earlyStopping?.minDelta ?? 0);
    if (improved) {
      bestLoss = monitored;
      sinceBest = 0;
    } else sinceBest++;
    const runDir = start.runDir;
    if (runDir) {
      const state: CheckpointState = { epoch, history, bestLoss, step };
      // A GAN's losses say little about its images, so it keeps only its latest state.
      const kinds: CheckpointKind[] = improved && job.task !== 'gan' ? ['last', 'best'] : ['last'];
      await saveCheckpoint(
        kinds.map((kind) => checkpointFile(runDir, kind)),
        job.parts,
        state,
      );
      hooks.onCheckpoint(epoch, kinds);
    }
    await start.health?.record(epoch);
    lastSamplesEpoch = epoch;
    await emitSamples(epoch, config.temperature);
    if (config.earlyStopping && sinceBest >= config.earlyStopping.patience && epoch < lastEpoch) return finish('early-stopped');
    if (hooks.shouldStop()) return finish('stopped');
  }
  return finish('completed');
}
