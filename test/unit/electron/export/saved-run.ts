import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { randomizeWeights } from './harness.js';
import { RunStore } from '../../../../electron/backend/run-store.js';
import { RUN_PROJECT_FILE } from '../../../../electron/backend/runs.js';
import { compileGraph } from '../../../../electron/compiler/compile.js';
import { writeFileAtomic } from '../../../../electron/files/atomic.js';
import { checkpointFile, saveCheckpoint } from '../../../../electron/training/checkpoint.js';
import { subgraph } from '../../../../electron/training/jobs/create.js';
import type { CheckpointKind, SavedRun } from '../../../../shared/api/contract.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Project } from '../../../../shared/project/schema.js';
import { splitGan } from '../../../../shared/training/gan.js';

/**
 * A run folder as a Backend leaves it, written by NetCanvas's own code (RunStore, the
 * checkpoint writer): run.json, the project it trained and checkpoints of random weights,
 * so an export's weights can be told from freshly drawn ones.
 */
export interface SavedRunFolder {
  record: SavedRun;
  /** The checkpointed networks by part name ('model', or a GAN's 'generator' and 'discriminator'). */
  models: Map<string, tf.LayersModel>;
}

export async function savedRun(
  runsDir: string,
  project: Project,
  options: { runId?: string; kinds?: CheckpointKind[]; keepProject?: boolean; seed?: number; dataShape?: number[] } = {},
): Promise<SavedRunFolder> {
  const runId = options.runId ?? 'run-1';
  const store = new RunStore(runsDir);
  const dir = store.runDir(runId, project.name);
  const kinds = options.kinds ?? ['last', 'best'];
  const graphs = new Map<string, typeof project.graph>();
  if (project.training.task === 'gan') {
    const split = splitGan(project.graph, inferGraph(project.graph), options.dataShape ?? [28, 28, 1], project.training.gan);
    if (!split.ok) throw new Error(split.problems.join(' '));
    graphs.set('generator', subgraph(project.graph, split.generator.nodes));
    graphs.set('discriminator', subgraph(project.graph, split.discriminator.nodes));
  } else graphs.set('model', project.graph);
  const models = new Map<string, tf.LayersModel>();
  let seed = options.seed ?? 11;
  for (const [name, graph] of graphs) {
    const model = compileGraph(graph);
    randomizeWeights(model, seed++);
    models.set(name, model);
  }
  const parts = [...models].map(([name, model]) => ({ name, model, optimizer: tf.train.adam(0.001) }));
  if (kinds.length > 0) await saveCheckpoint(kinds.map((kind) => checkpointFile(dir, kind)), parts, { epoch: 1, history: [], bestLoss: 1, step: 3 });
  const record: SavedRun = {
    runId,
    projectName: project.name,
    startedAt: '2026-01-01T00:00:00.000Z',
    status: 'completed',
    task: project.training.task,
    settings: { task: project.training.task, epochs: 1, batchSize: 16, learningRate: 0.001, optimizer: 'adam' },
    history: [],
    points: [],
    checkpoints: { last: kinds.includes('last') ? 1 : null, best: kinds.includes('best') ? 1 : null },
    dir,
    endedAt: '2026-01-01T00:01:00.000Z',
  };
  await store.write(record);
  if (options.keepProject ?? true) await writeFileAtomic(path.join(dir, RUN_PROJECT_FILE), JSON.stringify(project));
  return { record, models };
}

/** A model's weights by tfjs's name, as plain arrays. */
export function weightsOf(model: tf.LayersModel): Map<string, Float32Array> {
  return new Map(model.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
}

/**
 * The weights of a TensorFlow.js model.json by name, as tfjs's loader reads them: the manifest
 * over its files, concatenated (an export's shards, or the Trainer's own `<part>.weights.bin`).
 */
export async function tfjsWeights(modelJson: string): Promise<Map<string, Float32Array>> {
  const json = JSON.parse(await readFile(modelJson, 'utf8'));
  const group = json.weightsManifest[0] as { paths: string[]; weights: { name: string; shape: number[] }[] };
  const bytes = Buffer.concat(await Promise.all(group.paths.map((p) => readFile(path.join(path.dirname(modelJson), p)))));
  const out = new Map<string, Float32Array>();
  let offset = 0;
  for (const spec of group.weights) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    out.set(spec.name, new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + count * 4)));
    offset += count * 4;
  }
  return out;
}

/** The same weight names, and each the same values. */
export function expectSameWeights(actual: Map<string, Float32Array>, expected: Map<string, Float32Array>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, values] of expected) expect(Array.from(actual.get(name)!), name).toEqual(Array.from(values));
}
