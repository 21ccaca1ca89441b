import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomizeWeights, templates } from './harness.js';
import { expectSameWeights, savedRun, tfjsWeights, weightsOf } from './saved-run.js';
import { Backend } from '../../../../electron/backend/backend.js';
import { RunNotExportable, runToExport, type ExportPart } from '../../../../electron/export/run.js';
import { checkpointFile, saveCheckpoint } from '../../../../electron/training/checkpoint.js';
import { forkLauncher } from '../../../../electron/training/launcher.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type { TrainingEvent } from '../../../../shared/api/contract.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { trainingDefaultsSchema, type Project } from '../../../../shared/project/schema.js';
import { chain, node, project } from '../../../fixtures/graphs.js';
import { collect } from '../backend/events.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

let dir = '';
let backend: Backend | undefined;
afterEach(async () => {
  backend?.shutdown();
  await backend?.flushRuns();
  backend = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = '';
});

async function tempDir(): Promise<string> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-export-run-'));
  return dir;
}

/** The MNIST MLP with another hidden width: the project as edited after its run. */
function widened(units: number): Project {
  const edited = project();
  edited.graph = { ...edited.graph, nodes: edited.graph.nodes.map((n) => (n.id === 'hidden' ? { ...n, params: { ...n.params, units } } : n)) };
  return edited;
}

/** Each exported weight by its tfjs name. */
function exportedWeights(part: ExportPart): Map<string, Float32Array> {
  return new Map([...part.model.weights.values()].flat().map((w) => [w.name, w.values]));
}

describe('a run keeps the network it trains (real Backend and Trainer)', () => {
  it('writes project.json into its folder as it starts; the export reads that network and the trained weights after the project changed', async () => {
    backend = new Backend({ launcher: forkLauncher, runsDir: await tempDir() });
    const { until } = collect(backend);
    // Iris: a small dataset, so the run is over in moments.
    const trained = templates().find((t) => t.training.dataset === 'iris')!;
    const { runId } = await backend.call('training.start', { project: trained, config: { epochs: 1, learningRate: 0.01, backend: 'cpu' } });
    const end = await until((e: TrainingEvent) => e.type === 'done' || e.type === 'error');
    expect(end).toMatchObject({ type: 'done', reason: 'completed' });
    await backend.flushRuns();
    const [saved] = await backend.call('runs.list', { projectName: trained.name });
    expect(saved).toMatchObject({ runId, checkpoints: { last: 1, best: 1 } });
    expect(JSON.parse(await readFile(path.join(saved!.dir, 'project.json'), 'utf8'))).toEqual(trained);

    const edited = { ...trained, graph: { ...trained.graph, nodes: trained.graph.nodes.map((n) => (n.id === 'hidden' ? { ...n, params: { ...n.params, units: 64 } } : n)) } };
    const [part, ...more] = await runToExport(saved!, { current: edited });
    expect(more).toEqual([]);
    expect(part!.folder).toBe('');
    expect(part!.model.graph).toEqual(trained.graph);
    expect(part!.model.runId).toBe(runId);
    // The run's own settings, not the project's defaults (0.02).
    expect(part!.model.settings.learningRate).toBe(0.01);
    expect(part!.model.weights.get('hidden')!.map((w) => w.shape)).toEqual([[4, 16], [16]]);
    expectSameWeights(exportedWeights(part!), await tfjsWeights(path.join(saved!.dir, 'model.model.json')));
  });
});

describe('a saved run as networks to export', () => {
  it('of a run saved before its network was kept: uses the project as it is now, and names the weights a changed network no longer fits', async () => {
    const runsDir = await tempDir();
    const { record, models } = await savedRun(runsDir, project(), { keepProject: false });
    const [part] = await runToExport(record, { current: project() });
    expectSameWeights(exportedWeights(part!), weightsOf(models.get('model')!));

    const changed = runToExport(record, { current: widened(64) });
    await expect(changed).rejects.toBeInstanceOf(RunNotExportable);
    await expect(changed).rejects.toMatchObject({ kind: 'network', message: expect.stringContaining('weight "hidden/kernel" has shape 784×128 but the network expects 784×64: the network was changed since this checkpoint') });
    await expect(runToExport(record)).rejects.toThrow('Run run-1 was saved without the network it trained: open its project and export from there.');
  });

  it('reads the best checkpoint when the run kept one, the last when asked or when there is no best, and says when there is neither', async () => {
    const runsDir = await tempDir();
    const { record, models } = await savedRun(runsDir, project());
    const best = weightsOf(models.get('model')!);
    // Later epochs went on from the best one: the last checkpoint holds other weights.
    const model = models.get('model')!;
    randomizeWeights(model, 99);
    await saveCheckpoint([checkpointFile(record.dir, 'last')], [{ name: 'model', model, optimizer: tf.train.adam() }], { epoch: 2, history: [], bestLoss: 1, step: 6 });
    const last = weightsOf(model);
    expectSameWeights(exportedWeights((await runToExport(record))[0]!), best);
    expectSameWeights(exportedWeights((await runToExport(record, { checkpoint: 'last' }))[0]!), last);

    const onlyLast = await savedRun(runsDir, project(), { runId: 'run-2', kinds: ['last'] });
    expectSameWeights(exportedWeights((await runToExport(onlyLast.record))[0]!), weightsOf(onlyLast.models.get('model')!));
    await expect(runToExport(onlyLast.record, { checkpoint: 'best' })).rejects.toMatchObject({ kind: 'missing', message: expect.stringContaining('Run run-2 has no best checkpoint') });

    const none = await savedRun(runsDir, project(), { runId: 'run-3', kinds: [] });
    await expect(runToExport(none.record)).rejects.toMatchObject({
      kind: 'missing',
      message: 'Run run-3 has no last checkpoint: it ended before finishing an epoch, so it has no trained weights to export.',
    });
  });

  it('of a GAN: the generator at the top, the discriminator under discriminator/, each with its own weights, found without the roles being named', async () => {
    const graph: Graph = {
      nodes: [...gen().nodes, ...disc().nodes],
      edges: [...gen().edges, ...disc().edges],
    };
    const gan: Project = {
      schemaVersion: 1,
      name: 'tiny gan',
      description: '',
      graph,
      training: trainingDefaultsSchema.parse({ dataset: 'mnist', task: 'gan', loss: 'binaryCrossentropy', metrics: [], optimizer: 'adam', learningRate: 0.0002, batchSize: 16, epochs: 1 }),
    };
    const { record, models } = await savedRun(await tempDir(), gan, { kinds: ['last'], dataShape: [4, 4, 1] });
    const parts = await runToExport(record);
    expect(parts.map((p) => [p.folder, p.model.name, p.model.graph.nodes.map((n) => n.id)])).toEqual([
      ['', 'tiny_gan_generator', ['noise', 'g_dense', 'g_shape']],
      ['discriminator', 'tiny_gan_discriminator', ['image', 'd_flat', 'd_score']],
    ]);
    expectSameWeights(exportedWeights(parts[0]!), weightsOf(models.get('generator')!));
    expectSameWeights(exportedWeights(parts[1]!), weightsOf(models.get('discriminator')!));
  });
});

function gen(): Graph {
  return chain(node('noise', 'Input', { shape: [8] }), node('g_dense', 'Dense', { units: 16, activation: 'tanh' }), node('g_shape', 'Reshape', { targetShape: [4, 4, 1] }));
}

function disc(): Graph {
  const d = chain(node('image', 'Input', { shape: [4, 4, 1] }), node('d_flat', 'Flatten'), node('d_score', 'Dense', { units: 1, activation: 'sigmoid' }));
  return { nodes: d.nodes, edges: d.edges.map((e) => ({ ...e, id: `d${e.id}` })) };
}
