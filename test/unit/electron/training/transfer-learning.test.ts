import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../../electron/backend/backend.js';
import { compileGraph } from '../../../../electron/compiler/compile.js';
import { loadMnist } from '../../../../electron/data/mnist.js';
import { encodePng } from '../../../../electron/files/png.js';
import { checkpointFile, loadWeightsByName } from '../../../../electron/training/checkpoint.js';
import { forkLauncher } from '../../../../electron/training/launcher.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type { ResultOf, RunConfig, SavedRun, TrainingEvent } from '../../../../shared/api/contract.js';
import { projectSchema, type Project } from '../../../../shared/project/schema.js';
import { collect } from '../backend/events.js';

let backend: Backend | undefined;
afterEach(() => backend?.shutdown());

beforeAll(async () => {
  // Ten thousand test images through a CNN twice: WebAssembly, several times faster than plain JavaScript.
  await selectBackend('wasm');
}, 60_000);

const template = async (id: string): Promise<Project> => projectSchema.parse(JSON.parse(await readFile(`templates/${id}.netcanvas.json`, 'utf8')));

async function withBackend() {
  const root = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-transfer-'));
  backend = new Backend({ launcher: forkLauncher, runsDir: path.join(root, 'runs'), stateDir: path.join(root, 'state'), trustAllPaths: true });
  const { until } = collect(backend);
  const train = async (project: Project, config: RunConfig): Promise<{ done: TrainingEvent; run: SavedRun }> => {
    const { runId } = await backend!.call('training.start', { project, config: { epochs: 1, backend: 'cpu', ...config } });
    const done = await until((e) => (e.type === 'done' || e.type === 'error') && e.runId === runId);
    await backend!.flushRuns();
    const run = (await backend!.call('runs.list', { projectName: project.name })).find((r) => r.runId === runId)!;
    return { done, run };
  };
  return { root, backend, until, train };
}

/** The network of `project` with a checkpoint's weights, layer by layer by name. */
async function modelWith(project: Project, file: string): Promise<tf.LayersModel> {
  const model = compileGraph(project.graph);
  await loadWeightsByName(file, [{ name: 'model', model, optimizer: tf.train.sgd(0.1) }]);
  return model;
}

const values = (model: tf.LayersModel, layer: string) => model.getLayer(layer).getWeights().map((w) => Array.from(w.dataSync()));

describe('transfer learning', () => {
  it('a CNN trained in NetCanvas, exported to TensorFlow.js and opened with its weights as a new project, scores the same test accuracy', async () => {
    const { root, backend, train } = await withBackend();
    const cnn = await template('cnn-mnist');
    // WebAssembly trains convolutions several times faster than plain JavaScript; a small held-out split keeps validation short.
    const trained = await train(cnn, { maxBatches: 20, backend: 'wasm', validation: { kind: 'split', fraction: 0.01 } });
    expect(trained.done).toMatchObject({ type: 'done', reason: 'completed' });

    // Exported as the netcanvas command does, into a folder of its own, then opened from there as a new project.
    const out = path.join(root, 'exported');
    const exported = (await backend.call('runs.export', { projectName: cnn.name, runId: trained.run.runId, target: 'tfjs', out })) as Extract<ResultOf<'runs.export'>, { folder: string }>;
    expect(exported.folder).toBe(out);
    expect(exported.files).toContain('model.json');
    expect(exported.files.some((f) => f.endsWith('.bin'))).toBe(true);
    const opened = (await backend.call('projects.open', { path: path.join(out, 'model.json') })) as Extract<ResultOf<'projects.open'>, { project: unknown }>;
    expect(opened.importedFrom).toBe('tfjs');
    expect(opened.weights?.layers).toEqual(['conv1', 'conv2', 'hidden', 'output']);
    const imported = (await backend.call('runs.list', { projectName: opened.project.name })).find((r) => r.runId === opened.weights!.runId)!;
    expect(imported.status).toBe('imported');

    // Opening weights puts this process's tfjs on its plain JavaScript backend; the evaluation wants WebAssembly again.
    await selectBackend('wasm');
    const mnist = await loadMnist();
    const count = mnist.test.count;
    const x = tf.tensor4d(mnist.test.features(Array.from({ length: count }, (_, i) => i)), [count, 28, 28, 1]);
    const labels = Array.from(mnist.test.labels!);
    const accuracy = (model: tf.LayersModel) => {
      const guesses = (model.predict(x, { batchSize: 1000 }) as tf.Tensor).argMax(-1).dataSync();
      return labels.filter((label, i) => guesses[i] === label).length / count;
    };
    const original = await modelWith(cnn, checkpointFile(trained.run.dir, 'last'));
    const reopened = await modelWith(opened.project, checkpointFile(imported.dir, 'last'));
    const expected = accuracy(original);
    // Twenty batches are enough to be well past chance: the weights are trained ones.
    expect(expected).toBeGreaterThan(0.5);
    expect(accuracy(reopened)).toBe(expected);
    tf.dispose([x]);
    original.dispose();
    reopened.dispose();
  }, 600_000);

  it('the template, a project of its own, trains its new head on an image folder from a run of the MNIST CNN, its frozen base unchanged', async () => {
    const { root, until, train } = await withBackend();
    // Three classes of small grey images: bright squares in different corners.
    const images = path.join(root, 'images');
    for (const [c, name] of ['top', 'middle', 'bottom'].entries()) {
      await mkdir(path.join(images, name), { recursive: true });
      for (let i = 0; i < 10; i++) {
        const pixels = new Uint8Array(28 * 28).map((_, p) => (Math.floor(p / 28 / 10) === c ? 200 + ((p + i) % 50) : (p * 7 + i) % 40));
        await writeFile(path.join(images, name, `${i}.png`), encodePng(pixels, 28, 28, 1));
      }
    }
    const transfer = await template('transfer-learning-images');
    expect(transfer.graph.nodes.filter((n) => n.frozen).map((n) => n.id)).toEqual(['conv1', 'pool1', 'conv2', 'pool2']);
    const project: Project = { ...transfer, training: { ...transfer.training, dataset: { kind: 'image-folder', path: images, size: [28, 28], color: 'gray', testFraction: 0.2 } } };

    // The base: the MNIST CNN template, another project, trained a few batches on MNIST.
    const cnn = await template('cnn-mnist');
    expect(cnn.name).not.toBe(project.name);
    const base = await train(cnn, { maxBatches: 2, backend: 'wasm', validation: { kind: 'split', fraction: 0.01 } });
    expect(base.done).toMatchObject({ type: 'done', reason: 'completed' });
    // Its runs are not the template's: the run is named with the project whose runs hold it.
    await expect(backend!.call('training.start', { project, config: { epochs: 1, maxBatches: 2, backend: 'cpu', startFrom: { runId: base.run.runId } } })).rejects.toThrow(
      `No saved run ${base.run.runId} of "${project.name}" to start from.`,
    );
    const startFrom = { runId: base.run.runId, projectName: cnn.name };
    const { runId } = await backend!.call('training.start', { project, config: { epochs: 1, maxBatches: 2, backend: 'cpu', startFrom } });
    const log = await until((e) => e.type === 'log' && e.runId === runId);
    expect(log).toMatchObject({ message: expect.stringMatching(/^Started from the saved weights: conv1, conv2 took them\. Starting fresh: /) });
    const done = await until((e) => (e.type === 'done' || e.type === 'error') && e.runId === runId);
    expect(done).toMatchObject({ type: 'done', reason: 'completed' });
    await backend!.flushRuns();
    const run = (await backend!.call('runs.list', { projectName: project.name })).find((r) => r.runId === runId)!;

    const before = await modelWith(cnn, checkpointFile(base.run.dir, 'last'));
    const after = await modelWith(project, checkpointFile(run.dir, 'last'));
    for (const layer of ['conv1', 'conv2']) expect(values(after, layer), layer).toEqual(values(before, layer));
    before.dispose();
    after.dispose();
  }, 600_000);
});
