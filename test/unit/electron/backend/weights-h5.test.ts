import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../../electron/backend/backend.js';
import { compileGraph } from '../../../../electron/compiler/compile.js';
import { writeH5, type H5File } from '../../../../electron/data/h5.js';
import { KERAS_WRITER } from '../../../../electron/export/keras/index.js';
import { checkpointFile, loadWeightsByName } from '../../../../electron/training/checkpoint.js';
import { forkLauncher } from '../../../../electron/training/launcher.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type { ResultOf } from '../../../../shared/api/contract.js';
import type { Project } from '../../../../shared/project/schema.js';
import { compiledWithRandomWeights, maxDifference, predict, pythonWith, randomInputs, runPython, templates } from '../export/harness.js';

let backend: Backend | undefined;
afterEach(() => backend?.shutdown());

beforeAll(async () => {
  await selectBackend('cpu');
});

async function setUp() {
  const root = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-h5-'));
  backend = new Backend({ launcher: forkLauncher, runsDir: path.join(root, 'runs'), stateDir: path.join(root, 'state'), trustAllPaths: true });
  return { root, backend };
}

interface Weight {
  name: string;
  shape: number[];
  values: Float32Array;
}

const randomWeight = (name: string, shape: number[], seed: number): Weight => {
  const size = shape.reduce((a, b) => a * b, 1);
  return { name, shape, values: Float32Array.from({ length: size }, (_, i) => Math.sin(seed * 1000 + i)) };
};

/** A list of byte strings, as h5py writes a NumPy array of them. */
function byteStrings(target: Pick<H5File, 'create_attribute'>, name: string, values: readonly string[]): void {
  target.create_attribute(name, [...values], [values.length], `S${Math.max(1, ...values.map((v) => v.length))}`);
}

/**
 * What Keras 2's `model.save('x.h5')` writes (`save_model_to_hdf5`): root attributes
 * `keras_version`, `backend` and `model_config`, and `model_weights` as `save_weights_to_hdf5_group`
 * writes it; with `modelConfig` null, what `save_weights('x.h5')` writes: that group as the root.
 */
function kerasH5(modelConfig: unknown, layers: ReadonlyArray<{ name: string; weights: readonly Weight[] }>): Promise<Uint8Array> {
  return writeH5((file) => {
    let group: Pick<H5File, 'create_attribute' | 'create_group' | 'get'> = file;
    if (modelConfig !== null) {
      file.create_attribute('keras_version', '2.15.0', [], 'S6');
      file.create_attribute('backend', 'tensorflow', [], 'S10');
      file.create_attribute('model_config', JSON.stringify(modelConfig));
      group = file.create_group('model_weights');
    }
    byteStrings(group, 'layer_names', layers.map((l) => l.name));
    group.create_attribute('backend', 'tensorflow', [], 'S10');
    group.create_attribute('keras_version', '2.15.0', [], 'S6');
    const base = modelConfig === null ? '' : 'model_weights/';
    for (const layer of layers) {
      const g = group.create_group(layer.name);
      byteStrings(g, 'weight_names', layer.weights.map((w) => w.name));
      for (const w of layer.weights) {
        // h5py makes the groups along the dataset's path: `conv1/kernel:0` lands at conv1/conv1/kernel:0.
        const parts = w.name.split('/');
        let at = `${base}${layer.name}`;
        for (const part of parts.slice(0, -1)) {
          at = `${at}/${part}`;
          if (!file.get(at)) file.create_group(at);
        }
        (file.get(at) as H5File).create_dataset({ name: parts[parts.length - 1]!, data: w.values, shape: w.shape, dtype: '<f' });
      }
    }
  });
}

const initializer = { class_name: 'GlorotUniform', config: { seed: null } };
const zeros = { class_name: 'Zeros', config: {} };
const denseConfig = (name: string, units: number, activation: string) => ({
  class_name: 'Dense',
  config: { name, trainable: true, dtype: 'float32', units, activation, use_bias: true, kernel_initializer: initializer, bias_initializer: zeros, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null },
});

/** Keras 2.15's `model_config` of a small Sequential CNN for 28×28×1 digits. */
const cnnConfig = {
  class_name: 'Sequential',
  config: {
    name: 'small_cnn',
    layers: [
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 28, 28, 1], dtype: 'float32', sparse: false, ragged: false, name: 'conv1_input' } },
      {
        class_name: 'Conv2D',
        config: {
          name: 'conv1', trainable: true, dtype: 'float32', batch_input_shape: [null, 28, 28, 1], filters: 4, kernel_size: [3, 3], strides: [1, 1], padding: 'valid',
          data_format: 'channels_last', dilation_rate: [1, 1], groups: 1, activation: 'relu', use_bias: true, kernel_initializer: initializer, bias_initializer: zeros,
          kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
        },
      },
      { class_name: 'MaxPooling2D', config: { name: 'pool', trainable: true, dtype: 'float32', pool_size: [2, 2], padding: 'valid', strides: [2, 2], data_format: 'channels_last' } },
      { class_name: 'Flatten', config: { name: 'flat', trainable: true, dtype: 'float32', data_format: 'channels_last' } },
      denseConfig('head', 10, 'softmax'),
    ],
  },
};

const cnnWeights = () => [
  { name: 'conv1', weights: [randomWeight('conv1/kernel:0', [3, 3, 1, 4], 1), randomWeight('conv1/bias:0', [4], 2)] },
  { name: 'pool', weights: [] },
  { name: 'flat', weights: [] },
  { name: 'head', weights: [randomWeight('head/kernel:0', [676, 10], 3), randomWeight('head/bias:0', [10], 4)] },
];

/** A Sequential of a Sequential: the inner `base` and the outer head are both named "dense", as Keras allows. */
const nestedConfig = {
  class_name: 'Sequential',
  config: {
    name: 'outer',
    layers: [
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'base_input' } },
      {
        class_name: 'Sequential',
        config: {
          name: 'base',
          trainable: false,
          layers: [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'dense_input' } }, denseConfig('dense', 3, 'relu')],
        },
      },
      denseConfig('dense', 2, 'linear'),
    ],
  },
};

/** Keras 2 keeps a nested model's weights in one group, each named from its own layer. */
const nestedWeights = () => [
  { name: 'base', weights: [randomWeight('dense/kernel:0', [4, 3], 5), randomWeight('dense/bias:0', [3], 6)] },
  { name: 'dense', weights: [randomWeight('dense/kernel:0', [3, 2], 7), randomWeight('dense/bias:0', [2], 8)] },
];

type Opened = Extract<ResultOf<'projects.open'>, { project: unknown }>;

const upload = (name: string, bytes: Uint8Array) => ({ name, data: Buffer.from(bytes).toString('base64') });

/** The weights an imported run keeps, by the compiled network's layer names. */
async function runWeights(b: Backend, project: Project, runId: string) {
  const [run] = (await b.call('runs.list', { projectName: project.name })).filter((r) => r.runId === runId);
  const model = compileGraph(project.graph);
  const taken = await loadWeightsByName(checkpointFile(run!.dir, 'last'), [{ name: 'model', model, optimizer: tf.train.sgd(0.1) }]);
  return { run: run!, model, taken, values: (layer: string) => model.getLayer(layer).getWeights().map((w) => Array.from(w.dataSync())) };
}

describe('a whole Keras model saved in one .h5 file', () => {
  it('opens from disk with its network and its weights, kept as an imported run', async () => {
    const { root, backend } = await setUp();
    const layers = cnnWeights();
    const file = path.join(root, 'small_cnn.h5');
    await writeFile(file, await kerasH5(cnnConfig, layers));
    const opened = (await backend.call('projects.open', { path: file })) as Opened;
    expect(opened.importedFrom).toBe('keras2');
    expect(opened.project.graph.nodes.map((n) => n.type)).toEqual(['Input', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
    expect(opened.weights).toEqual({ runId: expect.any(String), fileName: 'small_cnn.h5', layers: ['conv1', 'head'] });
    const { run, taken, values } = await runWeights(backend, opened.project, opened.weights!.runId);
    expect([run.status, run.message]).toEqual(['imported', 'Weights from small_cnn.h5']);
    expect(taken).toEqual({ took: ['conv1', 'head'], fresh: [] });
    expect(values('conv1')).toEqual(layers[0]!.weights.map((w) => Array.from(w.values)));
    expect(values('head')).toEqual(layers[3]!.weights.map((w) => Array.from(w.values)));
  });

  it('opens from the projects folder in browser mode, and is never written over', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-h5-'));
    const projectsDir = path.join(root, 'projects');
    await mkdir(projectsDir);
    backend = new Backend({ launcher: forkLauncher, runsDir: path.join(root, 'runs'), stateDir: path.join(root, 'state'), projectsDir });
    const file = path.join(projectsDir, 'small_cnn.h5');
    await writeFile(file, await kerasH5(cnnConfig, cnnWeights()));
    const opened = (await backend.call('projects.open', { path: file })) as Opened;
    expect(opened.weights?.layers).toEqual(['conv1', 'head']);
    await expect(backend.call('projects.save', { project: opened.project, path: file })).rejects.toThrow('NetCanvas reads and writes only .json project files');
  });

  it('brings a nested model\'s weights from its group, to layers renamed to tell them apart', async () => {
    const { backend } = await setUp();
    const layers = nestedWeights();
    const opened = await backend.call('project.open', { text: '', fileName: 'outer.h5', files: [upload('outer.h5', await kerasH5(nestedConfig, layers))] });
    expect(opened.project.graph.nodes.map((n) => [n.name, n.frozen ?? false])).toEqual([
      ['base_input', false],
      ['dense', true],
      ['dense_2', false],
    ]);
    // The nested model is a block, its layers named after it.
    expect(opened.project.graph.blocks?.map((b) => [b.name, b.members])).toEqual([['base', ['dense']]]);
    expect(opened.weights?.layers).toEqual(['base_dense', 'dense_2']);
    const { values } = await runWeights(backend, opened.project, opened.weights!.runId);
    expect(values('base_dense')).toEqual(layers[0]!.weights.map((w) => Array.from(w.values)));
    expect(values('dense_2')).toEqual(layers[1]!.weights.map((w) => Array.from(w.values)));
  });

  it('refuses a file that is not HDF5, and one without the network, saying what it holds', async () => {
    const { backend } = await setUp();
    const open = (name: string, bytes: Uint8Array) => backend.call('project.open', { text: '', fileName: name, files: [upload(name, bytes)] });
    await expect(open('model.h5', new TextEncoder().encode('{"class_name": "Sequential"}'))).rejects.toThrow("model.h5 is not an HDF5 file (it does not have HDF5's signature).");
    await expect(open('weights.h5', await kerasH5(null, cnnWeights()))).rejects.toThrow(
      "weights.h5 holds weights only (Keras's save_weights) and not the network: open the model's JSON (model.to_json()) together with it, or a whole model saved with model.save('weights.h5').",
    );
    const other = await writeH5((file) => file.create_group('images'));
    await expect(open('data.h5', other)).rejects.toThrow('data.h5 is an HDF5 file but not a Keras model: it has no "model_config" attribute');
    await expect(backend.call('project.open', { text: '', fileName: 'model.h5' })).rejects.toThrow('model.h5 is an HDF5 file; send its bytes in "files" under the name model.h5.');
  });

  it('opens without weights that do not fit, naming each layer, both shapes and the layers the network lacks', async () => {
    const { backend } = await setUp();
    const layers = cnnWeights();
    layers[0]!.weights = [randomWeight('conv1/kernel:0', [5, 5, 1, 4], 1), layers[0]!.weights[1]!];
    layers.push({ name: 'extra', weights: [randomWeight('extra/kernel:0', [2, 2], 9)] });
    const opened = await backend.call('project.open', { text: '', fileName: 'small_cnn.h5', files: [upload('small_cnn.h5', await kerasH5(cnnConfig, layers))] });
    expect(opened.project.graph.nodes).toHaveLength(5);
    expect(opened.weights).toBeUndefined();
    expect(opened.warnings).toContain(
      'The weights were not imported: small_cnn.h5: its weights do not fit the network (2 problems): layer conv1: the file\'s kernel is 5×5×1×4 but the layer needs 3×3×1×4; the file has weights for a layer the network does not have: "extra".',
    );
    expect(await backend.call('runs.list', { projectName: opened.project.name })).toEqual([]);
  });

  it('names a layer the file has no weights for', async () => {
    const { backend } = await setUp();
    const layers = cnnWeights().filter((l) => l.name !== 'head');
    const opened = await backend.call('project.open', { text: '', fileName: 'small_cnn.h5', files: [upload('small_cnn.h5', await kerasH5(cnnConfig, layers))] });
    expect(opened.warnings).toContain('The weights were not imported: small_cnn.h5: its weights do not fit the network (1 problem): layer head: the file has no weights for it.');
  });
});

describe("NetCanvas's own Keras export, opened again", () => {
  // A convolutional and a recurrent network: Keras names a recurrent layer's weights under its cell.
  const cases = templates().filter((p) => ['CNN on MNIST', 'LSTM on a noisy sine wave'].includes(p.name));

  it('has templates to check', () => {
    expect(cases.length).toBeGreaterThanOrEqual(2);
  });

  it.each(cases.map((p) => [p.name, p] as const))('%s: model.json with model_weights.h5 beside it predicts as the network it came from', async (_name, project) => {
    const { root, backend } = await setUp();
    const { model, exported } = await compiledWithRandomWeights(project.graph, 3, project);
    const files = await KERAS_WRITER.files(exported);
    const dir = path.join(root, 'keras');
    await mkdir(dir, { recursive: true });
    for (const f of files) await writeFile(path.join(dir, f.path), f.data);
    const opened = (await backend.call('projects.open', { path: path.join(dir, 'model.json') })) as Opened;
    expect(opened.warnings.filter((w) => w.startsWith('The weights'))).toEqual([]);
    expect(opened.weights?.fileName).toBe('model_weights.h5');
    const { model: reopened, taken } = await runWeights(backend, opened.project, opened.weights!.runId);
    expect(taken.fresh).toEqual([]);
    const batch = randomInputs(project.graph, 2);
    const before = predict(model, batch);
    const after = predict(reopened, batch);
    expect(after.map((o) => o.shape)).toEqual(before.map((o) => o.shape));
    before.forEach((o, i) => expect(maxDifference(o.values, after[i]!.values)).toBeLessThan(1e-5));
  });
});

/** The file with `count` bytes after HDF5's 8-byte signature flipped, at places a seeded generator picks. */
function damaged(bytes: Uint8Array, seed: number, count: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  let state = seed;
  for (let k = 0; k < count; k++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    copy[8 + (state % (copy.length - 8))]! ^= 0xff;
  }
  return copy;
}

describe('a damaged or float16 .h5 file', () => {
  it('is refused as damaged, naming what could not be read, when HDF5 fails inside it', async () => {
    const { backend } = await setUp();
    const bytes = damaged(await kerasH5(cnnConfig, cnnWeights()), 2, 40);
    await expect(backend.call('project.open', { text: '', fileName: 'small_cnn.h5', files: [upload('small_cnn.h5', bytes)] })).rejects.toThrow(
      'small_cnn.h5 is damaged: the root attribute "model_config" cannot be read (error - name not defined!).',
    );
  });

  it('opens without its weights, saying the file is damaged, when HDF5 fails reading a weight', async () => {
    const { backend } = await setUp();
    const good = await kerasH5(cnnConfig, cnnWeights());
    const opened = await backend.call('project.open', { text: '', fileName: 'small_cnn.h5', files: [upload('small_cnn.h5', damaged(good, 11, 40))] });
    expect(opened.project.graph.nodes).toHaveLength(5);
    expect(opened.weights).toBeUndefined();
    expect(opened.warnings.join(' ')).toMatch(/The weights were not imported: small_cnn\.h5 is damaged: .* cannot be read \(/);
  });

  const h5py = pythonWith(['h5py', 'numpy']);
  it.skipIf(h5py.python === null)(`opens a float16 file (Keras's mixed precision) with its weights widened to float32${h5py.skip ? ` (skipped: ${h5py.skip})` : ''}`, async () => {
    const { root, backend } = await setUp();
    const config = { class_name: 'Sequential', config: { name: 'half', layers: [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 2], dtype: 'float32', sparse: false, ragged: false, name: 'x' } }, denseConfig('head', 2, 'linear')] } };
    const file = path.join(root, 'half.h5');
    // What Keras 2 writes for a float16 model: h5wasm writes no float16, h5py does.
    runPython(h5py.python!, ['-c', [
      'import h5py, numpy as np, sys',
      'with h5py.File(sys.argv[1], "w") as f:',
      '    f.attrs["model_config"] = sys.argv[2]',
      '    g = f.create_group("model_weights")',
      '    g.attrs["layer_names"] = np.array([b"head"])',
      '    h = g.create_group("head")',
      '    h.attrs["weight_names"] = np.array([b"head/kernel:0", b"head/bias:0"])',
      '    h.create_dataset("head/kernel:0", data=np.array([[1, -2], [0.5, 65504]], dtype="<f2"))',
      '    h.create_dataset("head/bias:0", data=np.array([0.25, -0.125], dtype="<f2"))',
    ].join('\n'), file, JSON.stringify(config)]);
    const opened = (await backend.call('projects.open', { path: file })) as Opened;
    expect(opened.warnings).toEqual([]);
    expect(opened.weights?.layers).toEqual(['head']);
    const { values } = await runWeights(backend, opened.project, opened.weights!.runId);
    expect(values('head')).toEqual([[1, -2, 0.5, 65504], [0.25, -0.125]]);
  });
});
