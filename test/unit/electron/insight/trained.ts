import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeSession, sessionOf } from '../../../../electron/insight/open.js';
import type { Session } from '../../../../electron/insight/session.js';
import { seededRandom, shuffled } from '../../../../electron/data/random.js';
import { createJob, loadProjectData } from '../../../../electron/training/jobs/create.js';
import { ANY_PATH } from '../../../../electron/data/access.js';
import { partsOf } from '../../../../electron/export/run.js';
import { resolveRunConfig } from '../../../../electron/training/run-config.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type { RunConfig } from '../../../../shared/api/contract.js';
import { projectSchema, type Project } from '../../../../shared/project/schema.js';

/**
 * A template trained in this process for a few batches and held open as a Session, as the
 * Analyst would hold a saved run: the tests of predictions, evaluation and explanations ask it.
 */

const templatesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../templates');

/** A template's project, as `templates.load` gives it. */
export function template(id: string): Project {
  return projectSchema.parse(JSON.parse(readFileSync(path.join(templatesDir, `${id}.netcanvas.json`), 'utf8')));
}

export interface TrainOptions {
  /** Optimisation steps (default 30). */
  batches?: number;
  /** Run settings laid over the template's (batch size, seed, validation…). */
  config?: RunConfig;
  /** Changes to the template's project before it trains: another dataset, a smaller graph. */
  edit?: (project: Project) => Project;
  /** The tfjs backend for the whole test file (default cpu); wasm trains these networks several times faster. */
  backend?: 'cpu' | 'wasm';
  /**
   * Start the kernels from the run's seed (tfjs's initializers draw unseeded), so a test that
   * reads what a briefly trained network learned sees the same network every time.
   */
  seededWeights?: boolean;
}

/**
 * Trains `templateOrProject` (a template id, or a project) for a few batches and returns its
 * Session; `closeSession` lets go of it.
 */
export async function trainedSession(templateOrProject: string | Project, options: TrainOptions = {}): Promise<Session> {
  await selectBackend(options.backend ?? 'cpu');
  const base = typeof templateOrProject === 'string' ? template(templateOrProject) : templateOrProject;
  const project = options.edit ? options.edit(structuredClone(base)) : base;
  const settings = resolveRunConfig(project, { backend: options.backend ?? 'cpu', ...options.config });
  const job = await createJob(project, settings, {});
  try {
    if (options.seededWeights) seedWeights(job.parts[0]!.model, settings.seed);
    const order = shuffled(job.trainCount, seededRandom(settings.seed));
    const size = Math.min(settings.batchSize, job.trainCount);
    const batches = options.batches ?? 30;
    for (let b = 0; b < batches; b++) {
      const start = (b * size) % Math.max(1, job.trainCount - size + 1);
      await job.trainBatch(order.subarray(start, start + size));
    }
  } catch (err) {
    job.dispose();
    throw err;
  }
  for (const part of job.parts) part.optimizer.dispose();
  // The same dataset object the job trained on: loads are cached per process.
  const data = await loadProjectData(project, {}, ANY_PATH);
  const [main, second] = job.parts;
  const graphs = project.training.task === 'gan' ? ganGraphs(project) : null;
  return sessionOf({
    runId: 'trained-in-test',
    project,
    settings,
    model: main!.model,
    ...(graphs ? { graph: graphs.generator } : {}),
    discriminator: second && graphs ? { graph: graphs.discriminator, model: second.model } : null,
    data,
    checkpoint: 'last',
  });
}

/** A GAN project's generator and discriminator graphs, split as a run's export splits them. */
function ganGraphs(project: Project) {
  const [generator, discriminator] = partsOf(project, 'gan');
  return { generator: generator!.graph, discriminator: discriminator!.graph };
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

export { closeSession };
