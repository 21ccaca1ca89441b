import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { ApiFailure } from './failure.js';
import { projectText } from './project-disk.js';
import type { RunStore } from './run-store.js';
import { RUN_PROJECT_FILE } from './runs.js';
import { networkOf } from '../../shared/graph/blocks.js';
import type { SavedRun } from '../../shared/api/contract.js';
import type { Graph, GraphNode } from '../../shared/graph/types.js';
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
  quantization?: { dtype: string; min?: number; scale?: number };
}
interface ManifestGroup {
  paths: string[];
  weights: ManifestEntry[];
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** tfjs is loaded when weights come in, not when the Backend starts. */
export async function tfjs(): Promise<typeof tfTypes> {
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
      // One at a time: layers of different nested models may share a weight's name, which a map of all would merge.
      at = 0;
      for (const w of group.weights) {
        const length = w.shape.reduce((a, b) => a * b, 1) * (BYTES[w.quantization?.dtype ?? w.dtype] ?? 4);
        out.push({ name: w.name, tensor: decodeWeight(tf, buffer.slice(at, at + length), w, fileName) });
        at += length;
      }
    }
  } catch (err) {
    tf.dispose(out.map((w) => w.tensor));
    throw err;
  }
  return out;
}

/**
 * One weight's bytes as a tensor: float32, int32 and bool as they are; float16 (as a dtype or a
 * quantization) widened to float32; uint8/uint16 quantized weights as `min + q × scale`.
 * A dtype it cannot read is an ApiFailure naming the weight.
 */
function decodeWeight(tf: typeof tfTypes, bytes: Uint8Array, w: ManifestEntry, fileName: string): tfTypes.Tensor {
  const stored = w.quantization?.dtype ?? w.dtype;
  const refuse = (why: string) => new ApiFailure('INVALID_PROJECT', `${fileName}: the weight ${w.name} (${w.quantization ? `dtype ${w.dtype} quantized as ${stored}` : `dtype ${w.dtype}`}) cannot be read: ${why}.`);
  const { buffer } = bytes;
  if (stored === 'float16') return tf.tensor(float16Values(new Uint16Array(buffer)), w.shape, 'float32');
  if (w.quantization) {
    if (stored !== 'uint8' && stored !== 'uint16') throw refuse('NetCanvas reads weights quantized as uint8, uint16 or float16');
    const { min, scale } = w.quantization;
    if (typeof min !== 'number' || typeof scale !== 'number' || !Number.isFinite(min) || !Number.isFinite(scale)) {
      throw refuse('its "quantization" has no numeric "min" and "scale" to turn the stored numbers back into values');
    }
    const q = stored === 'uint8' ? bytes : new Uint16Array(buffer);
    const values = Float32Array.from(q, (v) => min + v * scale);
    return w.dtype === 'int32' ? tf.tensor(Int32Array.from(values, Math.round), w.shape, 'int32') : tf.tensor(values, w.shape, 'float32');
  }
  if (w.dtype === 'float32') return tf.tensor(new Float32Array(buffer), w.shape, 'float32');
  if (w.dtype === 'int32') return tf.tensor(new Int32Array(buffer), w.shape, 'int32');
  if (w.dtype === 'bool') return tf.tensor(bytes, w.shape, 'bool');
  throw refuse('NetCanvas reads weights of dtype float32, float16, int32 and bool');
}

/** Half-precision floats' bits (a float16 weight as a file holds it) as float32 values. */
export function float16Values(bits: Uint16Array): Float32Array {
  return Float32Array.from(bits, (b) => {
    const sign = b & 0x8000 ? -1 : 1;
    const exponent = (b >> 10) & 0x1f;
    const fraction = b & 0x3ff;
    if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
    if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
    return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  });
}

/** "3×3×1×32", or "a single value" for a scalar. */
export const dims = (shape: readonly (number | null)[]) => (shape.length === 0 ? 'a single value' : shape.join('×'));

/** One layer of the compiled network, as the model file names it. */
export interface LayerToFill {
  /** The compiled layer's name, which names its weights in checkpoints. */
  name: string;
  node: GraphNode;
  /** The layer's name in the file (it may differ from `name` after a nested model's names were made unique). */
  fileName: string;
  /** The nested models it sits in inside the file, outermost first; empty for the model's own layers. */
  scope: readonly string[];
  /** Its weights' names after `<layer>/` (tfjs's: `kernel`, `forward_lstm/recurrent_kernel`), in the layer's order. */
  wanted: readonly string[];
}

/** A file's weights, as each layer of the network asks for its own. */
export interface WeightSource {
  /**
   * The file's weights for the layer by wanted name (any it lacks left out), null when the file
   * has none for this layer at all, or a problem in words when they cannot be told apart.
   */
  take(layer: LayerToFill): Map<string, tfTypes.Tensor> | null | string;
  /** The file's layers with weights that no layer of the network took, by their names in the file. */
  unused(): string[];
  /** Frees the tensors the source made. */
  dispose(): void;
}

/** Where the imported network's layers are in the file: `importKerasModel`'s weightNames and weightScopes. */
export interface FileNames {
  weightNames: Readonly<Record<string, string>>;
  weightScopes: Readonly<Record<string, readonly string[]>>;
}

export interface MatchedWeights {
  /** Every weight of the compiled network, in its order, taken from the file. */
  weights: NamedWeight[];
  /** Layers that took weights from the file. */
  layers: string[];
}

/**
 * The file's weights for each layer of the network, found by the layer's name in the file
 * (`names`; without them, its name in the network), each checked by shape. Every layer the file
 * lacks, every shape that differs and every layer of the file left over is named in one message.
 */
export async function matchWeights(graph: Graph, source: WeightSource, fileName: string, names?: FileNames): Promise<MatchedWeights> {
  await tfjs();
  const { compileGraph } = await import('../compiler/compile.js');
  const { uniqueLayerNames } = await import('../../shared/keras/format.js');
  // The network the graph stands for, as training compiles it: a block's layers are named after it.
  const network = networkOf(graph);
  const model = compileGraph(network);
  try {
    const nodeOf = new Map([...uniqueLayerNames(network.nodes)].map(([id, name]) => [name, network.nodes.find((n) => n.id === id)!]));
    const problems: string[] = [];
    const weights: NamedWeight[] = [];
    const layers: string[] = [];
    for (const layer of model.layers) {
      if (layer.weights.length === 0) continue;
      const node = nodeOf.get(layer.name);
      const wanted = layer.weights.map((w) => w.originalName.slice(layer.name.length + 1));
      const found = node
        ? source.take({ name: layer.name, node, fileName: names?.weightNames[node.id] ?? layer.name, scope: names?.weightScopes[node.id] ?? [], wanted })
        : null;
      if (found === null) {
        problems.push(`layer ${layer.name}: the file has no weights for it`);
        continue;
      }
      if (typeof found === 'string') {
        problems.push(`layer ${layer.name}: ${found}`);
        continue;
      }
      const missing: string[] = [];
      let fits = true;
      layer.weights.forEach((w, i) => {
        const what = wanted[i]!;
        const tensor = found.get(what);
        if (!tensor) missing.push(what);
        else if (dims(tensor.shape) !== dims(w.shape)) {
          fits = false;
          problems.push(`layer ${layer.name}: the file's ${what} is ${dims(tensor.shape)} but the layer needs ${dims(w.shape)}`);
        } else weights.push({ name: w.originalName, tensor });
      });
      if (missing.length > 0) problems.push(`layer ${layer.name}: the file has no ${missing.join(', ')} for it`);
      else if (fits) layers.push(layer.name);
    }
    const left = source.unused();
    if (left.length > 0) {
      problems.push(`the file has weights for ${left.length === 1 ? 'a layer' : 'layers'} the network does not have: ${left.map((l) => `"${l}"`).join(', ')}`);
    }
    if (problems.length > 0) {
      throw new ApiFailure('INVALID_PROJECT', `${fileName}: its weights do not fit the network (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}.`);
    }
    return { weights, layers };
  } finally {
    model.dispose();
  }
}

/**
 * A TensorFlow.js manifest's weights, named `<layer name in the file>/<weight>`. Layers of
 * different nested models may share a name there (tfjs names weights by layer alone): each
 * layer takes the first of its names not taken yet, the manifest's order being the layers'.
 */
export function tfjsSource(fileWeights: readonly NamedWeight[]): WeightSource {
  const queues = new Map<string, tfTypes.Tensor[]>();
  for (const w of fileWeights) {
    const name = w.name.replace(/:\d+$/, '');
    queues.set(name, [...(queues.get(name) ?? []), w.tensor]);
  }
  return {
    take(layer) {
      const found = new Map<string, tfTypes.Tensor>();
      for (const what of layer.wanted) {
        const tensor = queues.get(`${layer.fileName}/${what}`)?.shift();
        if (tensor) found.set(what, tensor);
      }
      return found;
    },
    unused: () => [...queues].filter(([, left]) => left.length > 0).map(([name]) => name),
    dispose() {
      for (const w of fileWeights) w.tensor.dispose();
    },
  };
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

/** What became of a model file's weights, as an open's result tells it. */
export interface WeightsFields {
  weights?: { runId: string; fileName: string; layers: string[] };
  warnings?: string[];
}

/**
 * The weights that come with a model file opened as `project`, read by `load` (null when there
 * are none), matched to the network and kept as a run. `raw` is the model's JSON, which says
 * where each layer's weights are in the file. A file whose weights do not come in still opens:
 * the reason they were left out comes back as a warning.
 */
export async function importWeights(raw: unknown, project: Project, fileName: string, load: () => Promise<WeightSource | null>, store: RunStore | null): Promise<WeightsFields> {
  if (!store) return {};
  const { importKerasModel } = await import('../../shared/keras/import.js');
  const imported = importKerasModel(raw, fileName);
  let source: WeightSource | null = null;
  try {
    try {
      source = await load();
    } catch (err) {
      if (err instanceof ApiFailure) throw err;
      throw new ApiFailure('INVALID_PROJECT', `${fileName}: its weights cannot be read (${err instanceof Error ? err.message : String(err)}).`);
    }
    if (!source) return {};
    const matched = await matchWeights(project.graph, source, fileName, imported.ok ? imported : undefined);
    const run = await keepWeightsAsRun(store, project, undefined, fileName, matched.weights);
    return { weights: { runId: run.runId, fileName, layers: matched.layers } };
  } catch (err) {
    if (err instanceof ApiFailure) return { warnings: [`The weights were not imported: ${err.message}`] };
    throw err;
  } finally {
    source?.dispose();
  }
}

/** The weights a TensorFlow.js model.json (its `text`) lists, from the shard files `readShard` reads. */
export async function withWeights(text: string, project: Project, fileName: string, readShard: ShardReader, store: RunStore | null): Promise<WeightsFields> {
  const raw: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
  const groups = weightsManifest(raw, fileName);
  if (!groups) return {};
  return importWeights(raw, project, fileName, async () => tfjsSource(await readTfjsWeights(groups, fileName, readShard)), store);
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
