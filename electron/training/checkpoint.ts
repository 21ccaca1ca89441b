import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { TrainedPart } from './jobs/job.js';
import type { CheckpointKind, EpochRecord } from '../../shared/api/contract.js';
import { writeFileAtomic } from '../files/atomic.js';

/** What a checkpoint says about the run besides its weights. */
export interface CheckpointState {
  epoch: number;
  history: EpochRecord[];
  /** The best monitored loss so far, for "best" checkpoints and early stopping. */
  bestLoss: number | null;
  /** Global batch counter, so a resumed run's steps continue where they were. */
  step: number;
}

interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

interface Header {
  format: 'netcanvas-checkpoint';
  version: 1;
  state: CheckpointState;
  parts: Array<{ name: string; weights: TensorEntry[]; optimizer: TensorEntry[] }>;
}

const MAGIC = 'NCCK';

export { checkpointFile } from './checkpoint-file.js';

async function entries(named: ReadonlyArray<{ name: string; tensor: tf.Tensor }>, chunks: Uint8Array[], at: { offset: number }): Promise<TensorEntry[]> {
  const out: TensorEntry[] = [];
  for (const { name, tensor } of named) {
    const values = await tensor.data();
    const bytes = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
    out.push({ name, shape: tensor.shape, dtype: tensor.dtype === 'int32' ? 'int32' : 'float32', offset: at.offset, length: bytes.byteLength });
    chunks.push(bytes);
    at.offset += bytes.byteLength;
  }
  return out;
}

/**
 * One file per checkpoint: "NCCK", a 4-byte header length, the JSON header, then every
 * weight and optimizer slot as raw little-endian values. The state is read from the
 * tensors once and written atomically to each of `files` (e.g. both "last" and "best").
 */
export async function saveCheckpoint(files: readonly string[], parts: readonly TrainedPart[], state: CheckpointState): Promise<void> {
  const chunks: Uint8Array[] = [];
  const at = { offset: 0 };
  const header: Header = { format: 'netcanvas-checkpoint', version: 1, state, parts: [] };
  for (const part of parts) {
    const weights = await entries(part.model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })), chunks, at);
    const slots = await part.optimizer.getWeights();
    const optimizer = await entries(slots, chunks, at);
    // getWeights hands out its step count as a fresh tensor beside its own variables.
    for (const { tensor } of slots) if (!(tensor instanceof tf.Variable)) tensor.dispose();
    header.parts.push({ name: part.name, weights, optimizer });
  }
  await writeCheckpoint(files, header, chunks);
}

/** A checkpoint of weights alone (no optimizer state, no history): weights a model file brought. */
export async function saveWeightsCheckpoint(file: string, part: string, weights: ReadonlyArray<{ name: string; tensor: tf.Tensor }>): Promise<void> {
  const chunks: Uint8Array[] = [];
  const header: Header = { format: 'netcanvas-checkpoint', version: 1, state: { epoch: 0, history: [], bestLoss: null, step: 0 }, parts: [] };
  header.parts.push({ name: part, weights: await entries(weights, chunks, { offset: 0 }), optimizer: [] });
  await writeCheckpoint([file], header, chunks);
}

async function writeCheckpoint(files: readonly string[], header: Header, chunks: Uint8Array[]): Promise<void> {
  const headerBytes = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.write(MAGIC, 0, 'ascii');
  prefix.writeUInt32LE(headerBytes.byteLength, 4);
  const bytes = Buffer.concat([prefix, headerBytes, ...chunks]);
  for (const file of files) await writeFileAtomic(file, bytes);
}

function tensorOf(body: Buffer, entry: TensorEntry): tf.Tensor {
  const bytes = body.subarray(entry.offset, entry.offset + entry.length);
  const copy = new Uint8Array(bytes).buffer;
  return tf.tensor(entry.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy), entry.shape, entry.dtype);
}

async function readCheckpoint(file: string): Promise<{ header: Header; body: Buffer }> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (err) {
    throw new Error(`The checkpoint ${file} cannot be read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message}.`);
  }
  if (raw.byteLength < 8 || raw.toString('ascii', 0, 4) !== MAGIC) throw new Error(`${file} is not a NetCanvas checkpoint.`);
  const headerLength = raw.readUInt32LE(4);
  let header: Header;
  try {
    header = JSON.parse(raw.toString('utf8', 8, 8 + headerLength)) as Header;
  } catch {
    throw new Error(`${file} is damaged: its header cannot be read.`);
  }
  return { header, body: raw.subarray(8 + headerLength) };
}

/** Which layers took a checkpoint's weights and which start fresh, each with why. */
export interface WeightsTaken {
  took: string[];
  fresh: Array<{ layer: string; reason: string }>;
}

/**
 * Starts freshly built parts from a checkpoint's weights, layer by layer: a layer takes them
 * when the checkpoint holds every weight of it by the same name and shape; the others keep
 * their fresh weights. No optimizer state or history is taken: the run is a new one.
 */
export async function loadWeightsByName(file: string, parts: readonly TrainedPart[]): Promise<WeightsTaken> {
  const { header, body } = await readCheckpoint(file);
  const saved = new Map<string, TensorEntry>();
  for (const part of header.parts) for (const entry of part.weights) if (!saved.has(entry.name)) saved.set(entry.name, entry);
  const taken: WeightsTaken = { took: [], fresh: [] };
  for (const part of parts) {
    for (const layer of part.model.layers) {
      const weights = layer.weights;
      if (weights.length === 0) continue;
      const problems: string[] = [];
      for (const w of weights) {
        const entry = saved.get(w.originalName);
        const what = w.originalName.slice(w.originalName.indexOf('/') + 1);
        if (!entry) problems.push(`the weights have no ${what}`);
        else if (entry.shape.join('×') !== w.shape.join('×')) problems.push(`its ${what} is ${entry.shape.join('×') || 'a single value'} in the weights but ${w.shape.join('×') || 'a single value'} here`);
      }
      if (problems.length > 0) {
        taken.fresh.push({ layer: layer.name, reason: problems.join(', ') });
        continue;
      }
      const tensors = weights.map((w) => tensorOf(body, saved.get(w.originalName)!));
      layer.setWeights(tensors);
      tf.dispose(tensors);
      taken.took.push(layer.name);
    }
  }
  return taken;
}

/** What a run started from weights says about them: which layers took them, which start fresh and why. */
export function describeTaken(taken: WeightsTaken): string {
  const took = taken.took.length > 0 ? `Started from the saved weights: ${taken.took.join(', ')} took them.` : 'Started from the saved weights, but no layer matched them by name and shape.';
  const fresh = taken.fresh.length > 0 ? ` Starting fresh: ${taken.fresh.map((f) => `${f.layer} (${f.reason})`).join('; ')}.` : '';
  return took + fresh;
}

/**
 * Optimizer slots the PyTorch engine saved are named `pytorch/<parameter>/<slot>`; an
 * optimizer that takes them says so with `takesPytorchSlots`. tfjs's optimizers and the
 * engine's cannot read each other's state: a run continued on the other engine keeps the
 * weights, and its optimizer starts afresh.
 */
export const PYTORCH_SLOT_PREFIX = 'pytorch/';

const takesPytorchSlots = (optimizer: tf.Optimizer) => (optimizer as { takesPytorchSlots?: boolean }).takesPytorchSlots === true;

/** What `loadCheckpoint` read: the run's state, and whether an optimizer's state was left out as the other engine's. */
export type LoadedCheckpoint = CheckpointState & { optimizerFresh: boolean };

/** Puts a checkpoint's weights and optimizer state into freshly built parts; names every mismatch. */
export async function loadCheckpoint(file: string, parts: readonly TrainedPart[]): Promise<LoadedCheckpoint> {
  let optimizerFresh = false;
  const { header, body } = await readCheckpoint(file);
  for (const part of parts) {
    const saved = header.parts.find((p) => p.name === part.name);
    if (!saved) throw new Error(`${file} has no weights for the ${part.name}.`);
    const weights = part.model.weights;
    if (saved.weights.length !== weights.length) {
      throw new Error(`${file} holds ${saved.weights.length} weight arrays for the ${part.name}, but the network now has ${weights.length}: the network was changed since this checkpoint.`);
    }
    saved.weights.forEach((entry, i) => {
      const expected = weights[i]!.shape.join('×');
      if (entry.shape.join('×') !== expected) {
        throw new Error(`${file}: weight "${entry.name}" has shape ${entry.shape.join('×')} but the network expects ${expected}: the network was changed since this checkpoint.`);
      }
    });
    const tensors = saved.weights.map((entry) => tensorOf(body, entry));
    part.model.setWeights(tensors);
    tf.dispose(tensors);
    if (saved.optimizer.length === 0) continue;
    if (saved.optimizer.some((e) => e.name.startsWith(PYTORCH_SLOT_PREFIX)) !== takesPytorchSlots(part.optimizer)) {
      optimizerFresh = true;
      continue;
    }
    await part.optimizer.setWeights(saved.optimizer.map((entry) => ({ name: entry.name, tensor: tensorOf(body, entry) })));
  }
  return { ...header.state, optimizerFresh };
}

/** The trained network as a TensorFlow.js `model.json` + `weights.bin` pair that `tf.loadLayersModel` reads. */
export async function exportModel(dir: string, stem: string, model: tf.LayersModel): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const bytes = Array.isArray(data) ? Buffer.concat(data.map((b) => Buffer.from(b))) : Buffer.from(data ?? new ArrayBuffer(0));
      const weightsName = `${stem}.weights.bin`;
      await writeFileAtomic(path.join(dir, weightsName), bytes);
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: 'NetCanvas',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [weightsName], weights: artifacts.weightSpecs }],
      };
      await writeFileAtomic(path.join(dir, `${stem}.model.json`), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}
