import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PYTORCH_WRITER } from '../../../../electron/export/pytorch/index.js';
import { trainingFiles, trainingReadme } from '../../../../electron/export/pytorch/train.js';
import { writeFolderFiles } from '../../../../electron/files/export-folder.js';
import { loadBuiltin } from '../../../../electron/data/builtins.js';
import { loadCsv } from '../../../../electron/data/csv.js';
import { supervisedExamples } from '../../../../electron/training/jobs/examples.js';
import { supervisedJob } from '../../../../electron/training/jobs/supervised.js';
import { learningRateAt } from '../../../../electron/training/optimizers.js';
import type { ResolvedRunConfig } from '../../../../electron/training/run-config.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import { csvSourceSchema } from '../../../../shared/data/source.js';
import type { Project } from '../../../../shared/project/schema.js';
import { compiledWithRandomWeights, maxDifference, pythonWith, runPython, templates } from './harness.js';

/**
 * train.py of a PyTorch export, run by a real Python with torch: it trains with the run's
 * settings on one process and on two (Gloo, as torchrun starts them), resumes from its own
 * checkpoint, reads the same data as NetCanvas, and its optimizers and losses follow
 * NetCanvas's step for step.
 */

const check = pythonWith(['torch', 'numpy']);
const python = check.python!;
const folders: string[] = [];

function template(name: string): Project {
  const found = templates().find((t) => t.name.toLowerCase().includes(name));
  if (!found) throw new Error(`no template named like ${name}`);
  return found;
}

/** The PyTorch export of a project's network with seeded random weights, its settings changed by `settings`, written to a new folder. */
async function exportProject(project: Project, settings: Partial<ResolvedRunConfig> = {}, seed = 3) {
  const { model, exported } = await compiledWithRandomWeights(project.graph, seed, project);
  exported.settings = { ...exported.settings, ...settings };
  const folder = mkdtempSync(path.join(tmpdir(), 'netcanvas-train-'));
  folders.push(folder);
  const files = await PYTORCH_WRITER.files(exported);
  await writeFolderFiles(folder, files);
  return { folder, model, exported, files };
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a Python process without blocking, so several run side by side. */
function run(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function expectSuccess(ran: Ran): void {
  if (ran.code !== 0) throw new Error(`train.py exited with ${ran.code}:\n${ran.stdout}\n${ran.stderr}`);
}

interface Row {
  epoch: number;
  loss: number;
  acc: number | null;
  valLoss: number | null;
}

function history(folder: string): Row[] {
  const lines = readFileSync(path.join(folder, 'logs', 'history.csv'), 'utf8').trim().split('\n');
  expect(lines[0]).toBe('epoch,loss,acc,val_loss,val_acc,learning_rate');
  return lines.slice(1).map((line) => {
    const [epoch, loss, acc, valLoss] = line.split(',');
    return { epoch: Number(epoch), loss: Number(loss), acc: acc ? Number(acc) : null, valLoss: valLoss ? Number(valLoss) : null };
  });
}

let mnistExport: ReturnType<typeof exportProject> | null = null;
/** The MNIST MLP's export, written once for the tests that read it. */
const exportMnist = () => (mnistExport ??= exportProject(template('mlp on mnist'), { samplesPerEpoch: 640, batchSize: 32, epochs: 3 }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe.skipIf(check.skip !== null)(`train.py of the PyTorch export${check.skip ? ` (skipped: ${check.skip})` : ''}`, () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('trains the MNIST MLP as one process from fresh weights: the loss falls, last.pt, best.pt and the log are written', { timeout: 240_000 }, async () => {
    const { folder } = await exportMnist();
    const ran = await run(['train.py', '--device', 'cpu'], { cwd: folder });
    expectSuccess(ran);
    expect(ran.stdout.match(/^epoch \d\/3 /gm)).toHaveLength(3);
    const rows = history(folder);
    expect(rows.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(rows[2]!.loss).toBeLessThan(rows[0]!.loss * 0.8);
    expect(rows[2]!.valLoss).not.toBeNull();
    expect(rows[2]!.acc).toBeGreaterThan(0.5);
    expect(existsSync(path.join(folder, 'checkpoints', 'last.pt'))).toBe(true);
    expect(existsSync(path.join(folder, 'checkpoints', 'best.pt'))).toBe(true);
  });

  it('trains as two processes over Gloo, as torchrun starts them: both finish, only rank 0 writes, its loss falls', { timeout: 240_000 }, async () => {
    const { folder } = await exportProject(template('mlp on iris'), { epochs: 6 });
    const port = await freePort();
    const other = mkdtempSync(path.join(tmpdir(), 'netcanvas-rank1-'));
    folders.push(other);
    const env = (rank: number) => ({ WORLD_SIZE: '2', RANK: String(rank), LOCAL_RANK: String(rank), MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port) });
    const [lead, second] = await Promise.all([
      run(['train.py', '--device', 'cpu'], { cwd: folder, env: env(0) }),
      run([path.join(folder, 'train.py'), '--device', 'cpu', '--out', other], { cwd: other, env: env(1) }),
    ]);
    expectSuccess(lead);
    expectSuccess(second);
    expect(second.stdout).not.toMatch(/epoch/);
    expect(existsSync(path.join(other, 'checkpoints'))).toBe(false);
    expect(existsSync(path.join(other, 'logs'))).toBe(false);
    const rows = history(folder);
    expect(rows).toHaveLength(6);
    expect(rows[5]!.loss).toBeLessThan(rows[0]!.loss);
    expect(existsSync(path.join(folder, 'checkpoints', 'last.pt'))).toBe(true);
  });

  it('--resume goes on from the checkpoint epoch and ends where an unbroken run ends; without a checkpoint it says which file it needs', { timeout: 240_000 }, async () => {
    const broken = await exportProject(template('mlp on iris'), { epochs: 4 });
    const whole = await exportProject(template('mlp on iris'), { epochs: 4 });
    const refused = await run(['train.py', '--device', 'cpu', '--resume'], { cwd: broken.folder });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`--resume needs ${path.join(broken.folder, 'checkpoints', 'last.pt')}`);
    const [first, unbroken] = await Promise.all([
      run(['train.py', '--device', 'cpu', '--epochs', '2'], { cwd: broken.folder }),
      run(['train.py', '--device', 'cpu'], { cwd: whole.folder }),
    ]);
    expectSuccess(first);
    expectSuccess(unbroken);
    expect(history(broken.folder).map((r) => r.epoch)).toEqual([1, 2]);
    const resumed = await run(['train.py', '--device', 'cpu', '--resume'], { cwd: broken.folder });
    expectSuccess(resumed);
    expect(resumed.stdout).toContain('resuming after epoch 2');
    expect(resumed.stdout).not.toMatch(/^epoch 1\//m);
    const rows = history(broken.folder);
    expect(rows.map((r) => r.epoch)).toEqual([1, 2, 3, 4]);
    expect(maxDifference(rows.map((r) => r.loss), history(whole.folder).map((r) => r.loss))).toBeLessThan(1e-6);
  });

  it('reads the data NetCanvas reads: MNIST as written into data/, and a CSV file from its path', { timeout: 240_000 }, async () => {
    const mnist = await exportMnist();
    const loaded = await loadBuiltin({ kind: 'builtin', id: 'mnist' });
    const csvFolder = mkdtempSync(path.join(tmpdir(), 'netcanvas-csv-'));
    folders.push(csvFolder);
    const csvPath = path.join(csvFolder, 'pets.csv');
    const rows = ['weight,colour,born,legs,kind'];
    const colours = ['black', 'white', 'ginger'];
    for (let i = 0; i < 60; i++) {
      const weight = i === 7 ? 'NA' : String(2 + ((i * 37) % 23) / 3);
      rows.push(`${weight},${colours[i % 3]},2020-0${1 + (i % 9)}-1${i % 10},${i % 5 === 0 ? 3 : 4},${i % 4 === 0 ? 'dog' : i % 4 === 1 ? 'cat' : 'bird'}`);
    }
    writeFileSync(csvPath, `${rows.join('\n')}\n`);
    const source = csvSourceSchema.parse({ kind: 'csv', path: csvPath, target: 'kind', missing: 'mean' });
    const csvProject: Project = { ...template('mlp on iris'), training: { ...template('mlp on iris').training, dataset: source } };
    const csvFiles = await trainingFiles((await compiledWithRandomWeights(csvProject.graph, 1, csvProject)).exported);
    const csvConfig = JSON.parse(csvFiles.find((f) => f.path === 'train_config.json')!.data as string);
    const netcanvas = await loadCsv(source);

    const mnistConfig = JSON.parse(readFileSync(path.join(mnist.folder, 'train_config.json'), 'utf8'));
    writeFileSync(path.join(mnist.folder, 'specs.json'), JSON.stringify([mnistConfig.data, csvConfig.data]));
    const script = [
      'import json, sys, numpy as np',
      'sys.path.insert(0, ".")',
      'import train_data',
      'specs = json.load(open("specs.json"))',
      'out = []',
      'for spec in specs:',
      '    d = train_data.load(spec)',
      '    out.append({"first": d["train"][0][0].reshape(-1).tolist(), "trainX": d["train"][0].reshape(len(d["train"][0]), -1).tolist() if len(d["train"][0]) < 100 else None,',
      '                "trainY": d["train"][1].tolist(), "testY": d["test"][1].tolist(), "counts": [len(d["train"][0]), len(d["test"][0])]})',
      'print(json.dumps(out))',
    ].join('\n');
    const [fromMnist, fromCsv] = JSON.parse(runPython(python, ['-c', script], { cwd: mnist.folder, timeoutMs: 60_000 })) as {
      first: number[];
      trainX: number[][] | null;
      trainY: number[];
      testY: number[];
      counts: number[];
    }[];

    expect(fromMnist!.counts).toEqual([60_000, 10_000]);
    expect(maxDifference(fromMnist!.first, loaded.train.features([0]))).toBe(0);
    expect(fromMnist!.trainY.slice(0, 100)).toEqual(Array.from(loaded.train.labels!.subarray(0, 100)));
    expect(fromMnist!.testY).toEqual(Array.from(loaded.test.labels!));

    expect(fromCsv!.counts).toEqual([netcanvas.train.count, netcanvas.test.count]);
    const width = netcanvas.inputShape[0]!;
    expect(fromCsv!.trainX![0]).toHaveLength(width);
    expect(maxDifference(fromCsv!.trainX!.flat(), netcanvas.train.features(Array.from({ length: netcanvas.train.count }, (_, i) => i)))).toBeLessThan(1e-5);
    expect(fromCsv!.trainY).toEqual(Array.from(netcanvas.train.labels!));
    expect(fromCsv!.testY).toEqual(Array.from(netcanvas.test.labels!));
  });

  it('steps each optimizer and loss as NetCanvas does: the same losses from the same weights', { timeout: 240_000 }, async () => {
    const iris = template('mlp on iris');
    const data = await loadBuiltin({ kind: 'builtin', id: 'iris' });
    const all = Array.from({ length: data.train.count }, (_, i) => i);
    const cases: Partial<ResolvedRunConfig>[] = [
      { optimizer: 'sgd', learningRate: 0.1, schedule: { kind: 'cosine', minFactor: 0.1 } },
      { optimizer: 'momentum', learningRate: 0.05, momentum: 0.9 },
      { optimizer: 'adam', learningRate: 0.01, schedule: { kind: 'step', everyEpochs: 2, factor: 0.5 } },
      { optimizer: 'adamw', learningRate: 0.01, weightDecay: 0.1 },
      { optimizer: 'rmsprop', learningRate: 0.01, loss: 'sparseCategoricalCrossentropy' },
    ];
    const epochs = 4;
    const results = await Promise.all(
      cases.map(async (change) => {
        // One batch of the whole training split per epoch: the epoch's loss is that step's loss.
        const settings = { ...change, epochs, batchSize: data.train.count };
        const { folder, model, exported } = await exportProject(iris, settings, 11);
        const config = exported.settings;
        const sparse = config.loss === 'sparseCategoricalCrossentropy';
        const job = supervisedJob({
          task: 'classify',
          model,
          config,
          train: supervisedExamples(data.train, [4], { kind: 'classes', numClasses: 3, sparse }),
          validation: null,
          outputIds: exported.inference.outputIds,
        });
        const netcanvas: number[] = [];
        for (let epoch = 1; epoch <= epochs; epoch++) {
          job.setLearningRate(learningRateAt(config.learningRate, config.schedule, epoch, (epoch - 1) / (epochs - 1)));
          netcanvas.push((await job.trainBatch(all)).loss);
        }
        const ran = await run(['train.py', '--device', 'cpu', '--from-weights'], { cwd: folder });
        expectSuccess(ran);
        return { change, netcanvas, torch: history(folder).map((r) => r.loss) };
      }),
    );
    for (const { change, netcanvas, torch } of results) {
      expect(torch, JSON.stringify(change)).toHaveLength(epochs);
      // The losses move apart by at least this much in these steps, so a wrong hyper-parameter shows.
      expect(Math.abs(netcanvas[epochs - 1]! - netcanvas[0]!), JSON.stringify(change)).toBeGreaterThan(0.01);
      expect(maxDifference(torch, netcanvas), JSON.stringify(change)).toBeLessThan(2e-4);
    }
  });

  it('writes a README section with the one-CPU, torchrun and resume commands and the data folder size', async () => {
    const { exported } = await compiledWithRandomWeights(template('mlp on iris').graph, 1, template('mlp on iris'));
    await trainingFiles(exported);
    const text = trainingReadme(exported);
    expect(text).toContain('torchrun --nproc_per_node=4 train.py');
    expect(text).toContain('torchrun --nnodes=2 --node_rank=0 --master_addr=');
    expect(text).toContain('--master_port=29500 --nproc_per_node=8 train.py');
    expect(text).toContain('--resume');
    expect(text).toMatch(/The `data\/` folder holds \d+(\.\d)? KB/);
  });

  it('says in one line that a GAN is not trained by train.py, and writes no train.py, train_data.py or data for it', { timeout: 30_000 }, async () => {
    const gan = templates().find((t) => t.training.task === 'gan')!;
    const { exported } = await compiledWithRandomWeights(gan.graph, 1, gan);
    expect(trainingReadme(exported)).toMatch(/train\.py for a GAN is not provided/);
    const paths = (await PYTORCH_WRITER.files(exported)).map((f) => f.path);
    expect(paths).toContain('model.py');
    expect(paths.filter((p) => /^(train|train_data)\.py$|^train_config\.json$|^data\//.test(p))).toEqual([]);
  });

  it('keeps frozen layers frozen: their weights and BatchNorm statistics stay, the head trains, and the parameter counts match NetCanvas', { timeout: 240_000 }, async () => {
    const iris = template('mlp on iris');
    // Input -> Dense (frozen) -> BatchNormalization (frozen) -> Dense head.
    const project: Project = {
      ...iris,
      graph: {
        nodes: [
          ...iris.graph.nodes.map((n) => (n.id === 'hidden' ? { ...n, frozen: true } : n)),
          { id: 'norm', type: 'BatchNormalization', params: {}, position: { x: 450, y: 40 }, frozen: true },
        ],
        edges: [
          { id: 'e1', source: 'input', target: 'hidden' },
          { id: 'e2', source: 'hidden', target: 'norm' },
          { id: 'e3', source: 'norm', target: 'output' },
        ],
      },
    };
    // The run started from an earlier run's weights, so train.py starts from the exported ones by default.
    const { folder, exported } = await exportProject(project, { epochs: 1, startFrom: { runId: 'earlier', checkpoint: 'last' } });
    const readme = readFileSync(path.join(folder, 'README.md'), 'utf8');
    expect(readme).toContain('unless given `--fresh`');
    expect(readme).toMatch(/Frozen in NetCanvas, and so in train\.py: hidden, norm \(/);
    expectSuccess(await run(['train.py', '--device', 'cpu', '--max-steps', '4'], { cwd: folder }));
    writeFileSync(
      path.join(folder, 'check_frozen.py'),
      `import json, sys
import torch
import model
sys.argv = ['train.py', '--fresh']
import train
fresh = train.parse_args().from_weights
sys.argv = ['train.py']
default = train.parse_args().from_weights
exported = model.load_model().state_dict()
trained = torch.load('checkpoints/last.pt', map_location='cpu')['model']
changed = {k: float((exported[k] - trained[k]).abs().max()) for k in exported}
net = model.build_model()
trainable = sum(p.numel() for p in net.parameters() if p.requires_grad)
frozen = sum(p.numel() for p in net.parameters() if not p.requires_grad) + sum(b.numel() for b in net.buffers())
print(json.dumps({'frozen': model.FROZEN, 'changed': changed, 'trainable': trainable, 'nonTrainable': frozen, 'fresh': fresh, 'default': default}))
`,
    );
    const out = JSON.parse(runPython(python, ['check_frozen.py'], { cwd: folder }).trim().split('\n').at(-1)!) as {
      frozen: string[];
      changed: Record<string, number>;
      trainable: number;
      nonTrainable: number;
      fresh: string | null;
      default: string | null;
    };
    expect(out.frozen).toEqual(['hidden', 'norm']);
    expect(out.fresh).toBeNull();
    expect(out.default).toBe('');
    for (const key of ['hidden.weight', 'hidden.bias', 'norm.weight', 'norm.bias', 'norm.running_mean', 'norm.running_var']) {
      expect(out.changed[key], key).toBe(0);
    }
    expect(out.changed['species.weight']).toBeGreaterThan(1e-4);
    expect(out.changed['species.bias']).toBeGreaterThan(1e-4);
    expect({ trainable: out.trainable, nonTrainable: out.nonTrainable }).toEqual({
      trainable: exported.inference.trainableParams,
      nonTrainable: exported.inference.nonTrainableParams,
    });
  });

  it('starts a fresh run from PyTorch\'s default initialization and says so; --from-weights starts from the export', { timeout: 60_000 }, async () => {
    const { folder } = await exportProject(template('mlp on iris'), { epochs: 1 });
    expect(readFileSync(path.join(folder, 'README.md'), 'utf8')).toContain("starts from PyTorch's default initialization");
    writeFileSync(
      path.join(folder, 'check_start.py'),
      `import json, sys
import train
sys.argv = ['train.py']
default = train.parse_args().from_weights
sys.argv = ['train.py', '--from-weights']
asked = train.parse_args().from_weights
print(json.dumps({'default': default, 'asked': asked}))
`,
    );
    const out = JSON.parse(runPython(python, ['check_start.py'], { cwd: folder }).trim().split('\n').at(-1)!) as { default: string | null; asked: string | null };
    expect(out).toEqual({ default: null, asked: '' });
  });
});
