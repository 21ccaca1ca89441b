import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { ApiFailure } from './failure.js';
import { projectText } from './project-disk.js';
import type { RunStore } from './run-store.js';
import type { SavedRun } from '../../shared/api/contract.js';
import type { Graph } from '../../shared/graph/types.js';
import type { Project } from '../../shared/project/schema.js';
import { writeFileAtomic } from '../files/atomic.js';
import { readCapped } from '../files/read.js';

/**
 * Weights that come in with a model file: a TensorFlow.js model.json's shard files, matched
 * to the imported network's layers by name and checked by shape, then kept as a run of the
 * project (status `imported`, a weights-only checkpoint) that new runs can start from.
 */

/** The most read of one weight file; as much as NetCanvas reads of a NumPy file. */
export const MAX_WEIGHT_FILE_BYTES = 2048 * 1024 * 1024;

/** The project a run folder holds, as the exporter reads it. */
const RUN_PROJECT_FILE = 'project.json';

/** One weight as a file holds it: `name` is the layer's name, a slash, the weight's (`conv1/kernel`). */
export interface NamedWeight {
  name: string;
  tensor: tfTypes.Tensor;
}

/** What reads a weight file named beside a model file: its bytes, or null when there is no such file. */
export type ShardReader = (relativePath: string) => Promise<Uint8Array | null>;

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string };
}
interface ManifestGroup {
  paths: string[];
  weights: ManifestEntry[];
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** tfjs is loaded when weights come in, not when the Backend starts. */
async function tfjs(): Promise<typeof tfTypes> {
  const { selectBackend } = await import('../training/tf-backend.js');
  await selectBackend('cpu');
  return import('@tensorflow/tfjs');
}

/** The weight groups a TensorFlow.js model.json lists; null when it lists none (a topology alone). */
export function weightsManifest(raw: unknown, fileName: string): ManifestGroup[] | null {
  if (typeof raw !== 'object' || raw === null || !('weightsManifest' in raw)) return null;
  const manifest = (raw as { weightsManifest: unknown }).weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0) return null;
  const groups: ManifestGroup[] = [];
  manifest.forEach((group: unknown, g) => {
    const { paths, weights } = (group ?? {}) as Partial<ManifestGroup>;
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string') || !Array.isArray(weights)) {
      throw new ApiFailure('INVALID_PROJECT', `${fileName}: weightsManifest entry ${g + 1} needs "paths" (a list of file names) and "weights" (a list).`);
    }
    for (const w of weights) {
      if (typeof w?.name !== 'string' || !Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d >= 0) || typeof w.dtype !== 'string') {
        throw new ApiFailure('INVALID_PROJECT', `${fileName}: weightsManifest entry ${g + 1} has a weight without a name, a shape of whole numbers and a dtype: ${JSON.stringify(w).slice(0, 120)}.`);
      }
    }
    groups.push({ paths, weights });
  });
  return groups.some((g) => g.weights.length > 0) ? groups : null;
}

/** A shard path names a file beside the model file: no folders above it, no absolute paths. */
function checkShardPath(shard: string, fileName: string): void {
  const normal = path.posix.normalize(shard.replace(/\\/g, '/'));
  if (shard === '' || path.isAbsolute(shard) || path.posix.isAbsolute(normal) || normal.startsWith('../') || normal === '..') {
    throw new ApiFailure('INVALID_PROJECT', `${fileName} names the weight file "${shard}", which is not beside it: NetCanvas reads weight files only from the model file's own folder.`);
  }
}

/** Reads every weight a model.json's manifest lists from its shard files, naming any missing or short file. */
export async function readTfjsWeights(groups: readonly ManifestGroup[], fileName: string, readShard: ShardReader): Promise<NamedWeight[]> {
  const tf = await tfjs();
  const out: NamedWeight[] = [];
  try {
    for (const group of groups) {
      const parts: Uint8Array[] = [];
      for (const shard of group.paths) {
        checkShardPath(shard, fileName);
        const bytes = await readShard(shard);
        if (!bytes) {
          throw new ApiFailure('INVALID_PROJECT', `${fileName} keeps its weights in "${shard}", which is not there: open ${fileName} together with its weight files (${group.paths.join(', ')}).`);
        }
        parts.push(bytes);
      }
      const size = parts.reduce((n, p) => n + p.byteLength, 0);
      const needed = group.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * (BYTES[w.quantization?.dtype ?? w.dtype] ?? 4), 0);
      if (size !== needed) {
        throw new ApiFailure(
          'INVALID_PROJECT',
          `${fileName}: the weight file${group.paths.length === 1 ? '' : 's'} ${group.paths.join(', ')} hold${group.paths.length === 1 ? 's' : ''} ${size} bytes but the weights listed with ${group.paths.length === 1 ? 'it' : 'them'} need ${needed}: are they the files saved with this model.json?`,
        );
      }
      const buffer = new Uint8Array(size);
      let at = 0;
      for (const p of parts) {
        buffer.set(p, at);
        at += p.byteLength;
      }
      const decoded = tf.io.decodeWeights(buffer.buffer, group.weights as tfTypes.io.WeightsManifestEntry[]);
      for (const w of group.weights) out.push({ name: w.name, tensor: decoded[w.name]! });
    }
  } catch (err) {
    tf.dispose(out.map((w) => w.tensor));
    throw err;
  }
  return out;
}

/** "3×3×1×32", or "a single value" for a scalar. */
const dims = (shape: readonly (number | null)[]) => (shape.length === 0 ? 'a single value' : shape.join('×'));

export interface MatchedWeights {
  /** Every weight of the compiled network, in its order, taken from the file. */
  weights: NamedWeight[];
  /** Layers that took weights from the file. */
  layers: string[];
}

/**
 * The file's weights for each layer of the network, by the layer's name, each checked by
 * shape. Every layer the file lacks and every shape that differs is named in one message.
 */
export async function matchWeights(graph: Graph, fileWeights: readonly NamedWeight[], fileName: string): Promise<MatchedWeights> {
  await tfjs();
  const { compileGraph } = await import('../compiler/compile.js');
  const model = compileGraph(graph);
  try {
    const byName = new Map(fileWeights.map((w) => [w.name.replace(/:\d+$/, ''), w]));
    const problems: string[] = [];
    const weights: NamedWeight[] = [];
    const layers: string[] = [];
    for (const layer of model.layers) {
      if (layer.weights.length === 0) continue;
      const missing: string[] = [];
      for (const w of layer.weights) {
        const what = w.originalName.slice(w.originalName.indexOf('/') + 1);
        const found = byName.get(w.originalName);
        if (!found) missing.push(what);
        else if (dims(found.tensor.shape) !== dims(w.shape)) problems.push(`layer ${layer.name}: the file's ${what} is ${dims(found.tensor.shape)} but the layer needs ${dims(w.shape)}`);
        else weights.push({ name: w.originalName, tensor: found.tensor });
      }
      if (missing.length > 0) problems.push(`layer ${layer.name}: the file has no ${missing.join(', ')} for it`);
      else layers.push(layer.name);
    }
    if (problems.length > 0) {
      throw new ApiFailure('INVALID_PROJECT', `${fileName}: its weights do not fit the network (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}.`);
    }
    return { weights, layers };
  } finally {
    model.dispose();
  }
}

/** Keeps weights as a run of the project, where its runs are kept, so runs can start from them. */
export async function keepWeightsAsRun(store: RunStore, project: Project, projectPath: string | undefined, fileName: string, weights: readonly NamedWeight[]): Promise<SavedRun> {
  const { checkpointFile, saveWeightsCheckpoint } = await import('../training/checkpoint.js');
  const runId = randomUUID();
  const dir = store.runDir(runId, project.name, projectPath);
  await saveWeightsCheckpoint(checkpointFile(dir, 'last'), 'model', weights);
  await writeFileAtomic(path.join(dir, RUN_PROJECT_FILE), projectText(project, `"${project.name}"`));
  const now = new Date().toISOString();
  const record: SavedRun = {
    runId,
    projectName: project.name,
    startedAt: now,
    endedAt: now,
    status: 'imported',
    task: project.training.task,
    settings: { importedFrom: fileName },
    history: [],
    points: [],
    checkpoints: { last: 0, best: null },
    dir,
    message: `Weights from ${fileName}`,
  };
  await store.write(record);
  return record;
}

/** What opening a model file did with its weights: the run that keeps them, or why they were left out. */
export type WeightsOutcome = { run: SavedRun; layers: string[] } | { refused: string } | null;

/**
 * The weights a model.json opened as `project` lists, read through `readShard`, matched and
 * kept as a run; null when it lists none. A file without all its weights still opens: the
 * reason they were left out comes back instead.
 */
export async function importModelWeights(raw: unknown, project: Project, fileName: string, readShard: ShardReader, store: RunStore | null): Promise<WeightsOutcome> {
  const groups = weightsManifest(raw, fileName);
  if (!groups || !store) return null;
  let fileWeights: NamedWeight[] = [];
  try {
    fileWeights = await readTfjsWeights(groups, fileName, readShard);
    const matched = await matchWeights(project.graph, fileWeights, fileName);
    const run = await keepWeightsAsRun(store, project, undefined, fileName, matched.weights);
    return { run, layers: matched.layers };
  } catch (err) {
    if (err instanceof ApiFailure) return { refused: `The weights were not imported: ${err.message}` };
    throw err;
  } finally {
    const tf = await import('@tensorflow/tfjs');
    tf.dispose(fileWeights.map((w) => w.tensor));
  }
}

/** Weight files beside a model file on disk, read through the capped reader; null for one not there. */
export function shardsBeside(modelFile: string): ShardReader {
  return async (shard) => {
    try {
      return (await readCapped(path.join(path.dirname(modelFile), shard), { limit: MAX_WEIGHT_FILE_BYTES })).bytes;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new ApiFailure('FILE_REFUSED', `The weight file ${shard} beside ${path.basename(modelFile)} cannot be read: ${(err as Error).message}`);
    }
  };
}

/** Weight files uploaded with a model file, by name (the browser gives no folders). */
export function uploadedShards(files: ReadonlyArray<{ name: string; data: string }>): ShardReader {
  return async (shard) => {
    const wanted = path.posix.basename(shard.replace(/\\/g, '/'));
    const file = files.find((f) => f.name === wanted);
    return file ? new Uint8Array(Buffer.from(file.data, 'base64')) : null;
  };
}

/** The fields of an open's result that tell what became of a model file's weights. */
export async function withWeights(
  text: string,
  project: Project,
  fileName: string,
  readShard: ShardReader,
  store: RunStore | null,
): Promise<{ weights?: { runId: string; fileName: string; layers: string[] }; warnings?: string[] }> {
  const outcome = await importModelWeights(JSON.parse(text.replace(/^\uFEFF/, '')), project, fileName, readShard, store);
  if (!outcome) return {};
  if ('refused' in outcome) return { warnings: [outcome.refused] };
  return { weights: { runId: outcome.run.runId, fileName, layers: outcome.layers } };
}
