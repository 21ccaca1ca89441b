import * as tf from '@tensorflow/tfjs';
import { seededRandom, shuffled } from '../../../../../electron/data/random.js';
import { ANY_PATH } from '../../../../../electron/data/access.js';
import { sessionOf } from '../../../../../electron/insight/open.js';
import type { Session } from '../../../../../electron/insight/session.js';
import { createJob, loadProjectData } from '../../../../../electron/training/jobs/create.js';
import { resolveRunConfig } from '../../../../../electron/training/run-config.js';
import { selectBackend } from '../../../../../electron/training/tf-backend.js';
import type { RunConfig } from '../../../../../shared/api/contract.js';
import type { Project } from '../../../../../shared/project/schema.js';

/**
 * A project trained here for a few batches on the WebAssembly backend, held open as a Session.
 * Convolutions' gradients take seconds a batch on the plain JavaScript backend and a tenth of one
 * on WebAssembly, so the explanations of a CNN train and ask it there. Its weights start from a
 * seed (tfjs's initializers draw unseeded), so a test sees the same network every time.
 */
export async function wasmSession(project: Project, batches: number, config: RunConfig = {}): Promise<Session> {
  await selectBackend('wasm');
  const settings = resolveRunConfig(project, { backend: 'wasm', ...config });
  const job = await createJob(project, settings, {});
  try {
    seedWeights(job.parts[0]!.model, settings.seed);
    const order = shuffled(job.trainCount, seededRandom(settings.seed));
    const size = Math.min(settings.batchSize, job.trainCount);
    for (let b = 0; b < batches; b++) {
      const start = (b * size) % Math.max(1, job.trainCount - size + 1);
      await job.trainBatch(order.subarray(start, start + size));
    }
  } catch (err) {
    job.dispose();
    throw err;
  }
  for (const part of job.parts) part.optimizer.dispose();
  const data = await loadProjectData(project, {}, ANY_PATH);
  return sessionOf({ runId: 'trained-in-test', project, settings, model: job.parts[0]!.model, data, checkpoint: 'last' });
}

/** Glorot-uniform kernels from a seeded generator; biases and scales (one axis) keep their constant start. */
function seedWeights(model: tf.LayersModel, seed: number): void {
  const random = seededRandom(seed);
  for (const weight of model.trainableWeights) {
    const shape = weight.shape as number[];
    if (shape.length < 2) continue;
    const size = shape.reduce((a, b) => a * b, 1);
    const fanIn = size / shape[shape.length - 1]!;
    const fanOut = size / shape[shape.length - 2]!;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const values = tf.tensor(Float32Array.from({ length: size }, () => (random() * 2 - 1) * limit), shape);
    weight.write(values);
    values.dispose();
  }
}
