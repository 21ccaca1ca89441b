import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect } from './events.js';
import { Backend } from '../../../../electron/backend/backend.js';
import { compileGraph } from '../../../../electron/compiler/compile.js';
import { checkpointFile, loadWeightsByName } from '../../../../electron/training/checkpoint.js';
import { forkLauncher } from '../../../../electron/training/launcher.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type { ResultOf } from '../../../../shared/api/contract.js';
import { setFrozen } from '../../../../shared/graph/edits.js';
import type { Project } from '../../../../shared/project/schema.js';

let backend: Backend | undefined;
afterEach(() => backend?.shutdown());

beforeAll(async () => {
  await selectBackend('cpu');
});

/** A small CNN built and saved by tfjs itself: model.json and its weights in two shard files. */
async function savedCnn(dir: string): Promise<tf.LayersModel> {
  const model = tf.sequential({
    name: 'small_cnn',
    layers: [
      tf.layers.conv2d({ name: 'conv1', inputShape: [28, 28, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ name: 'pool', poolSize: 2 }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ name: 'head', units: 10, activation: 'softmax' }),
    ],
  });
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = new Uint8Array(artifacts.weightData as ArrayBuffer);
      const half = Math.floor(data.byteLength / 2);
      const paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
      await writeFile(path.join(dir, paths[0]!), data.subarray(0, half));
      await writeFile(path.join(dir, paths[1]!), data.subarray(half));
      const json = { format: 'layers-model', modelTopology: artifacts.modelTopology, weightsManifest: [{ paths, weights: artifacts.weightSpecs }] };
      await writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return model;
}

async function setUp() {
  const root = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-weights-'));
  const original = await savedCnn(path.join(root, 'cnn'));
  backend = new Backend({ launcher: forkLauncher, runsDir: path.join(root, 'runs'), stateDir: path.join(root, 'state'), trustAllPaths: true });
  return { root, original, backend, modelFile: path.join(root, 'cnn', 'model.json') };
}

/** The network of `project` with the weights of a checkpoint put in by layer name. */
async function withCheckpoint(project: Project, file: string) {
  const model = compileGraph(project.graph);
  const taken = await loadWeightsByName(file, [{ name: 'model', model, optimizer: tf.train.sgd(0.1) }]);
  return { model, taken };
}

const probe = () => tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 11);
const predicted = (model: tf.LayersModel, x: tf.Tensor) => Array.from((model.predict(x) as tf.Tensor).dataSync());

describe('a TensorFlow.js model.json opened with its weights', () => {
  it('brings them from the shard files beside it: an imported run that predicts as the saved model does', async () => {
    const { original, backend, modelFile } = await setUp();
    const opened = (await backend.call('projects.open', { path: modelFile })) as Extract<ResultOf<'projects.open'>, { project: unknown }>;
    expect(opened.importedFrom).toBe('tfjs');
    expect(opened.weights).toEqual({ runId: expect.any(String), fileName: 'model.json', layers: ['conv1', 'head'] });
    const runs = await backend.call('runs.list', { projectName: opened.project.name });
    expect(runs.map((r) => [r.runId, r.status, r.message])).toEqual([[opened.weights!.runId, 'imported', 'Weights from model.json']]);
    expect(runs[0]!.checkpoints.last).not.toBeNull();

    const { model, taken } = await withCheckpoint(opened.project, checkpointFile(runs[0]!.dir, 'last'));
    expect(taken).toEqual({ took: ['conv1', 'head'], fresh: [] });
    const x = probe();
    expect(predicted(model, x)).toEqual(predicted(original, x));
  });

  it('brings them from files uploaded with it (browser mode)', async () => {
    const { original, backend, root } = await setUp();
    const dir = path.join(root, 'cnn');
    const files = await Promise.all(['group1-shard1of2.bin', 'group1-shard2of2.bin'].map(async (name) => ({ name, data: (await readFile(path.join(dir, name))).toString('base64') })));
    const opened = await backend.call('project.open', { text: await readFile(path.join(dir, 'model.json'), 'utf8'), fileName: 'model.json', files });
    expect(opened.weights?.layers).toEqual(['conv1', 'head']);
    const [run] = await backend.call('runs.list', { projectName: opened.project.name });
    const { model } = await withCheckpoint(opened.project, checkpointFile(run!.dir, 'last'));
    const x = probe();
    expect(predicted(model, x)).toEqual(predicted(original, x));
  });

  it('opens without them, saying which weight file is missing', async () => {
    const { backend, root } = await setUp();
    const dir = path.join(root, 'cnn');
    const files = [{ name: 'group1-shard1of2.bin', data: (await readFile(path.join(dir, 'group1-shard1of2.bin'))).toString('base64') }];
    const opened = await backend.call('project.open', { text: await readFile(path.join(dir, 'model.json'), 'utf8'), fileName: 'model.json', files });
    expect(opened.weights).toBeUndefined();
    expect(opened.warnings).toContain(
      'The weights were not imported: model.json keeps its weights in "group1-shard2of2.bin", which is not there: open model.json together with its weight files (group1-shard1of2.bin, group1-shard2of2.bin).',
    );
    expect(await backend.call('runs.list', { projectName: opened.project.name })).toEqual([]);
  });

  it('opens without them, naming a weight file too short for what is listed in it', async () => {
    const { backend, root } = await setUp();
    const dir = path.join(root, 'cnn');
    const files = ['group1-shard1of2.bin', 'group1-shard2of2.bin'].map((name) => ({ name, data: Buffer.alloc(8).toString('base64') }));
    const opened = await backend.call('project.open', { text: await readFile(path.join(dir, 'model.json'), 'utf8'), fileName: 'model.json', files });
    expect(opened.warnings.join(' ')).toMatch(/model\.json: the weight files group1-shard1of2\.bin, group1-shard2of2\.bin hold 16 bytes but the weights listed with them need \d+: are they the files saved with this model\.json\?/);
  });

  it('names every layer whose weights do not fit, with both shapes', async () => {
    const { backend, modelFile } = await setUp();
    const json = JSON.parse(await readFile(modelFile, 'utf8'));
    const layers = json.modelTopology.config.layers as Array<{ class_name: string; config: Record<string, unknown> }>;
    layers.find((l) => l.config.name === 'conv1')!.config.filters = 8;
    await writeFile(modelFile, JSON.stringify(json));
    const opened = (await backend.call('projects.open', { path: modelFile })) as Extract<ResultOf<'projects.open'>, { project: unknown }>;
    expect(opened.weights).toBeUndefined();
    expect(opened.warnings).toContain(
      'The weights were not imported: model.json: its weights do not fit the network (3 problems): layer conv1: the file\'s kernel is 3×3×1×4 but the layer needs 3×3×1×8; layer conv1: the file\'s bias is 4 but the layer needs 8; layer head: the file\'s kernel is 676×10 but the layer needs 1352×10.',
    );
  });

  it('refuses a weight file named outside the model file\'s folder', async () => {
    const { backend, modelFile } = await setUp();
    const json = JSON.parse(await readFile(modelFile, 'utf8'));
    json.weightsManifest[0].paths[0] = '../secret.bin';
    await writeFile(modelFile, JSON.stringify(json));
    const opened = (await backend.call('projects.open', { path: modelFile })) as Extract<ResultOf<'projects.open'>, { project: unknown }>;
    expect(opened.warnings.join(' ')).toContain('model.json names the weight file "../secret.bin", which is not beside it');
  });
});

describe('a run started from weights', () => {
  it('takes them layer by layer by name, starts a new head fresh, says which, and keeps frozen layers as they came', async () => {
    const { backend, modelFile } = await setUp();
    const opened = (await backend.call('projects.open', { path: modelFile })) as Extract<ResultOf<'projects.open'>, { project: unknown }>;
    // The head is replaced by a new one of another name, and the base is frozen.
    const graph = setFrozen(opened.project.graph, ['conv1'], true);
    const head = graph.nodes.find((n) => n.name === 'head')!;
    const project: Project = {
      ...opened.project,
      graph: { ...graph, nodes: graph.nodes.map((n) => (n === head ? { ...n, name: 'new_head' } : n)) },
      training: { ...opened.project.training, dataset: 'mnist', batchSize: 16 },
    };
    const { until } = collect(backend);
    const { runId } = await backend.call('training.start', { project, config: { epochs: 1, maxBatches: 3, backend: 'cpu', startFrom: { runId: opened.weights!.runId } } });
    const log = await until((e) => e.type === 'log' && e.runId === runId);
    expect(log).toMatchObject({ level: 'info', message: 'Started from the saved weights: conv1 took them. Starting fresh: new_head (the weights have no kernel, the weights have no bias).' });
    const done = await until((e) => (e.type === 'done' || e.type === 'error') && e.runId === runId);
    expect(done).toMatchObject({ type: 'done', reason: 'completed' });
    expect(done.type === 'done' && done.history[0]!.epoch).toBe(1);
    await backend.flushRuns();

    const runs = await backend.call('runs.list', { projectName: project.name });
    const trained = runs.find((r) => r.runId === runId)!;
    expect(trained.settings.startedFrom).toBe(opened.weights!.runId);
    const imported = runs.find((r) => r.status === 'imported')!;
    const before = await withCheckpoint(project, checkpointFile(imported.dir, 'last'));
    const after = await withCheckpoint(project, checkpointFile(trained.dir, 'last'));
    const values = (m: tf.LayersModel, layer: string) => m.getLayer(layer).getWeights().map((w) => Array.from(w.dataSync()));
    expect(values(after.model, 'conv1')).toEqual(values(before.model, 'conv1'));
    expect(after.taken.took).toEqual(['conv1', 'new_head']);
  });

  it('is refused with the run it names when that run is not there, and with resumeFrom at once', async () => {
    const { backend, modelFile } = await setUp();
    const opened = (await backend.call('projects.open', { path: modelFile })) as Extract<ResultOf<'projects.open'>, { project: unknown }>;
    const project = opened.project;
    await expect(backend.call('training.start', { project, config: { startFrom: { runId: 'nope' } } })).rejects.toThrow(`No saved run nope of "${project.name}" to start from.`);
    const from = { runId: opened.weights!.runId };
    await expect(backend.call('training.start', { project, config: { startFrom: from, resumeFrom: from } })).rejects.toThrow('not both');
  });
});

describe('a TensorFlow.js Sequential of Sequentials', () => {
  it('brings each nested layer its own weights, though tfjs names them alike and the import renames one', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-nested-'));
    const dense = (name: string, units: number, inputShape?: number[]) => tf.layers.dense({ name, units, activation: 'tanh', ...(inputShape ? { inputShape } : {}) });
    const original = tf.sequential({
      name: 'outer',
      layers: [tf.sequential({ name: 'base', layers: [dense('dense', 5, [4]), dense('middle', 3)] }), tf.sequential({ name: 'top', layers: [dense('dense', 2, [3])] })],
    });
    await original.save(
      tf.io.withSaveHandler(async (artifacts) => {
        await writeFile(path.join(root, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
        const json = { format: 'layers-model', modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] };
        await writeFile(path.join(root, 'model.json'), JSON.stringify(json));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    backend = new Backend({ launcher: forkLauncher, runsDir: path.join(root, 'runs'), stateDir: path.join(root, 'state'), trustAllPaths: true });
    const opened = (await backend.call('projects.open', { path: path.join(root, 'model.json') })) as Extract<ResultOf<'projects.open'>, { project: unknown }>;
    expect(opened.warnings.filter((w) => w.startsWith('The weights'))).toEqual([]);
    // Each nested model is a block, and its layers are named after it.
    expect(opened.project.graph.blocks?.map((b) => b.name)).toEqual(['base', 'top']);
    expect(opened.weights?.layers).toEqual(['base_dense', 'base_middle', 'top_dense_2']);
    const [run] = await backend.call('runs.list', { projectName: opened.project.name });
    const { model } = await withCheckpoint(opened.project, checkpointFile(run!.dir, 'last'));
    const x = tf.randomUniform([3, 4], -1, 1, 'float32', 5);
    expect(predicted(model, x)).toEqual(predicted(original, x));
  });
});

describe('a TensorFlow.js model.json whose weights are stored quantized or in float16', () => {
  /** A Dense 4→2 saved by tfjs, its manifest rewritten to store the kernel as `kernel` says and the bias in float16. */
  async function stored(kernel: { quantization: Record<string, unknown>; bytes: Uint8Array }) {
    const model = tf.sequential({ name: 'small', layers: [tf.layers.dense({ name: 'head', inputShape: [4], units: 2 })] });
    let json: Record<string, unknown> = {};
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        json = { format: 'layers-model', modelTopology: artifacts.modelTopology };
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    // 1, -2 in float16.
    const bias = new Uint8Array(new Uint16Array([0x3c00, 0xc000]).buffer);
    const weights = [
      { name: 'head/kernel', shape: [4, 2], dtype: 'float32', quantization: kernel.quantization },
      { name: 'head/bias', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } },
    ];
    json.weightsManifest = [{ paths: ['weights.bin'], weights }];
    const data = new Uint8Array(kernel.bytes.byteLength + bias.byteLength);
    data.set(kernel.bytes);
    data.set(bias, kernel.bytes.byteLength);
    return { text: JSON.stringify(json), files: [{ name: 'weights.bin', data: Buffer.from(data).toString('base64') }] };
  }

  it('brings uint8 weights back as min + q × scale and float16 ones widened to float32', async () => {
    const { backend } = await setUp();
    const q = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 255]);
    const { text, files } = await stored({ quantization: { dtype: 'uint8', min: -1, scale: 0.5 }, bytes: q });
    const opened = await backend.call('project.open', { text, fileName: 'model.json', files });
    expect(opened.warnings).toEqual([]);
    expect(opened.weights?.layers).toEqual(['head']);
    const [run] = await backend.call('runs.list', { projectName: opened.project.name });
    const { model } = await withCheckpoint(opened.project, checkpointFile(run!.dir, 'last'));
    const [k, b] = model.getLayer('head').getWeights().map((w) => Array.from(w.dataSync()));
    expect(k).toEqual([-1, -0.5, 0, 0.5, 1, 1.5, 2, 126.5]);
    expect(b).toEqual([1, -2]);
  });

  it('brings uint16 weights back, and opens without weights quantized without min and scale, naming the weight and its dtype', async () => {
    const { backend } = await setUp();
    const q16 = new Uint8Array(Uint16Array.from([0, 1, 2, 3, 4, 5, 6, 1000]).buffer);
    const good = await stored({ quantization: { dtype: 'uint16', min: 10, scale: 0.25 }, bytes: q16 });
    const opened = await backend.call('project.open', { text: good.text, fileName: 'model.json', files: good.files });
    const [run] = await backend.call('runs.list', { projectName: opened.project.name });
    const { model } = await withCheckpoint(opened.project, checkpointFile(run!.dir, 'last'));
    expect(Array.from(model.getLayer('head').getWeights()[0]!.dataSync())).toEqual([10, 10.25, 10.5, 10.75, 11, 11.25, 11.5, 260]);

    const bad = await stored({ quantization: { dtype: 'uint8' }, bytes: new Uint8Array(8) });
    const without = await backend.call('project.open', { text: bad.text, fileName: 'model.json', files: bad.files });
    expect(without.project.graph.nodes.map((n) => n.type)).toEqual(['Input', 'Dense']);
    expect(without.weights).toBeUndefined();
    expect(without.warnings).toContain(
      'The weights were not imported: model.json: the weight head/kernel (dtype float32 quantized as uint8) cannot be read: its "quantization" has no numeric "min" and "scale" to turn the stored numbers back into values.',
    );
  });

  it('names the weights of the file that no layer of the network took', async () => {
    const { backend } = await setUp();
    const { text, files } = await stored({ quantization: { dtype: 'uint8', min: 0, scale: 1 }, bytes: new Uint8Array(8) });
    const json = JSON.parse(text);
    json.weightsManifest[0].weights.push({ name: 'extra/kernel', shape: [1], dtype: 'float32' });
    const data = Buffer.concat([Buffer.from(files[0]!.data, 'base64'), Buffer.alloc(4)]);
    const opened = await backend.call('project.open', { text: JSON.stringify(json), fileName: 'model.json', files: [{ name: 'weights.bin', data: data.toString('base64') }] });
    expect(opened.weights).toBeUndefined();
    expect(opened.warnings.join(' ')).toContain('the file has weights for a layer the network does not have: "extra/kernel"');
  });
});
