import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compiledWithRandomWeights } from './harness.js';
import { expectSameWeights, savedRun, tfjsWeights, weightsOf } from './saved-run.js';
import { Backend } from '../../../../electron/backend/backend.js';
import type { ProjectDialogs } from '../../../../electron/backend/projects.js';
import { ExportRefused } from '../../../../electron/export/model.js';
import { exportModelTo, exportRun, nextSteps } from '../../../../electron/export/targets.js';
import { forkLauncher } from '../../../../electron/training/launcher.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { trainingDefaultsSchema, type Project } from '../../../../shared/project/schema.js';
import { chain, node, project } from '../../../fixtures/graphs.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

let dir = '';
let backend: Backend | undefined;
afterEach(async () => {
  backend?.shutdown();
  backend = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = '';
});

async function tempDir(): Promise<string> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-export-targets-'));
  return dir;
}

/** Padding ids skipped by the LSTM after them: neither PyTorch's export nor ONNX's can carry that. */
function maskedText(): Project {
  const graph = chain(
    node('tokens', 'Input', { shape: [6] }),
    node('emb', 'Embedding', { inputDim: 20, outputDim: 4, maskZero: true }),
    node('lstm', 'LSTM', { units: 3 }),
    node('out', 'Dense', { units: 2, activation: 'softmax' }),
  );
  return { ...project(graph), name: 'masked text' };
}

function tinyGan(): Project {
  const g = chain(node('noise', 'Input', { shape: [8] }), node('g_dense', 'Dense', { units: 16, activation: 'tanh' }), node('g_shape', 'Reshape', { targetShape: [4, 4, 1] }));
  const d = chain(node('image', 'Input', { shape: [4, 4, 1] }), node('d_flat', 'Flatten'), node('d_score', 'Dense', { units: 1, activation: 'sigmoid' }));
  const graph: Graph = { nodes: [...g.nodes, ...d.nodes], edges: [...g.edges, ...d.edges.map((e) => ({ ...e, id: `d${e.id}` }))] };
  return {
    schemaVersion: 1,
    name: 'tiny gan',
    description: '',
    graph,
    training: trainingDefaultsSchema.parse({ dataset: 'mnist', task: 'gan', loss: 'binaryCrossentropy', metrics: [], optimizer: 'adam', learningRate: 0.0002, batchSize: 16, epochs: 1 }),
  };
}

describe('exporting a saved run into a folder', () => {
  it('writes the target’s files with the checkpoint’s weights, and returns the paths it wrote', async () => {
    const root = await tempDir();
    const { record, models } = await savedRun(path.join(root, 'runs'), project());
    const out = path.join(root, 'export');
    const written = await exportRun({ run: record, target: 'tfjs', out });
    expect(written.map((f) => path.relative(out, f))).toEqual(expect.arrayContaining(['model.json', 'group1-shard1of1.bin', 'README.md']));
    for (const file of written) expect(existsSync(file), file).toBe(true);
    expectSameWeights(await tfjsWeights(path.join(out, 'model.json')), weightsOf(models.get('model')!));
  });

  it('of a GAN: the generator’s files at the top of the folder, the discriminator’s under discriminator/', async () => {
    const root = await tempDir();
    const { record, models } = await savedRun(path.join(root, 'runs'), tinyGan(), { kinds: ['last'], dataShape: [4, 4, 1] });
    const out = path.join(root, 'export');
    const written = (await exportRun({ run: record, target: 'tfjs', out })).map((f) => path.relative(out, f).split(path.sep).join('/'));
    expect(written).toEqual(expect.arrayContaining(['model.json', 'README.md', 'discriminator/model.json', 'discriminator/README.md']));
    expectSameWeights(await tfjsWeights(path.join(out, 'model.json')), weightsOf(models.get('generator')!));
    expectSameWeights(await tfjsWeights(path.join(out, 'discriminator', 'model.json')), weightsOf(models.get('discriminator')!));
  });

  it('refuses a network the target cannot express before writing anything, naming each layer and why', async () => {
    const out = path.join(await tempDir(), 'export');
    const { exported } = await compiledWithRandomWeights(maskedText().graph, 3, maskedText());
    const refused = exportModelTo(exported, 'pytorch', out);
    await expect(refused).rejects.toBeInstanceOf(ExportRefused);
    await expect(refused).rejects.toThrow(/Embedding "emb": .*LSTM "lstm"/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('what to run next, as the CLI prints it', () => {
  it('names the scripts the export holds, with the folder quoted for a shell where it needs to be', () => {
    expect(nextSteps('/tmp/my export', ['model.py', 'predict.py', 'train.py', 'README.md'])).toEqual([
      "Predict: cd '/tmp/my export' && python predict.py in.npy out.npy",
      "Train on one CPU or GPU: cd '/tmp/my export' && python train.py",
      "Train on every GPU of a machine with GPUs: cd '/tmp/my export' && torchrun --standalone --nproc_per_node=gpu train.py",
      "More in '/tmp/my export/README.md'",
    ]);
    // A GAN's export: no train.py, so no training lines.
    expect(nextSteps('/tmp/gan', ['model.py', 'predict.py', 'README.md', 'discriminator/model.py'])).toEqual([
      'Predict: cd /tmp/gan && python predict.py in.npy out.npy',
      'More in /tmp/gan/README.md',
    ]);
    expect(nextSteps('/tmp/web', ['model.json', 'group1-shard1of1.bin'])).toEqual([]);
  });
});

/** The desktop's dialogs, answering the export folder question with `answers` in turn. */
function dialogs(answers: (string | null)[]): ProjectDialogs & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    open: () => Promise.resolve(null),
    save: () => Promise.resolve(null),
    chooseExportFolder: (name) => {
      asked.push(name);
      return Promise.resolve(answers.shift() ?? null);
    },
  };
}

describe('runs.export through the Backend', () => {
  it('in browser mode: into the projects folder’s exports/, never into a folder the page names', async () => {
    const root = await tempDir();
    const runsDir = path.join(root, 'runs');
    const projectsDir = path.join(root, 'projects');
    await savedRun(runsDir, project());
    backend = new Backend({ launcher: forkLauncher, runsDir, projectsDir, stateDir: path.join(root, 'state') });
    const result = await backend.dispatch('runs.export', { projectName: 'test network', runId: 'run-1', target: 'tfjs' });
    const folder = path.join(projectsDir, 'exports', 'test-network-run-1-tfjs');
    expect(result).toEqual({ ok: true, value: { folder, files: expect.arrayContaining(['model.json', 'group1-shard1of1.bin', 'README.md']) } });
    if (!result.ok || 'cancelled' in (result.value as object)) return;
    for (const file of (result.value as { files: string[] }).files) expect(existsSync(path.join(folder, file)), file).toBe(true);

    const elsewhere = path.join(root, 'elsewhere');
    const forbidden = await backend.dispatch('runs.export', { projectName: 'test network', runId: 'run-1', target: 'tfjs', out: elsewhere });
    expect(forbidden).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('Only the netcanvas command names the folder') } });
    expect(existsSync(elsewhere)).toBe(false);
  });

  it('on the desktop: into the folder chosen in the dialog; a closed dialog writes nothing', async () => {
    const root = await tempDir();
    const runsDir = path.join(root, 'runs');
    await savedRun(runsDir, project());
    const chosen = path.join(root, 'chosen');
    const native = dialogs([chosen, null]);
    backend = new Backend({ launcher: forkLauncher, runsDir, projectsDir: path.join(root, 'projects'), stateDir: path.join(root, 'state'), dialogs: native });
    const request = { projectName: 'test network', runId: 'run-1', target: 'tfjs' as const };
    expect(await backend.call('runs.export', request)).toEqual({ folder: chosen, files: expect.arrayContaining(['model.json']) });
    expect(existsSync(path.join(chosen, 'model.json'))).toBe(true);
    expect(native.asked).toEqual(['test-network-run-1-tfjs']);
    await rm(chosen, { recursive: true });
    expect(await backend.call('runs.export', request)).toEqual({ cancelled: true });
    expect(existsSync(chosen)).toBe(false);
  });

  it('says which run is unknown, which has no weights, and which layers a target refuses, before asking for a folder', async () => {
    const root = await tempDir();
    const runsDir = path.join(root, 'runs');
    await savedRun(runsDir, maskedText());
    await savedRun(runsDir, maskedText(), { runId: 'run-2', kinds: [] });
    const native = dialogs([path.join(root, 'chosen')]);
    backend = new Backend({ launcher: forkLauncher, runsDir, projectsDir: path.join(root, 'projects'), stateDir: path.join(root, 'state'), dialogs: native });
    const ask = (runId: string, target: 'tfjs' | 'pytorch') => backend!.dispatch('runs.export', { projectName: 'masked text', runId, target });
    expect(await ask('run-9', 'tfjs')).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No saved run run-9 of "masked text" to export.' } });
    expect(await ask('run-2', 'tfjs')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('Run run-2 has no last checkpoint') } });
    const refused = await ask('run-1', 'pytorch');
    expect(refused).toMatchObject({ ok: false, error: { code: 'EXPORT_REFUSED', message: expect.stringMatching(/^PyTorch cannot express one layer of this network\. Embedding "emb": .*Mask zero/) } });
    expect(native.asked).toEqual([]);
  });

  it('tells the CLI in words when the folder it names cannot be written', async () => {
    const root = await tempDir();
    const runsDir = path.join(root, 'runs');
    await savedRun(runsDir, project());
    const file = path.join(root, 'a-file');
    await writeFile(file, 'not a folder');
    backend = new Backend({ launcher: forkLauncher, runsDir, trustAllPaths: true, stateDir: path.join(root, 'state') });
    const result = await backend.dispatch('runs.export', { projectName: 'test network', runId: 'run-1', target: 'tfjs', out: path.join(file, 'export') });
    expect(result).toMatchObject({ ok: false, error: { code: 'IO', message: expect.stringContaining(`Could not write ${path.join(file, 'export')}: part of the path`) } });
  });
});
