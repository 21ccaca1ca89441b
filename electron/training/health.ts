/**
 * Training health: at the end of each epoch, every layer's weights and their gradients on
 * one fixed batch, as histograms and L2 norms, kept in `<runDir>/health.json`.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { writeFileAtomic } from '../files/atomic.js';
import { readCapped } from '../files/read.js';
import { seededRandom, shuffled } from '../data/random.js';
import type { HealthLoss, HealthProbe, TrainingJob } from './jobs/job.js';
import { healthEpochSchema, type HealthEpoch, type Histogram } from '../../shared/api/insight.js';
import type { Graph } from '../../shared/graph/types.js';
import { uniqueLayerNames } from '../../shared/keras/format.js';

export const HEALTH_FILE = 'health.json';
export const HISTOGRAM_BINS = 30;
/** The fixed batch is the run's batch size, up to this many examples, so a huge batch size does not hold a huge batch. */
export const MAX_HEALTH_BATCH = 256;
/** Far more than a run records; a bigger file is not read. */
const MAX_HEALTH_BYTES = 64 * 1024 * 1024;

export type LayerHealth = HealthEpoch['layers'][number];

const healthFileSchema = z.array(healthEpochSchema);

/** The examples health is measured on: the same every epoch, and drawn from the run's seed alone. */
export function healthBatch(trainCount: number, batchSize: number, seed: number): Uint32Array {
  const size = Math.min(batchSize, trainCount, MAX_HEALTH_BATCH);
  // A stream of its own (not an epoch's order), so the batch is not the first batch trained on.
  return shuffled(trainCount, seededRandom(seed * 100_003 + 0x4ea1)).slice(0, size);
}

const flat = (tensors: readonly tf.Tensor[]): tf.Tensor1D => tf.concat(tensors.map((t) => t.reshape([-1]))) as tf.Tensor1D;

/** [min, max, L2 norm] and the counts of HISTOGRAM_BINS equal bins from min to max, on the backend. */
function summarise(values: tf.Tensor1D): { stats: tf.Tensor1D; counts: tf.Tensor1D } {
  const min = tf.min(values);
  const max = tf.max(values);
  const range = tf.sub(max, min);
  // All values equal: every one in the first bin.
  const scale = tf.where(tf.greater(range, 0), tf.div(HISTOGRAM_BINS, range), tf.zerosLike(range));
  const bins = tf.clipByValue(tf.floor(tf.mul(tf.sub(values, min), scale)), 0, HISTOGRAM_BINS - 1).toInt();
  const counts = tf.bincount(bins as tf.Tensor1D, tf.tensor1d([], 'float32'), HISTOGRAM_BINS);
  return { stats: tf.stack([min, max, tf.norm(values)]) as tf.Tensor1D, counts };
}

const histogram = (stats: Float32Array | Int32Array | Uint8Array, counts: Float32Array | Int32Array | Uint8Array, at: number): Histogram => ({
  min: stats[at]!,
  max: stats[at + 1]!,
  counts: Array.from(counts.subarray((at / 3) * HISTOGRAM_BINS, (at / 3 + 1) * HISTOGRAM_BINS), Math.round),
});

/**
 * Each layer with weights of one network: all its weights, and their gradients of the part's
 * loss. Weights its optimizer does not train (a frozen layer's, BatchNormalization's moving
 * statistics) have a gradient of zero.
 */
async function measurePart(entry: HealthLoss, prefix: string, nodeName: (layer: string) => string): Promise<LayerHealth[]> {
  const model = entry.part.model;
  const layers = model.layers.filter((layer) => layer.weights.length > 0 && layer.countParams() > 0);
  const trained = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const grads = trained.length > 0 ? tf.variableGrads(entry.loss, trained) : null;
  grads?.value.dispose();
  let stats: tf.Tensor1D | null = null;
  let counts: tf.Tensor1D | null = null;
  try {
    [stats, counts] = tf.tidy(() => {
      const parts = layers.flatMap((layer) => {
        const values = layer.weights.map((w) => w.read() as tf.Variable);
        return [summarise(flat(values)), summarise(flat(values.map((v) => grads?.grads[v.name] ?? tf.zerosLike(v))))];
      });
      return [tf.concat(parts.map((p) => p.stats)), tf.concat(parts.map((p) => p.counts))] as [tf.Tensor1D, tf.Tensor1D];
    });
    const [s, c] = await Promise.all([stats.data(), counts.data()]);
    return layers.map((layer, i) => {
      const weights = histogram(s, c, i * 6);
      const gradients = histogram(s, c, i * 6 + 3);
      return { name: prefix + nodeName(layer.name), weights, gradients, weightNorm: s[i * 6 + 2]!, gradientNorm: s[i * 6 + 5]! };
    });
  } finally {
    tf.dispose([stats, counts].filter((t): t is tf.Tensor1D => t !== null));
    if (grads) tf.dispose(Object.values(grads.grads));
  }
}

/**
 * The graph node's name (its id when it has none) of a layer the compiler named; a GAN's two
 * networks are compiled apart, so a name one of them repeats is looked up as it is.
 */
export function nodeNames(graph: Graph): (layer: string) => string {
  const byLayer = new Map<string, string>();
  const names = uniqueLayerNames(graph.nodes);
  for (const node of graph.nodes) byLayer.set(names.get(node.id)!, node.name ?? node.id);
  return (layer) => byLayer.get(layer) ?? layer;
}

/** Every layer with weights of every network the probe trains; a GAN's are named "generator/…" and "discriminator/…". */
export async function measureHealth(probe: HealthProbe, nodeName: (layer: string) => string = (name) => name): Promise<LayerHealth[]> {
  const layers: LayerHealth[] = [];
  for (const entry of probe.losses) layers.push(...(await measurePart(entry, probe.losses.length > 1 ? `${entry.part.name}/` : '', nodeName)));
  return layers;
}

/** The epochs a run's health.json holds; none when it is absent, unreadable or damaged. */
export async function readHealth(runDir: string): Promise<HealthEpoch[]> {
  try {
    const { bytes } = await readCapped(path.join(runDir, HEALTH_FILE), { limit: MAX_HEALTH_BYTES });
    const parsed = healthFileSchema.safeParse(JSON.parse(bytes.toString('utf8')));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** What a continued run keeps: the epochs up to its checkpoint's, from the folder of the run it goes on from. */
export async function healthBefore(resumeFile: string, epoch: number): Promise<HealthEpoch[]> {
  return (await readHealth(path.dirname(resumeFile))).filter((e) => e.epoch <= epoch);
}

export interface HealthRecorderOptions {
  runDir: string;
  job: TrainingJob;
  seed: number;
  batchSize: number;
  /** Epochs recorded before this run went on from its checkpoint. */
  earlier?: readonly HealthEpoch[];
  /** The graph node's name of a tfjs layer. */
  nodeName?: (layer: string) => string;
  /** Told once when measuring fails; training goes on without health. */
  warn?: (message: string) => void;
}

export interface HealthRecorder {
  /** Measures the end of this epoch and rewrites health.json with it. */
  record(epoch: number): Promise<void>;
  dispose(): void;
}

/** Records a job's health each epoch; null when the job has no probe or no training examples. */
export function healthRecorder(options: HealthRecorderOptions): HealthRecorder | null {
  const { job } = options;
  if (!job.healthProbe || job.trainCount === 0) return null;
  const probe = job.healthProbe(healthBatch(job.trainCount, options.batchSize, options.seed));
  const epochs: HealthEpoch[] = [...(options.earlier ?? [])];
  let failed = false;
  return {
    async record(epoch) {
      if (failed) return;
      try {
        const layers = await measureHealth(probe, options.nodeName);
        epochs.push({ epoch, layers });
        await writeFileAtomic(path.join(options.runDir, HEALTH_FILE), JSON.stringify(epochs));
      } catch (err) {
        failed = true;
        options.warn?.(`Training health is not recorded from epoch ${epoch} on: ${(err as Error).message}`);
      }
    },
    dispose: () => probe.dispose(),
  };
}
