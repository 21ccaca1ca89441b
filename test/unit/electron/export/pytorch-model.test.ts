import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledWithRandomWeights, maxDifference, predict, pythonWith, randomInputs, runPython, templates } from './harness.js';
import { encodeNpy } from '../../../../electron/export/npy.js';
import { modelFiles, PYTORCH_WRITER } from '../../../../electron/export/pytorch/index.js';
import { modelSource, pythonNames } from '../../../../electron/export/pytorch/model-py.js';
import { writeFolderFiles } from '../../../../electron/files/export-folder.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { layerTypes } from '../../../../shared/layers/registry.js';
import { chain, node, project } from '../../../fixtures/graphs.js';
import { ALL_SAMPLERS } from '../../../fixtures/layers/index.js';
import { sampleGraph } from '../../../fixtures/layers/sample-graph.js';
import { createRng } from '../../../fixtures/layers/types.js';

/*
 * Every template, a few random configurations of every registry layer type and the
 * conversions most easily got wrong are exported with random weights; one Python process
 * imports each export's model.py, loads its weights and runs it. Outputs must agree with
 * tfjs's to 1e-4, relative to the value where it is above 1 in size.
 */

const python = pythonWith(['torch', 'numpy']);
const SAMPLES = 3;
const BATCH = 3;
const TOLERANCE = 1e-4;

interface Case {
  name: string;
  graph: Graph;
  /** Also run once in training mode: dropout acts, batch statistics update. */
  train?: boolean;
}

function seedFor(type: string): number {
  let h = 20_260_401;
  for (const ch of type) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h;
}

const layerCases: Case[] = layerTypes()
  .filter((t) => t !== 'Input')
  .flatMap((type) => {
    const sampler = ALL_SAMPLERS.find((s) => s.type === type);
    if (!sampler) return [{ name: `${type}: no sampler`, graph: { nodes: [], edges: [] } }];
    const rng = createRng(seedFor(type));
    return Array.from({ length: SAMPLES }, (_, k) => {
      const sample = sampler.generate(rng);
      return { name: `${type} #${k + 1} ${JSON.stringify(sample.params)} on ${JSON.stringify(sample.inputs.map((i) => i.shape))}`, graph: sampleGraph(type, sample) };
    });
  });

/** Settings each conversion gets wrong in its own way if it is wrong. */
const targetedCases: Case[] = [
  {
    name: 'Conv2D, even kernel, padding same, stride 2 (TensorFlow pads the extra row and column after)',
    graph: chain(node('in', 'Input', { shape: [7, 6, 2] }), node('c', 'Conv2D', { filters: 3, kernelSize: [4, 2], strides: [2, 2], padding: 'same', activation: 'relu' })),
  },
  {
    name: 'Conv1D, dilation 2, padding same',
    graph: chain(node('in', 'Input', { shape: [9, 2] }), node('c', 'Conv1D', { filters: 3, kernelSize: [4], dilationRate: [2], padding: 'same', activation: 'tanh' })),
  },
  {
    name: 'Conv2DTranspose, kernel 4 by 5, stride 2, padding same (cropped one before, the rest after)',
    graph: chain(node('in', 'Input', { shape: [3, 4, 2] }), node('c', 'Conv2DTranspose', { filters: 2, kernelSize: [4, 5], strides: [2, 2], padding: 'same' })),
  },
  {
    name: 'Conv2DTranspose, kernel 4 by 1, stride 2 by 3, padding valid',
    graph: chain(node('in', 'Input', { shape: [3, 2, 2] }), node('c', 'Conv2DTranspose', { filters: 2, kernelSize: [4, 1], strides: [2, 3], padding: 'valid' })),
  },
  {
    name: 'DepthwiseConv2D with depth multiplier 2, padding same, stride 2',
    graph: chain(node('in', 'Input', { shape: [6, 5, 3] }), node('c', 'DepthwiseConv2D', { kernelSize: [2, 3], strides: [2, 2], padding: 'same', depthMultiplier: 2 })),
  },
  {
    name: 'SeparableConv2D with depth multiplier 2, dilation 2',
    graph: chain(node('in', 'Input', { shape: [7, 7, 2] }), node('c', 'SeparableConv2D', { filters: 3, kernelSize: [3, 2], dilationRate: [2, 2], padding: 'same', depthMultiplier: 2 })),
  },
  {
    name: 'AveragePooling2D, padding same, leaves the padding out of the average',
    graph: chain(node('in', 'Input', { shape: [5, 5, 2] }), node('p', 'AveragePooling2D', { poolSize: [2, 2], strides: [2, 2], padding: 'same' })),
  },
  {
    name: 'MaxPooling2D, padding same, never takes the padding as a value',
    graph: chain(node('in', 'Input', { shape: [5, 4, 6] }), node('p', 'MaxPooling2D', { poolSize: [3, 3], strides: [2, 2], padding: 'same' })),
  },
  {
    name: 'GRU with its reset gate before the recurrent weights, several steps',
    graph: chain(node('in', 'Input', { shape: [5, 3] }), node('g', 'GRU', { units: 4, returnSequences: true })),
  },
  {
    name: 'LSTM going backwards, returning sequences and states, hard sigmoid gates',
    graph: {
      nodes: [node('in', 'Input', { shape: [4, 3] }), node('l', 'LSTM', { units: 3, returnSequences: true, returnState: true, goBackwards: true, recurrentActivation: 'hard_sigmoid' }), node('seq', 'Activation', { activation: 'linear' }), node('h', 'Activation', { activation: 'linear' }), node('c', 'Activation', { activation: 'linear' })],
      edges: [
        { id: 'e0', source: 'in', target: 'l' },
        { id: 'e3', source: 'l', target: 'seq' },
        { id: 'e1', source: 'l', sourceHandle: '1', target: 'h' },
        { id: 'e2', source: 'l', sourceHandle: '2', target: 'c' },
      ],
    },
  },
  {
    name: 'Bidirectional GRU returning sequences, concatenated',
    graph: chain(node('in', 'Input', { shape: [4, 2] }), node('b', 'Bidirectional', { layer: { type: 'GRU', params: { units: 3, returnSequences: true } }, mergeMode: 'concat' })),
  },
  {
    name: 'BatchNormalization on axis 1 of (batch, features), its moving statistics updated as Keras does',
    train: true,
    graph: chain(node('in', 'Input', { shape: [5] }), node('bn', 'BatchNormalization', { axis: 1, epsilon: 0.01 })),
  },
  {
    name: 'LayerNormalization over axes 1 and 3, scale only',
    graph: chain(node('in', 'Input', { shape: [3, 2, 4] }), node('ln', 'LayerNormalization', { axis: [3, 1], center: false })),
  },
  {
    name: 'UpSampling2D bilinear, 3 by 2',
    graph: chain(node('in', 'Input', { shape: [3, 4, 2] }), node('u', 'UpSampling2D', { size: [3, 2], interpolation: 'bilinear' })),
  },
  {
    name: 'Add of inputs of different ranks (the shorter gains axes after the batch)',
    graph: {
      nodes: [node('a', 'Input', { shape: [3, 4] }), node('b', 'Input', { shape: [4] }), node('add', 'Add'), node('cat', 'Concatenate', { axis: 1 })],
      edges: [
        { id: 'e0', source: 'a', target: 'add' },
        { id: 'e1', source: 'b', target: 'add' },
        { id: 'e2', source: 'add', target: 'cat' },
        { id: 'e3', source: 'a', target: 'cat' },
      ],
    },
  },
  {
    name: 'TimeDistributed Conv2D with padding same, then a TransformerEncoderBlock, pre-norm, gelu',
    graph: chain(
      node('in', 'Input', { shape: [3, 4, 4, 1] }),
      node('td', 'TimeDistributed', { layer: { type: 'Conv2D', params: { filters: 2, kernelSize: [2, 2], padding: 'same', activation: 'softmax' } } }),
      node('r', 'Reshape', { targetShape: [3, 32] }),
      node('t', 'TransformerEncoderBlock', { intermediateDim: 8, numHeads: 4, activation: 'gelu', normalizeFirst: true }),
    ),
  },
];

/** A float32 .npy file's values and shape. */
function readNpy(file: string): { values: Float32Array; shape: number[] } {
  const bytes = readFileSync(file);
  const length = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + length).toString('latin1');
  expect(header).toContain("'descr': '<f4'");
  const shape = /'shape': \(([^)]*)\)/.exec(header)![1]!.split(',').map((d) => d.trim()).filter(Boolean).map(Number);
  const data = bytes.subarray(10 + length);
  return { values: new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)), shape };
}

const templateCases: Case[] = templates().map((p) => ({ name: `template ${p.name}`, graph: p.graph, train: p.graph.nodes.some((n) => n.type === 'Dropout') }));

const CASES = [...templateCases, ...layerCases, ...targetedCases];

interface PythonResult {
  ok: boolean;
  error?: string;
  outputs?: { path: string; shape: number[] }[];
  params?: number;
  eval?: boolean;
  freshTraining?: boolean;
  safetensors?: Record<string, number[]>;
  stateDict?: Record<string, number[]>;
  /** After one forward pass in training mode: whether it differs from eval mode's, and the buffers. */
  trained?: { differs?: boolean; buffers?: Record<string, number[]> };
}

interface Prepared {
  dir: string;
  tfjs: { values: Float32Array; shape: number[] }[];
  totalParams: number;
  state: Record<string, number[]>;
  /** tfjs's moving statistics after one forward pass in training mode, by the layer's attribute in model.py. */
  moving: Record<string, { mean: Float32Array; variance: Float32Array }>;
}

const DRIVER = `
import importlib.util, json, os, sys, traceback
import numpy as np
import torch

torch.set_num_threads(1)
cases = json.load(open(sys.argv[1]))
results = []
for index, case in enumerate(cases):
    try:
        spec = importlib.util.spec_from_file_location(f'export_{index}', os.path.join(case['dir'], 'model.py'))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        model = module.load_model()
        loaded_in_eval = not model.training
        xs = [torch.from_numpy(np.load(p).astype(d)) for p, d in zip(case['inputs'], module.INPUT_DTYPES)]
        with torch.no_grad():
            out = model(*xs)
        outs = out if isinstance(out, tuple) else (out,)
        files = []
        for k, o in enumerate(outs):
            target = os.path.join(case['dir'], f'torch_{k}.f32')
            o.detach().numpy().astype('<f4').tofile(target)
            files.append({'path': target, 'shape': list(o.shape)})
        tensors = module.read_safetensors(os.path.join(case['dir'], 'weights.safetensors'))
        trained = {}
        if case['train']:
            torch.manual_seed(0)
            model.train()
            with torch.no_grad():
                again = model(*xs)
            again = again if isinstance(again, tuple) else (again,)
            trained['differs'] = any(not torch.equal(a, b) for a, b in zip(again, outs))
            trained['buffers'] = {k: v.reshape(-1).tolist() for k, v in model.named_buffers()}
        results.append({
            'trained': trained,
            'ok': True,
            'outputs': files,
            'params': sum(p.numel() for p in model.parameters()) + sum(b.numel() for b in model.buffers()),
            'eval': loaded_in_eval,
            'freshTraining': module.build_model().training,
            'safetensors': {k: list(v.shape) for k, v in tensors.items()},
            'stateDict': {k: list(v.shape) for k, v in model.state_dict().items()},
        })
    except Exception:
        results.append({'ok': False, 'error': traceback.format_exc()})
json.dump(results, open(sys.argv[2], 'w'))
`;

describe.skipIf(python.skip !== null)(`PyTorch export${python.skip ? ` (skipped: ${python.skip})` : ''}`, () => {
  const root = mkdtempSync(path.join(tmpdir(), 'netcanvas-pytorch-'));
  const prepared: (Prepared | { error: string })[] = [];
  let results: PythonResult[] = [];

  beforeAll(async () => {
    await selectBackend('cpu');
    const list: { dir: string; inputs: string[]; train: boolean }[] = [];
    for (const [index, c] of CASES.entries()) {
      const dir = path.join(root, `case${index}`);
      try {
        const { model, exported } = await compiledWithRandomWeights(c.graph, index + 1, project(c.graph));
        const batch = randomInputs(c.graph, BATCH, index + 11);
        const tfjs = predict(model, batch);
        const moving: Prepared['moving'] = {};
        if (c.train) {
          tf.tidy(() => {
            model.apply(batch.values.map((v, i) => tf.tensor(v, batch.shapes[i])), { training: true });
          });
          for (const n of c.graph.nodes.filter((n) => n.type === 'BatchNormalization')) {
            const read = (suffix: string) => model.getLayer(exported.layerNames.get(n.id)!).weights.find((w) => w.originalName.endsWith(suffix))!.read().dataSync() as Float32Array;
            moving[pythonNames(exported).get(n.id)!] = { mean: read('moving_mean'), variance: read('moving_variance') };
          }
        }
        model.dispose();
        await writeFolderFiles(dir, modelFiles(exported).files);
        const inputs = batch.values.map((values, i) => {
          const file = path.join(dir, `in${i}.npy`);
          writeFileSync(file, encodeNpy(values, batch.shapes[i]!));
          return file;
        });
        const state = Object.fromEntries(modelSource(exported).state.map((e) => [e.key, [...e.shape]]));
        prepared.push({ dir, tfjs, totalParams: exported.inference.totalParams, state, moving });
        list.push({ dir, inputs, train: c.train === true });
      } catch (error) {
        prepared.push({ error: String(error instanceof Error ? error.stack : error) });
      }
    }
    writeFileSync(path.join(root, 'cases.json'), JSON.stringify(list));
    runPython(python.python!, ['-c', DRIVER, path.join(root, 'cases.json'), path.join(root, 'results.json')], { timeoutMs: 300_000 });
    const byDir = new Map(list.map((c, i) => [c.dir, (JSON.parse(readFileSync(path.join(root, 'results.json'), 'utf8')) as PythonResult[])[i]!]));
    results = prepared.map((p) => ('error' in p ? { ok: false, error: p.error } : byDir.get(p.dir)!));
  }, 600_000);

  afterAll(() => {
    tf.disposeVariables();
    rmSync(root, { recursive: true, force: true });
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s: same outputs and parameter count as tfjs', (_name, index) => {
    const p = prepared[index]!;
    const r = results[index]!;
    if ('error' in p) return expect.unreachable(p.error);
    expect(r.ok, r.error).toBe(true);
    expect(r.params, 'parameters and buffers of the PyTorch model').toBe(p.totalParams);
    expect(r.outputs!.map((o) => o.shape)).toEqual(p.tfjs.map((o) => o.shape));
    for (const [k, o] of r.outputs!.entries()) {
      const bytes = readFileSync(o.path);
      const torchValues = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      const expected = p.tfjs[k]!.values;
      const scaled = Float32Array.from(torchValues, (v, i) => v / Math.max(1, Math.abs(expected[i]!)));
      const reference = Float32Array.from(expected, (v) => v / Math.max(1, Math.abs(v)));
      expect(maxDifference(scaled, reference), `output ${k + 1}`).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('writes weights.safetensors that model.py reads back under the state_dict names and shapes, and load_model is in eval mode', () => {
    for (const [index, r] of results.entries()) {
      const p = prepared[index]!;
      if ('error' in p || !r.ok) continue;
      expect(r.safetensors, CASES[index]!.name).toEqual(p.state);
      expect(r.stateDict, CASES[index]!.name).toEqual(p.state);
      expect(r.eval, `${CASES[index]!.name}: load_model in eval mode`).toBe(true);
      expect(r.freshTraining, `${CASES[index]!.name}: build_model in training mode`).toBe(true);
    }
    expect(results.filter((r) => r.ok).length).toBeGreaterThan(CASES.length / 2);
  });

  it.each([
    ['two inputs of different ranks', targetedCases.find((c) => c.name.startsWith('Add of inputs'))!.graph, null],
    ['an LSTM with three outputs (its sequence and states)', targetedCases.find((c) => c.name.startsWith('LSTM going backwards'))!.graph, null],
    ['token ids (the IMDB template, with its own project)', null, templates().find((p) => p.graph.nodes.some((n) => n.type === 'Embedding'))!],
  ] as const)('predict.py runs a full export end to end: %s, batch by batch', async (_what, graph, template) => {
    const g = graph ?? template!.graph;
    // Iris's project, for a small data file beside train.py.
    const small = templates().find((p) => p.training.dataset === 'iris') ?? project(g);
    const { model, exported } = await compiledWithRandomWeights(g, 5, template ?? { ...small, graph: g });
    const batch = randomInputs(g, 5, 3);
    const expected = predict(model, batch);
    model.dispose();
    const dir = path.join(root, `predict-${g.nodes.length}-${expected.length}`);
    const files = await PYTORCH_WRITER.files(exported);
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['model.py', 'weights.safetensors', 'predict.py', 'README.md']));
    const readme = files.find((f) => f.path === 'README.md')!.data as string;
    expect(readme).toContain('channels-last');
    expect(readme).toContain('from model import load_model');
    await writeFolderFiles(dir, files);
    const inputs = batch.values.map((values, i) => {
      const file = path.join(dir, `x${i}.npy`);
      writeFileSync(file, encodeNpy(values, batch.shapes[i]!));
      return file;
    });
    runPython(python.python!, ['predict.py', ...inputs, path.join(dir, 'out.npy'), '--device', 'cpu', '--batch-size', '2'], { cwd: dir });
    for (const [k, o] of expected.entries()) {
      const got = readNpy(path.join(dir, k === 0 ? 'out.npy' : `out_${k + 1}.npy`));
      expect(got.shape).toEqual(o.shape);
      expect(maxDifference(got.values, o.values), `output ${k + 1}`).toBeLessThanOrEqual(TOLERANCE * Math.max(1, ...Array.from(o.values, Math.abs)));
    }
  });

  it('in training mode updates BatchNormalization\'s moving statistics as tfjs does, and Dropout acts', () => {
    const trainedCases = CASES.map((c, i) => [c, i] as const).filter(([c]) => c.train);
    expect(trainedCases.length).toBeGreaterThan(1);
    for (const [c, index] of trainedCases) {
      const p = prepared[index]!;
      const r = results[index]!;
      if ('error' in p) return expect.unreachable(p.error);
      expect(r.ok, r.error).toBe(true);
      if (c.graph.nodes.some((n) => n.type === 'Dropout')) expect(r.trained!.differs, c.name).toBe(true);
      for (const [name, stats] of Object.entries(p.moving)) {
        expect(maxDifference(r.trained!.buffers![`${name}.running_mean`]!, stats.mean), `${c.name}: moving mean`).toBeLessThanOrEqual(TOLERANCE);
        expect(maxDifference(r.trained!.buffers![`${name}.running_var`]!, stats.variance), `${c.name}: moving variance`).toBeLessThanOrEqual(TOLERANCE);
      }
    }
  });
});
