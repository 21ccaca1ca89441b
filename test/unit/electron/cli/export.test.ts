import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../../../electron/export/npy.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import { maxDifference, pythonWith, runPython } from '../export/harness.js';

const TEMPLATE = 'templates/mlp-iris.netcanvas.json';

/** The real CLI, several at once if need be; killed after `timeout` ms. */
function netcanvas(args: string[], timeout = 180_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/netcanvas.js', ...args], { timeout, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir = '';
let file = '';
let runId = '';
let runDir = '';

beforeAll(async () => {
  await selectBackend('cpu');
  dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-cli-export-'));
  file = path.join(dir, 'iris.netcanvas.json');
  await copyFile(TEMPLATE, file);
  const trained = await netcanvas(['train', file, '--epochs', '1', '--max-batches', '3', '--backend', 'cpu', '--json']);
  expect(trained.code, trained.stderr).toBe(0);
  ({ runId, runDir } = JSON.parse(trained.stdout));
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A TensorFlow.js export loaded as tfjs's loader would, from its folder. */
async function loadTfjs(folder: string): Promise<tf.LayersModel> {
  const json = JSON.parse(await readFile(path.join(folder, 'model.json'), 'utf8'));
  const group = json.weightsManifest[0];
  const bytes = Buffer.concat(await Promise.all((group.paths as string[]).map((p) => readFile(path.join(folder, p)))));
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: group.weights, weightData }));
}

/** The float32 values of a .npy file NumPy wrote. */
async function readNpy(npy: string): Promise<Float32Array> {
  const bytes = await readFile(npy);
  const headerLength = bytes.readUInt16LE(8);
  const body = bytes.subarray(10 + headerLength);
  return new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
}

const INPUTS = Float32Array.from({ length: 5 * 4 }, (_, i) => Math.sin(i) * 2);

// Each test starts the CLI a few times; with other test files sharing the cores, that can take a while.
const SLOW = 240_000;

describe('netcanvas export --run: a trained run with its weights (real CLI, real short run)', () => {
  it('writes TensorFlow.js files holding the run’s trained weights, and lists them', async () => {
    const out = path.join(dir, 'web');
    const { code, stdout, stderr } = await netcanvas(['export', file, '--run', runId, '--format', 'tfjs', '--out', out]);
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(`Wrote TensorFlow.js (model.json and weights) of run ${runId} of "MLP on Iris" to ${out}:`);
    expect(lines).toEqual(expect.arrayContaining(['  model.json', '  group1-shard1of1.bin', '  README.md', `More in ${out}/README.md`]));
    expect(stderr).toBe('');
    // The weights the Trainer itself wrote at the run's end are the ones exported.
    const exported = await loadTfjs(out);
    const finalJson = JSON.parse(await readFile(path.join(runDir, 'model.model.json'), 'utf8'));
    const finalBytes = await readFile(path.join(runDir, 'model.weights.bin'));
    const final = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: finalJson.modelTopology, weightSpecs: finalJson.weightsManifest[0].weights, weightData: finalBytes.buffer.slice(finalBytes.byteOffset, finalBytes.byteOffset + finalBytes.byteLength) }),
    );
    const x = tf.tensor(INPUTS, [5, 4]);
    expect(Array.from((exported.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((final.predict(x) as tf.Tensor).dataSync()));
  }, SLOW);

  it('writes PyTorch files and prints the command to run next, which predicts as the run does', async () => {
    const out = path.join(dir, 'torch');
    const { code, stdout, stderr } = await netcanvas(['export', file, '--run', runId, '--format', 'pytorch', '--out', out, '--checkpoint', 'last']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`  model.py\n`);
    expect(stdout).toContain(`Predict: cd ${out} && python predict.py in.npy out.npy\n`);
    expect(stdout).toContain(`Train on one CPU or GPU: cd ${out} && python train.py\n`);
    expect(stdout).toContain(`Train on every GPU of a machine with GPUs: cd ${out} && torchrun --standalone --nproc_per_node=gpu train.py\n`);
    for (const name of ['model.py', 'weights.safetensors', 'predict.py', 'train.py']) expect(existsSync(path.join(out, name)), name).toBe(true);
    const check = pythonWith(['torch', 'numpy']);
    if (check.skip !== null) return console.warn(`The printed predict command is not run: ${check.skip}`);
    await writeFile(path.join(out, 'in.npy'), encodeNpy(INPUTS, [5, 4]));
    runPython(check.python, ['predict.py', 'in.npy', 'out.npy'], { cwd: out });
    const web = await netcanvas(['export', file, '--run', runId, '--format', 'tfjs', '--out', path.join(dir, 'web-last'), '--checkpoint', 'last']);
    expect(web.code, web.stderr).toBe(0);
    const expected = (await loadTfjs(path.join(dir, 'web-last'))).predict(tf.tensor(INPUTS, [5, 4])) as tf.Tensor;
    expect(maxDifference(await readNpy(path.join(out, 'out.npy')), expected.dataSync())).toBeLessThan(1e-5);
  }, SLOW);

  it('explains a run that is not there, a format that holds no weights, and --checkpoint without a run', async () => {
    const [unknown, architecture, checkpoint, badCheckpoint] = await Promise.all([
      netcanvas(['export', file, '--run', 'no-such-run', '--format', 'onnx', '--out', path.join(dir, 'x')]),
      netcanvas(['export', file, '--run', runId, '--format', 'keras-json', '--out', path.join(dir, 'x')]),
      netcanvas(['export', file, '--checkpoint', 'best', '--format', 'onnx', '--out', path.join(dir, 'x')]),
      netcanvas(['export', file, '--run', runId, '--checkpoint', 'first', '--format', 'onnx', '--out', path.join(dir, 'x')]),
    ]);
    expect(unknown).toMatchObject({ code: 1, stderr: 'netcanvas: No saved run no-such-run of "MLP on Iris" to export.\n' });
    expect(architecture.code).toBe(2);
    expect(architecture.stderr.split('\n')[0]).toBe('netcanvas: A trained run exports to tfjs, pytorch, onnx, keras; keras-json holds the architecture only: leave out --run for it.');
    expect(checkpoint.code).toBe(2);
    expect(checkpoint.stderr.split('\n')[0]).toBe('netcanvas: --checkpoint picks a checkpoint of the run named by --run <run id>.');
    expect(badCheckpoint.stderr.split('\n')[0]).toBe('netcanvas: --checkpoint must be one of last, best (got "first").');
    expect(existsSync(path.join(dir, 'x'))).toBe(false);
  }, SLOW);
});

describe('netcanvas export without --run', () => {
  it('writes the architecture JSON for tfjs as before, and an untrained network for PyTorch, saying so', async () => {
    const json = path.join(dir, 'iris.model.json');
    const [architecture, untrained] = await Promise.all([
      netcanvas(['export', file, '--format', 'tfjs', '--out', json]),
      netcanvas(['export', file, '--format', 'pytorch', '--out', path.join(dir, 'fresh')]),
    ]);
    expect(architecture).toMatchObject({ code: 0, stdout: `Wrote TensorFlow.js model.json of "MLP on Iris" to ${json}\n` });
    expect(JSON.parse(await readFile(json, 'utf8'))).toMatchObject({ format: 'layers-model' });
    expect(untrained.code, untrained.stderr).toBe(0);
    expect(untrained.stdout.split('\n')[0]).toBe('No --run given: this is "MLP on Iris" untrained, with fresh random weights (add --run <run id> to export a trained run\'s).');
    expect(existsSync(path.join(dir, 'fresh', 'weights.safetensors'))).toBe(true);
  }, SLOW);

  it('is in the help, with --run and every format', async () => {
    const { stdout } = await netcanvas(['help']);
    expect(stdout).toContain('netcanvas export <file> --run <run id> --format tfjs|pytorch|onnx|keras --out <folder> [--checkpoint best|last]');
    expect(stdout).toContain('netcanvas export <file> --format tfjs|pytorch|onnx|keras|keras-json|tfjs-json --out <path>');
  }, SLOW);
});
