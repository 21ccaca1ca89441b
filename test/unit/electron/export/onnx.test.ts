import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledWithRandomWeights, maxDifference, predict, pythonWith, randomInputs, runPython, templates } from './harness.js';
import { ExportRefused, type ModelToExport } from '../../../../electron/export/model.js';
import { ONNX_WRITER } from '../../../../electron/export/onnx/index.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { ACTIVATIONS } from '../../../../shared/layers/activations.js';
import { layerTypes } from '../../../../shared/layers/registry.js';
import { RECURRENT_ACTIVATIONS } from '../../../../shared/layers/specs/recurrent.js';
import { chain, node } from '../../../fixtures/graphs.js';
import { ALL_SAMPLERS } from '../../../fixtures/layers/index.js';
import { sampleGraph } from '../../../fixtures/layers/sample-graph.js';
import { createRng } from '../../../fixtures/layers/types.js';

/** Random settings tried per layer type; raise it locally to search harder. */
const SAMPLES = Number(process.env.NETCANVAS_LAYER_SAMPLES ?? 3);
const SEED = 20_260_411;
const TOLERANCE = 1e-4;

const folder = mkdtempSync(path.join(os.tmpdir(), 'netcanvas-onnx-'));
/** Every file exported here, for one onnx.checker pass at the end. */
const written: { file: string; what: string }[] = [];

beforeAll(async () => {
  await selectBackend('cpu');
});

afterAll(() => {
  tf.disposeVariables();
  rmSync(folder, { recursive: true, force: true });
});

function seedFor(type: string): number {
  let h = SEED;
  for (const ch of type) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h;
}

async function exportOnnx(exported: ModelToExport): Promise<Uint8Array> {
  const files = await ONNX_WRITER.files(exported);
  expect(files.map((f) => f.path).sort()).toEqual(['README.md', 'model.onnx']);
  return files.find((f) => f.path === 'model.onnx')!.data as Uint8Array;
}

/** onnxruntime's outputs for the same batch tfjs predicted, in the graph's output order. */
async function runOnnx(bytes: Uint8Array, graph: Graph, batch: ReturnType<typeof randomInputs>): Promise<{ values: Float32Array; shape: number[] }[]> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds: Record<string, ort.Tensor> = {};
    session.inputNames.forEach((name, i) => {
      const meta = session.inputMetadata[i] as { type?: string };
      const values = batch.values[i]!;
      feeds[name] = meta.type === 'int64' ? new ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), batch.shapes[i]) : new ort.Tensor('float32', values, batch.shapes[i]);
    });
    const out = await session.run(feeds);
    return session.outputNames.map((name) => ({ values: out[name]!.data as Float32Array, shape: [...out[name]!.dims] }));
  } finally {
    await session.release();
  }
}

/**
 * Exports `graph` with random weights and runs it on random inputs in onnxruntime and in tfjs;
 * the largest difference per output, or the refusals.
 */
async function compare(graph: Graph, seed: number, what: string): Promise<{ refused: ExportRefused } | { differences: number[] }> {
  const { model, exported } = await compiledWithRandomWeights(graph, seed);
  try {
    if (ONNX_WRITER.refusals(exported).length > 0) {
      const error = await ONNX_WRITER.files(exported).catch((e: unknown) => e);
      expect(error, what).toBeInstanceOf(ExportRefused);
      return { refused: error as ExportRefused };
    }
    const bytes = await exportOnnx(exported);
    const file = path.join(folder, `${written.length}.onnx`);
    writeFileSync(file, bytes);
    written.push({ file, what });
    const batch = randomInputs(graph, 3, seed);
    const expected = predict(model, batch);
    const actual = await runOnnx(bytes, graph, batch);
    expect(actual.map((a) => a.shape), what).toEqual(expected.map((e) => e.shape));
    return { differences: expected.map((e, i) => maxDifference(e.values, actual[i]!.values)) };
  } finally {
    model.dispose();
  }
}

describe('ONNX export agrees with tfjs', () => {
  it.each(templates().map((p) => [p.name, p] as const))('template %s', async (name, project) => {
    const result = await compare(project.graph, 3, name);
    expect('refused' in result ? result.refused.message : null, name).toBeNull();
    if ('differences' in result) for (const d of result.differences) expect(d, name).toBeLessThan(TOLERANCE);
  });

  it.each(layerTypes().filter((t) => t !== 'Input'))('%s, random settings', async (type) => {
    const sampler = ALL_SAMPLERS.find((s) => s.type === type);
    expect(sampler, `test/fixtures/layers has no sampler for ${type}`).toBeDefined();
    const rng = createRng(seedFor(type));
    for (let k = 0; k < SAMPLES; k++) {
      const sample = sampler!.generate(rng);
      const what = `${type} ${JSON.stringify(sample.params)} on ${JSON.stringify(sample.inputs)}`;
      const result = await compare(sampleGraph(type, sample), k + 1, what);
      expect('refused' in result ? result.refused.message : null, what).toBeNull();
      if ('differences' in result) for (const d of result.differences) expect(d, what).toBeLessThan(TOLERANCE);
    }
  });
});

describe('README.md', () => {
  it('names each input and output with its shape and type, the opset, and how to run it', async () => {
    const project = templates().find((p) => p.graph.nodes.some((n) => n.type === 'Embedding') && !p.graph.nodes.some((n) => n.type === 'LSTM'))!;
    const { model, exported } = await compiledWithRandomWeights(project.graph, 1, project);
    model.dispose();
    const readme = (await ONNX_WRITER.files(exported)).find((f) => f.path === 'README.md')!.data as string;
    const input = exported.inference.inputIds.map((id) => exported.layerNames.get(id)!)[0]!;
    const output = exported.inference.outputIds.map((id) => exported.layerNames.get(id)!)[0]!;
    expect(readme).toMatch(new RegExp(`\\| \`${input}\` \\| \\(batch, \\d+\\) \\| int64, token ids \\|`));
    expect(readme).toMatch(new RegExp(`\\| \`${output}\` \\| \\(batch, \\d+\\) \\| float32 \\|`));
    expect(readme).toContain('opset 17');
    expect(readme).toContain('ort.InferenceSession("model.onnx")');
    expect(readme).toContain("new BigInt64Array(");
    expect(readme).toContain('weights that were never trained');
  });
});

/** A one-layer network on an input of `shape`. */
const single = (shape: number[], type: string, params: Record<string, unknown>): Graph =>
  chain(node('in', 'Input', { shape }), node('layer', type, params as never));

describe('conversions that are easy to get wrong', () => {
  const cases: [string, Graph][] = [
    ['Conv2D with an even kernel, padding same and stride 2 (the extra padding at the end)', single([7, 6, 2], 'Conv2D', { filters: 3, kernelSize: [4, 2], strides: [2, 2], padding: 'same' })],
    ['Conv2DTranspose with padding same and stride 2', single([3, 4, 2], 'Conv2DTranspose', { filters: 2, kernelSize: [3, 4], strides: [2, 2], padding: 'same' })],
    ['Conv2DTranspose with a kernel smaller than its stride', single([3, 3, 1], 'Conv2DTranspose', { filters: 2, kernelSize: [1, 2], strides: [3, 3], padding: 'valid' })],
    ['LSTM gate order (i, f, c, o in tfjs; i, o, f, c in ONNX)', single([5, 3], 'LSTM', { units: 4, returnSequences: true })],
    ['GRU reset gate applied before the recurrent kernel', single([5, 3], 'GRU', { units: 4, returnSequences: true })],
    ['LSTM going backwards returns the steps in the order read', single([5, 3], 'LSTM', { units: 3, returnSequences: true, goBackwards: true })],
    ['SimpleRNN with gelu, which ONNX\'s RNN op does not take, written step by step', single([4, 3], 'SimpleRNN', { units: 3, activation: 'gelu', returnSequences: true })],
    ['LSTM with swish gates going backwards, step by step', single([4, 3], 'LSTM', { units: 3, recurrentActivation: 'swish', goBackwards: true, returnSequences: true })],
    ['GRU with softmax, step by step, returning its state', single([4, 3], 'GRU', { units: 3, activation: 'softmax', returnState: true })],
    ['Bidirectional GRU, sequences concatenated', single([4, 2], 'Bidirectional', { layer: { type: 'GRU', params: { units: 3, returnSequences: true } }, mergeMode: 'concat' })],
    [
      'Flatten after a convolution keeps the channels-last order',
      chain(node('in', 'Input', { shape: [5, 4, 2] }), node('conv', 'Conv2D', { filters: 3, kernelSize: [2, 2] }), node('flat', 'Flatten'), node('out', 'Dense', { units: 4 })),
    ],
    ['AveragePooling2D, padding same, divides by the values inside at the border', single([5, 5, 2], 'AveragePooling2D', { poolSize: [3, 3], strides: [2, 2], padding: 'same' })],
    ['UpSampling2D bilinear on a non-square image', single([3, 5, 2], 'UpSampling2D', { size: [2, 3], interpolation: 'bilinear' })],
  ];
  it.each(cases)('%s', async (what, graph) => {
    const result = await compare(graph, 5, what);
    expect('refused' in result ? result.refused.message : null).toBeNull();
    if ('differences' in result) for (const d of result.differences) expect(d, what).toBeLessThan(TOLERANCE);
  });
});

describe('refusals', () => {
  it('every activation NetCanvas offers converts, outside recurrent layers', async () => {
    for (const activation of new Set<string>([...ACTIVATIONS, ...RECURRENT_ACTIVATIONS.filter((a) => a !== 'hard_sigmoid')])) {
      const result = await compare(single([4], 'Dense', { units: 3, activation }), 2, activation);
      expect('refused' in result ? result.refused.message : null, activation).toBeNull();
    }
  });

  it('an Embedding with mask zero feeding a recurrent layer is refused at the Embedding', async () => {
    const graph = chain(node('in', 'Input', { shape: [4] }), node('emb', 'Embedding', { inputDim: 5, outputDim: 3, maskZero: true }), node('lstm', 'LSTM', { units: 2 }));
    const { model, exported } = await compiledWithRandomWeights(graph, 1);
    model.dispose();
    const refusals = ONNX_WRITER.refusals(exported);
    expect(refusals.map((r) => r.nodeId)).toEqual(['emb']);
    expect(refusals[0]!.reason).toMatch(/Mask zero is on, so LSTM "lstm" after it skips the padding steps/);
    await expect(ONNX_WRITER.files(exported)).rejects.toThrow(/ONNX cannot express one layer of this network\. Embedding "emb": Mask zero is on/);
  });

  it('an Embedding with mask zero before layers that ignore the mask is written', async () => {
    const graph = chain(node('in', 'Input', { shape: [4] }), node('emb', 'Embedding', { inputDim: 5, outputDim: 3, maskZero: true }), node('dense', 'Dense', { units: 2 }));
    const result = await compare(graph, 1, 'mask zero into Dense');
    expect('refused' in result ? result.refused.message : null).toBeNull();
  });
});

const python = pythonWith(['onnx']);

describe.skipIf(python.skip !== null)(`onnx.checker and shape inference${python.skip ? ` (skipped: ${python.skip})` : ''}`, () => {
  it('passes the full check on every file exported above, and infers the output shapes declared', () => {
    expect(written.length).toBeGreaterThan(0);
    const script = `
import json, sys, onnx
from onnx import shape_inference
problems = []
for item in json.load(open(sys.argv[1])):
    model = onnx.load(item["file"])
    try:
        onnx.checker.check_model(model, full_check=True)
        inferred = shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        known = {v.name: v for v in list(inferred.graph.value_info) + list(inferred.graph.output)}
        for out in model.graph.output:
            declared = [d.dim_param or d.dim_value for d in out.type.tensor_type.shape.dim]
            got = [d.dim_param or d.dim_value for d in known[out.name].type.tensor_type.shape.dim]
            if declared != got:
                problems.append(f"{item['what']}: output {out.name} declared {declared}, inferred {got}")
    except Exception as e:
        problems.append(f"{item['what']}: {e}")
print(json.dumps(problems))
`;
    const list = path.join(folder, 'files.json');
    writeFileSync(list, JSON.stringify(written));
    const out = runPython(python.python!, ['-c', script, list]);
    expect(JSON.parse(out) as string[]).toEqual([]);
  });
});
