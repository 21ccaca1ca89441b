import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Backend } from '../../../../electron/backend/backend.js';
import { encodePng } from '../../../../electron/files/png.js';
import { forkLauncher } from '../../../../electron/training/launcher.js';
import type { TrainingEvent } from '../../../../shared/api/contract.js';
import { datasetSourceSchema, type DatasetSourceInput } from '../../../../shared/data/source.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { chain, node, project } from '../../../fixtures/graphs.js';

let backend: Backend | undefined;
afterEach(() => backend?.shutdown());

async function withBackend() {
  const runsDir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-runs-'));
  backend = new Backend({ launcher: forkLauncher, runsDir, dataRoots: [os.tmpdir()] });
  const events: TrainingEvent[] = [];
  backend.subscribe(({ event }) => events.push(event));
  const end = () =>
    new Promise<TrainingEvent>((resolve) => {
      const timer = setInterval(() => {
        const hit = events.find((e) => e.type === 'done' || e.type === 'error');
        if (hit) {
          clearInterval(timer);
          resolve(hit);
        }
      }, 50);
    });
  return { backend, end };
}

const tempDir = () => mkdtemp(path.join(os.tmpdir(), 'netcanvas-data-'));

/** Two classes of points, a < b or not, with a category column and one row of every kind of trouble. */
async function tableFile(): Promise<string> {
  const rows = ['a,b,colour,label'];
  for (let i = 0; i < 300; i++) {
    const a = (i * 37) % 100;
    const b = (i * 61) % 100;
    rows.push(`${a},${b},${['red', 'green', 'blue'][i % 3]},${a < b ? 'below' : 'above'}`);
  }
  rows.splice(10, 0, '5,7');
  rows.splice(20, 0, '5,seven,red,below');
  const file = path.join(await tempDir(), 'points.csv');
  await writeFile(file, rows.join('\n'));
  return file;
}

/** Bright and dark 8×8 images in class folders, one folder empty and one stray file. */
async function imageFolder(): Promise<string> {
  const dir = await tempDir();
  for (const [name, level] of [['bright', 230], ['dark', 20]] as const) {
    await mkdir(path.join(dir, name));
    for (let i = 0; i < 40; i++) {
      const pixels = Uint8Array.from({ length: 64 }, (_, k) => Math.max(0, Math.min(255, level + ((k * 7 + i * 13) % 30) - 15)));
      await writeFile(path.join(dir, name, `${i}.png`), encodePng(pixels, 8, 8, 1));
    }
  }
  await mkdir(path.join(dir, 'grey'));
  await writeFile(path.join(dir, 'bright', 'readme.txt'), 'these are bright');
  return dir;
}

const tableNet = (inputs: number): Graph => chain(node('in', 'Input', { shape: [inputs] }), node('h', 'Dense', { units: 16, activation: 'relu' }), node('out', 'Dense', { units: 2, activation: 'softmax' }));

async function train(dataset: DatasetSourceInput, graph: Graph, epochs: number) {
  const { backend, end } = await withBackend();
  const p = project(graph, 16);
  p.training = { ...p.training, dataset: datasetSourceSchema.parse(dataset), learningRate: 0.01 };
  await backend.call('training.start', { project: p, config: { epochs } });
  return end();
}

describe('datasets through the Backend', () => {
  it('lists the built-ins', async () => {
    const { backend } = await withBackend();
    const list = await backend.call('datasets.list', {});
    expect(list.find((d) => d.id === 'iris')).toMatchObject({ available: true, kind: 'table', tasks: ['classify'] });
  });

  it('inspects a CSV file: columns, encoded width, and each bad row by line, the rest kept', async () => {
    const { backend } = await withBackend();
    const file = await tableFile();
    const report = await backend.call('datasets.inspect', { dataset: { kind: 'csv', path: file } });
    expect(report).toMatchObject({ kind: 'table', samples: 300, inputShape: [5], classes: ['above', 'below'], tasks: ['classify'] });
    expect(report.problems).toEqual([
      { line: 11, message: expect.stringContaining('has 2 values but the header has 4 columns') },
      { line: 21, message: expect.stringContaining('"seven" in column "b" is not a number') },
    ]);
    expect(report.columns.map((c) => `${c.name}:${c.type}:${c.role}:${c.width}`)).toEqual(['a:number:feature:1', 'b:number:feature:1', 'colour:category:feature:3', 'label:category:target:0']);
  });

  it('previews a table with its original cells', async () => {
    const { backend } = await withBackend();
    const { preview } = await backend.call('datasets.preview', { dataset: { kind: 'csv', path: await tableFile() }, count: 5 });
    expect(preview).toMatchObject({ kind: 'table', columns: ['a', 'b', 'colour', 'label'] });
    if (preview.kind !== 'table') throw new Error('a table preview');
    expect(preview.rows).toHaveLength(5);
    expect(preview.rows[0]).toHaveLength(4);
  });

  it('reports a file that cannot be read as a problem, not an error', async () => {
    const { backend } = await withBackend();
    const report = await backend.call('datasets.inspect', { dataset: { kind: 'csv', path: path.join(os.tmpdir(), 'nowhere', 'points.csv') } });
    expect(report).toMatchObject({ samples: 0, problems: [{ message: expect.stringContaining('points.csv could not be read (ENOENT)') }] });
  });

  it('trains on a CSV file in a real Trainer process', { timeout: 120_000 }, async () => {
    const done = await train({ kind: 'csv', path: await tableFile() }, tableNet(5), 15);
    expect(done.type).toBe('done');
    if (done.type !== 'done') return;
    expect(done.history.at(-1)!.valAcc).toBeGreaterThan(0.85);
  });

  it('refuses to start when the network does not fit the CSV, naming the fix', async () => {
    const { backend } = await withBackend();
    const p = project(tableNet(3), 16);
    p.training.dataset = datasetSourceSchema.parse({ kind: 'csv', path: await tableFile() });
    const result = await backend.dispatch('training.start', { project: p, config: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'GRAPH_ERRORS', message: expect.stringContaining('Input "in" expects (?, 3): set its shape to 5.') } });
  });

  it('trains on an image folder, streamed, with augmentation', { timeout: 120_000 }, async () => {
    const dir = await imageFolder();
    const { backend } = await withBackend();
    const { report, preview } = await backend.call('datasets.preview', { dataset: { kind: 'image-folder', path: dir, size: [8, 8], color: 'gray' }, count: 4, augmentation: { flip: true, shift: 0.1, rotate: 10, noise: 0.05 } });
    expect(report).toMatchObject({ samples: 80, classes: ['bright', 'dark'], inputShape: [8, 8, 1] });
    expect(report.problems.map((p) => p.file)).toEqual(expect.arrayContaining(['grey', expect.stringContaining('readme.txt')]));
    if (preview.kind !== 'images') throw new Error('an image preview');
    expect(preview.labels).toHaveLength(4);
    expect(preview.augmented).not.toBeNull();
    expect(preview.augmented).not.toBe(preview.pixels);
    backend.shutdown();

    const graph = chain(node('in', 'Input', { shape: [8, 8, 1] }), node('f', 'Flatten'), node('out', 'Dense', { units: 2, activation: 'softmax' }));
    const { backend: trainer, end } = await withBackend();
    const p = project(graph, 16);
    p.training = { ...p.training, dataset: datasetSourceSchema.parse({ kind: 'image-folder', path: dir, size: [8, 8], color: 'gray', testFraction: 0.25 }), augmentation: { flip: true, shift: 0, rotate: 0, noise: 0.02 }, learningRate: 0.05 };
    await trainer.call('training.start', { project: p, config: { epochs: 5 } });
    const done = await end();
    expect(done.type).toBe('done');
    if (done.type !== 'done') return;
    expect(done.history.at(-1)!.valAcc).toBe(1);
  });
});
