import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeH5, type H5File } from '../../../../electron/data/h5.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';

let dir = '';
let env: NodeJS.ProcessEnv = {};

/** The real CLI, with its runs, recent list and recovery copies in the test's own folder. */
function netcanvas(args: string[], timeout = 180_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/netcanvas.js', ...args], { timeout, killSignal: 'SIGKILL', env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** What tfjs's own file saver writes: model.json naming model.weights.bin beside it. */
async function saveTfjs(model: tf.LayersModel, folder: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightsManifest = [{ paths: ['model.weights.bin'], weights: artifacts.weightSpecs }];
      const json = { modelTopology: artifacts.modelTopology, format: artifacts.format, generatedBy: artifacts.generatedBy, convertedBy: artifacts.convertedBy, weightsManifest };
      await writeFile(path.join(folder, 'model.json'), JSON.stringify(json));
      await writeFile(path.join(folder, 'model.weights.bin'), Buffer.from(artifacts.weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return path.join(folder, 'model.json');
}

/** A list of byte strings, as h5py writes a NumPy array of them. */
function byteStrings(target: Pick<H5File, 'create_attribute'>, name: string, values: readonly string[]): void {
  target.create_attribute(name, [...values], [values.length], `S${Math.max(1, ...values.map((v) => v.length))}`);
}

const denseConfig = (name: string, units: number, activation: string) => ({
  class_name: 'Dense',
  config: {
    name, trainable: true, dtype: 'float32', units, activation, use_bias: true,
    kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} },
    kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
  },
});

/** What Keras 2's `model.save('x.h5')` writes for a 4 → 8 → 3 Sequential. */
function kerasH5(): Promise<Uint8Array> {
  const config = {
    class_name: 'Sequential',
    config: {
      name: 'iris_h5',
      layers: [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'hidden_input' } },
        denseConfig('hidden', 8, 'relu'),
        denseConfig('head', 3, 'softmax'),
      ],
    },
  };
  const layers = [
    { name: 'hidden', weights: [{ name: 'hidden/kernel:0', shape: [4, 8] }, { name: 'hidden/bias:0', shape: [8] }] },
    { name: 'head', weights: [{ name: 'head/kernel:0', shape: [8, 3] }, { name: 'head/bias:0', shape: [3] }] },
  ];
  return writeH5((file) => {
    file.create_attribute('keras_version', '2.15.0', [], 'S6');
    file.create_attribute('backend', 'tensorflow', [], 'S10');
    file.create_attribute('model_config', JSON.stringify(config));
    const group = file.create_group('model_weights');
    byteStrings(group, 'layer_names', layers.map((l) => l.name));
    group.create_attribute('backend', 'tensorflow', [], 'S10');
    group.create_attribute('keras_version', '2.15.0', [], 'S6');
    for (const layer of layers) {
      const g = group.create_group(layer.name);
      byteStrings(g, 'weight_names', layer.weights.map((w) => w.name));
      const inner = g.create_group(layer.name);
      for (const w of layer.weights) {
        const size = w.shape.reduce((a, b) => a * b, 1);
        inner.create_dataset({ name: w.name.split('/')[1]!, data: Float32Array.from({ length: size }, (_, i) => Math.sin(i + size)), shape: w.shape, dtype: '<f' });
      }
    }
  });
}

let tfjsFile = '';
let h5File = '';

beforeAll(async () => {
  await selectBackend('cpu');
  dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-cli-weights-'));
  env = { ...process.env, NETCANVAS_RUNS_DIR: path.join(dir, 'runs'), NETCANVAS_STATE_DIR: path.join(dir, 'state') };
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu', name: 'hidden' }), tf.layers.dense({ units: 3, activation: 'softmax', name: 'head' })],
  });
  tfjsFile = await saveTfjs(model, path.join(dir, 'base'));
  model.dispose();
  h5File = path.join(dir, 'iris.h5');
  await writeFile(h5File, await kerasH5());
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const SLOW = 240_000;
const TRAIN = ['--epochs', '1', '--max-batches', '2', '--dataset', 'iris', '--backend', 'cpu'];

describe('model files with their weights, through the real CLI', () => {
  it('summary reads a model.json saved by tfjs, with its weights file beside it', async () => {
    const { code, stdout, stderr } = await netcanvas(['summary', tfjsFile, '--json']);
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.layers.map((l: { name: string }) => l.name)).toEqual(expect.arrayContaining(['hidden', 'head']));
    expect(`${stdout}${stderr}`).not.toContain('is not there');
  }, SLOW);

  it('summary reads a whole Keras model saved as .h5', async () => {
    const { code, stdout, stderr } = await netcanvas(['summary', h5File, '--json']);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).layers.map((l: { name: string }) => l.name)).toEqual(expect.arrayContaining(['hidden', 'head']));
  }, SLOW);

  it('train starts from a model file’s own weights, --fresh from random ones, and --start-from from a run’s', async () => {
    const own = await netcanvas(['train', tfjsFile, ...TRAIN, '--json']);
    expect(own.code, own.stderr).toBe(0);
    expect(own.stderr).toContain('Starting from the weights that came with model.json (add --fresh to start from random weights).');
    expect(own.stderr).toMatch(/Started from the saved weights: .*hidden.* took them\./);
    expect(own.stderr).not.toContain('is not there');
    const { runId } = JSON.parse(own.stdout);

    const h5 = await netcanvas(['train', h5File, ...TRAIN]);
    expect(h5.code, h5.stderr).toBe(0);
    expect(h5.stderr).toMatch(/Started from the saved weights: .*head.* took them\./);

    const [fresh, started] = await Promise.all([netcanvas(['train', tfjsFile, ...TRAIN, '--fresh']), netcanvas(['train', tfjsFile, ...TRAIN, '--start-from', runId])]);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stderr).not.toContain('Started from the saved weights');
    expect(fresh.stderr).not.toContain('Starting from the weights');
    expect(started.code, started.stderr).toBe(0);
    expect(started.stderr).toMatch(/Started from the saved weights: .*hidden.* took them\./);
    expect(started.stderr).not.toContain('Starting from the weights that came with');
  }, SLOW * 2);

  it('refuses --start-from with --resume or --fresh, and names a run that is not there', async () => {
    const [both, fresh, missing] = await Promise.all([
      netcanvas(['train', tfjsFile, '--resume', 'a', '--start-from', 'b']),
      netcanvas(['train', tfjsFile, '--fresh', '--start-from', 'b']),
      netcanvas(['train', tfjsFile, ...TRAIN, '--start-from', 'no-such-run']),
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr.split('\n')[0]).toBe('netcanvas: --resume continues a run and --start-from starts a new one from its weights: give one of them.');
    expect(fresh.code).toBe(2);
    expect(fresh.stderr.split('\n')[0]).toBe('netcanvas: --fresh starts from random weights; leave it out with --start-from.');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No saved run no-such-run of ');
  }, SLOW);

  it('export says so when --out names a file where the format writes a folder', async () => {
    const file = path.join(dir, 'somefile');
    await writeFile(file, 'x');
    const { code, stderr } = await netcanvas(['export', tfjsFile, '--run', 'r', '--format', 'onnx', '--out', file]);
    expect(code).toBe(1);
    expect(stderr).toBe(`netcanvas: ${file} is a file; --out names a folder for this format.\n`);
  }, SLOW);
});
