import path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { ApiFailure } from './failure.js';
import type { RunStore } from './run-store.js';
import { float16Values, importWeights, MAX_WEIGHT_FILE_BYTES, tfjs, type LayerToFill, type WeightSource, type WeightsFields } from './weights.js';
import type { ResultOf } from '../../shared/api/contract.js';
import { parseModelFile } from '../../shared/project/parse.js';
import type { H5File } from '../data/h5.js';
import { formatBytes, readCapped, ReadRefused, specialKind } from '../files/read.js';

/**
 * Keras's .h5 files: a whole model (`model.save('x.h5')`: the model's JSON in the root attribute
 * `model_config`, its weights in the group `model_weights`) or weights alone (`save_weights`), in
 * the layout Keras 2 writes. `layer_names` lists the layers with weights' groups, each group's
 * `weight_names` its weights, each a dataset at `<layer>/<weight name>` (`conv1/conv1/kernel:0`).
 * A nested model has one group, holding the weights of every layer inside it.
 */

/** The weights file NetCanvas's Keras export writes beside model.json, read with it when opened from disk. */
export const KERAS_WEIGHTS_BESIDE = 'model_weights.h5';

export const isH5FileName = (name: string): boolean => /\.(h5|hdf5)$/i.test(name);

interface H5Weight {
  /** As the file names it, e.g. `conv1/kernel:0`. */
  name: string;
  shape: number[];
  values: Float32Array;
}

interface KerasH5 {
  /** The model's JSON, or null for a weights-only file. */
  modelConfig: unknown;
  /** Group name → its weights in the file's order; or why they cannot be read. */
  layers: Map<string, H5Weight[]> | ApiFailure;
}

type Attributed = Pick<H5File, 'attrs'>;
type Entry = ReturnType<H5File['get']>;

const isGroup = (entry: Entry): entry is H5File => entry !== null && typeof (entry as { keys?: unknown }).keys === 'function';
const isDataset = (entry: Entry): boolean => entry !== null && !isGroup(entry) && 'shape' in entry && 'value' in entry;

/** A string or list of strings an attribute holds; Keras splits long lists into `name0`, `name1`… */
function strings(target: Attributed, name: string): string[] | null {
  const attrs = target.attrs;
  const one = (value: unknown): string[] => (typeof value === 'string' ? [value] : Array.isArray(value) ? value.map(String) : []);
  if (name in attrs) return one(attrs[name]!.value);
  if (!(`${name}0` in attrs)) return null;
  const all: string[] = [];
  for (let i = 0; `${name}${i}` in attrs; i++) all.push(...one(attrs[`${name}${i}`]!.value));
  return all;
}

/** A read of the file; h5wasm's own exceptions (a damaged file) become a refusal naming what was being read. */
function reading<T>(fileName: string, what: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ApiFailure) throw err;
    throw new ApiFailure('INVALID_PROJECT', `${fileName} is damaged: ${what} cannot be read (${err instanceof Error ? err.message : String(err)}).`);
  }
}

interface DatasetMetadata {
  type: number;
  size: number;
  signed: boolean;
}
/** HDF5's class of floating-point types. */
const H5T_FLOAT = 1;
const H5T_INTEGER = 0;

/** A dataset's numbers as float32. h5wasm does not read float16 (Keras's mixed precision): its bits are read as uint16 and converted. */
function datasetValues(dataset: Entry): unknown {
  const held = dataset as unknown as { metadata: DatasetMetadata; _metadata?: DatasetMetadata; value: unknown };
  const { metadata } = held;
  if (metadata.type !== H5T_FLOAT || metadata.size !== 2) return held.value;
  // h5wasm caches a dataset's metadata in `_metadata` and reads its bytes as that says.
  held._metadata = { ...metadata, type: H5T_INTEGER, signed: false };
  const bits = held.value;
  return bits instanceof Uint16Array ? float16Values(bits) : bits;
}

function readWeights(file: H5File, root: string, fileName: string): Map<string, H5Weight[]> {
  const group = root === '' ? file : reading(fileName, `the group "${root}"`, () => file.get(root));
  const where = (p: string) => (root === '' ? p : `${root}/${p}`);
  if (root !== '' && !isGroup(group)) throw new ApiFailure('INVALID_PROJECT', `${fileName} has no "${root}" group with the model's weights.`);
  const names = reading(fileName, `the list of layers ("layer_names"${root === '' ? '' : ` on "${root}"`})`, () => strings(group as H5File, 'layer_names'));
  if (names === null) throw new ApiFailure('INVALID_PROJECT', `${fileName} does not list its layers (no "layer_names" attribute${root === '' ? '' : ` on "${root}"`}): is it a Keras weights file?`);
  const layers = new Map<string, H5Weight[]>();
  for (const layer of names) {
    const entry = reading(fileName, `the group of layer "${layer}" at ${where(layer)}`, () => file.get(where(layer)));
    if (!isGroup(entry)) throw new ApiFailure('INVALID_PROJECT', `${fileName} lists the layer "${layer}" but has no group for it at ${where(layer)}.`);
    const weights: H5Weight[] = [];
    for (const weight of reading(fileName, `the weight names of layer "${layer}"`, () => strings(entry, 'weight_names')) ?? []) {
      const at = where(`${layer}/${weight}`);
      const what = `the weight ${weight} of layer "${layer}" at ${at}`;
      const dataset = reading(fileName, what, () => file.get(at));
      if (!isDataset(dataset)) throw new ApiFailure('INVALID_PROJECT', `${fileName} lists the weight ${weight} of layer "${layer}" but has no dataset at ${at}.`);
      const { shape, value } = reading(fileName, what, () => ({ shape: (dataset as unknown as { shape: number[] | null }).shape, value: datasetValues(dataset) }));
      if (!ArrayBuffer.isView(value) || value instanceof DataView) {
        throw new ApiFailure('INVALID_PROJECT', `${fileName}: the weight ${weight} of layer "${layer}" is not an array of numbers.`);
      }
      const numbers = value as unknown as ArrayLike<number | bigint>;
      weights.push({ name: weight, shape: shape ?? [], values: value instanceof Float32Array ? value : Float32Array.from({ length: numbers.length }, (_, i) => Number(numbers[i])) });
    }
    layers.set(layer, weights);
  }
  return layers;
}

/** An .h5 file's model JSON and weights, read at once; ApiFailure when it is not a Keras file or is damaged. */
async function readKerasH5(bytes: Uint8Array, fileName: string): Promise<KerasH5> {
  // h5wasm is loaded when an .h5 file comes in, not when the Backend starts.
  const { openH5 } = await import('../data/h5.js');
  let opened;
  try {
    opened = await openH5(bytes, fileName);
  } catch (err) {
    throw new ApiFailure('INVALID_PROJECT', (err as Error).message);
  }
  try {
    const { file } = opened;
    const configText = reading(fileName, 'the root attribute "model_config"', () => strings(file, 'model_config'))?.[0];
    let modelConfig: unknown = null;
    if (configText !== undefined) {
      try {
        modelConfig = JSON.parse(configText);
      } catch (err) {
        throw new ApiFailure('INVALID_PROJECT', `${fileName}: its "model_config" attribute is not valid JSON (${(err as Error).message}).`);
      }
    }
    const root = modelConfig === null ? '' : 'model_weights';
    let layers: KerasH5['layers'];
    try {
      layers = readWeights(file, root, fileName);
    } catch (err) {
      if (!(err instanceof ApiFailure)) throw err;
      layers = err;
    }
    return { modelConfig, layers };
  } finally {
    try {
      opened.close();
    } catch {
      // A damaged file may fail to close too (its in-memory copy is removed all the same): what was read stands.
    }
  }
}

/** Keras puts a recurrent layer's weights under its cell (`lstm/lstm_cell/kernel:0`); tfjs does not. */
const CELL = /^(simple_rnn|lstm|gru)_cell(_\d+)?$/;

/** The weight's name after its layer's (`kernel`, `forward_lstm/lstm_cell/kernel`), or null when it is another layer's. */
function withinLayer(name: string, layer: LayerToFill): string | null {
  const parts = name.replace(/:\d+$/, '').split('/');
  if (layer.scope.length === 0) return parts[0] === layer.fileName && parts.length > 1 ? parts.slice(1).join('/') : parts.join('/');
  // A nested model's weights are named from the layer (TF 2) or from the nested models down (older Keras).
  let at = 0;
  for (const scope of layer.scope) if (parts[at] === scope) at += 1;
  return parts[at] === layer.fileName && parts.length > at + 1 ? parts.slice(at + 1).join('/') : null;
}

/**
 * A Keras .h5 file's weights for each layer: from the group of its name, or of the outermost
 * nested model it sits in. Within a layer they pair by name where every name agrees, else in
 * order, as Keras's own loader pairs them.
 */
function h5Source(layers: Map<string, H5Weight[]>, tf: typeof tfTypes): WeightSource {
  const taken = new Set<H5Weight>();
  const made: tfTypes.Tensor[] = [];
  return {
    take(layer) {
      const group = layers.get(layer.scope[0] ?? layer.fileName);
      const mine = (group ?? []).flatMap((w) => {
        const inner = withinLayer(w.name, layer);
        return inner === null ? [] : [{ weight: w, inner: inner.split('/').filter((p) => !CELL.test(p)).join('/') }];
      });
      if (mine.length === 0) return null;
      for (const { weight } of mine) taken.add(weight);
      const byName = layer.wanted.map((what) => mine.filter((m) => m.inner === what));
      let paired: H5Weight[];
      if (byName.every((found) => found.length === 1)) paired = byName.map((found) => found[0]!.weight);
      else if (mine.length === layer.wanted.length) paired = mine.map((m) => m.weight);
      else {
        return `the file has ${mine.length} weight${mine.length === 1 ? '' : 's'} for it (${mine.map((m) => m.weight.name).join(', ')}) but the layer has ${layer.wanted.length} (${layer.wanted.join(', ')})`;
      }
      const found = new Map<string, tfTypes.Tensor>();
      paired.forEach((w, i) => {
        const tensor = tf.tensor(w.values, w.shape, 'float32');
        made.push(tensor);
        found.set(layer.wanted[i]!, tensor);
      });
      return found;
    },
    unused: () => [...layers].filter(([, weights]) => weights.some((w) => !taken.has(w))).map(([name]) => name),
    dispose: () => tf.dispose(made),
  };
}

/** Reads a Keras weights file's layers for the network; ApiFailure when the file is not one. */
async function kerasSource(bytes: Uint8Array, fileName: string): Promise<WeightSource> {
  const { layers } = await readKerasH5(bytes, fileName);
  if (layers instanceof ApiFailure) throw layers;
  return h5Source(layers, await tfjs());
}

/** A weights file that comes with a model file: its name, and what reads it (null when it is not there). */
export interface WeightsFile {
  name: string;
  read(): Promise<Uint8Array | null>;
}

/** The weights of a Keras JSON model (its `text`) from the .h5 file that came with it, if one did. */
export async function withKerasWeights(text: string, project: Parameters<typeof importWeights>[1], weightsFile: WeightsFile | null, store: RunStore | null): Promise<WeightsFields> {
  if (!weightsFile) return {};
  const raw: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
  return importWeights(
    raw,
    project,
    weightsFile.name,
    async () => {
      const bytes = await weightsFile.read();
      return bytes ? kerasSource(bytes, weightsFile.name) : null;
    },
    store,
  );
}

type OpenedModel = Omit<ResultOf<'project.open'>, 'migratedFrom'>;

/** A whole Keras model saved in one .h5 file: its network from `model_config`, its weights kept as a run. */
export async function openKerasH5(bytes: Uint8Array, fileName: string, store: RunStore | null): Promise<OpenedModel> {
  const read = await readKerasH5(bytes, fileName);
  if (read.modelConfig === null) {
    if (!(read.layers instanceof ApiFailure)) {
      throw new ApiFailure(
        'INVALID_PROJECT',
        `${fileName} holds weights only (Keras's save_weights) and not the network: open the model's JSON (model.to_json()) together with it, or a whole model saved with model.save('${path.parse(fileName).name}.h5').`,
      );
    }
    if (read.layers.message.startsWith(`${fileName} is damaged:`)) throw read.layers;
    throw new ApiFailure('INVALID_PROJECT', `${fileName} is an HDF5 file but not a Keras model: it has no "model_config" attribute, which Keras's model.save('x.h5') writes.`);
  }
  const parsed = parseModelFile(JSON.stringify(read.modelConfig), fileName);
  if (!parsed.ok) throw new ApiFailure('INVALID_PROJECT', parsed.error.message);
  if (!parsed.importedFrom) throw new ApiFailure('INVALID_PROJECT', `${fileName}: its "model_config" is not a Keras model.`);
  const { layers } = read;
  const weights = await importWeights(
    read.modelConfig,
    parsed.project,
    fileName,
    async () => {
      if (layers instanceof ApiFailure) throw layers;
      return h5Source(layers, await tfjs());
    },
    store,
  );
  return {
    project: parsed.project,
    importedFrom: parsed.importedFrom,
    ...(weights.weights ? { weights: weights.weights } : {}),
    warnings: [...parsed.warnings, ...(weights.warnings ?? [])],
  };
}

/** An .h5 file on disk, read through the capped reader; ApiFailure in words when it cannot be. */
export async function readH5File(file: string): Promise<{ bytes: Uint8Array; modifiedAt: Date }> {
  try {
    const { bytes, info } = await readCapped(file, { limit: MAX_WEIGHT_FILE_BYTES });
    return { bytes, modifiedAt: info.mtime };
  } catch (err) {
    if (err instanceof ReadRefused) {
      const why = err.reason === 'not-a-file' ? `is ${specialKind(err.info)}, not a file` : `holds more than ${formatBytes(MAX_WEIGHT_FILE_BYTES)}, the most NetCanvas reads of a weights file`;
      throw new ApiFailure('FILE_REFUSED', `${file} ${why}.`);
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
    throw new ApiFailure('IO', `${file} cannot be read: ${(err as Error).message}`);
  }
}

/** The Keras weights file beside a model JSON on disk. */
export function kerasWeightsBeside(modelFile: string): WeightsFile {
  return {
    name: KERAS_WEIGHTS_BESIDE,
    async read() {
      try {
        return (await readH5File(path.join(path.dirname(modelFile), KERAS_WEIGHTS_BESIDE))).bytes;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
  };
}

/** The first file uploaded with an open (browser mode) whose name `wanted` accepts. */
export function uploaded(files: ReadonlyArray<{ name: string; data: string }>, wanted: (name: string) => boolean): (WeightsFile & { bytes: Uint8Array }) | null {
  const file = files.find((f) => wanted(f.name));
  if (!file) return null;
  const bytes = new Uint8Array(Buffer.from(file.data, 'base64'));
  return { name: file.name, bytes, read: async () => bytes };
}
