import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledWithRandomWeights, pythonWith, runPython, templates } from './harness.js';
import { openH5 } from '../../../../electron/data/h5.js';
import { KERAS_WRITER, kerasWriter } from '../../../../electron/export/keras/index.js';
import { LAYOUTS } from '../../../../electron/export/keras/layout.js';
import { WEIGHTS_FILE } from '../../../../electron/export/keras/script.js';
import { ExportRefused, type ExportFile, type ModelToExport } from '../../../../electron/export/model.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import { networkOf } from '../../../../shared/graph/blocks.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import { isLayerRef, type Graph, type Params } from '../../../../shared/graph/types.js';
import { uniqueLayerNames } from '../../../../shared/keras/format.js';
import { importKerasModel } from '../../../../shared/keras/import.js';
import { getLayerSpec, layerTypes, withDefaults } from '../../../../shared/layers/registry.js';
import { node } from '../../../fixtures/graphs.js';
import { ALL_SAMPLERS } from '../../../fixtures/layers/index.js';
import { sampleGraph } from '../../../fixtures/layers/sample-graph.js';
import { createRng } from '../../../fixtures/layers/types.js';
import { fullParams } from '../../../fixtures/layers/full-params.js';

/** Seeded samples per registry layer type: enough to meet each type's awkward settings over runs of the seed. */
const SAMPLES = 3;
const SEED = 20_260_311;

beforeAll(async () => {
  await selectBackend('cpu');
});

afterAll(() => {
  tf.disposeVariables();
});

function fileOf(files: readonly ExportFile[], name: string): ExportFile {
  const file = files.find((f) => f.path === name);
  if (!file) throw new Error(`no ${name} among ${files.map((f) => f.path).join(', ')}`);
  return file;
}

const sha256 = (values: Float32Array) => createHash('sha256').update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest('hex');

/**
 * What Keras must find in the file, written from the model's tfjs weights and Keras's naming
 * rules (not from the writer): each weight is tfjs's under Keras's name, and tfjs's own loader
 * rule (drop a recurrent cell's name) leads the Keras name back to the tfjs one.
 */
interface Expected {
  what: string;
  file: string;
  /** load_keras.py, parsed as Python (Keras itself is not here to run it). */
  script: string;
  layers: { name: string; weights: { name: string; shape: number[]; sha256: string }[] }[];
}

const RECURRENT_CELLS: Record<string, string> = { SimpleRNN: 'simple_rnn_cell', LSTM: 'lstm_cell', GRU: 'gru_cell' };

/** Keras 2.15's name for a tfjs weight of a node: its recurrent cell inserted before the last part. */
function kerasName(type: string, params: Params, tfjsName: string, kerasLayer: string): string {
  const layerName = tfjsName.slice(0, tfjsName.indexOf('/'));
  const rest = tfjsName.slice(layerName.length + 1).split('/');
  const innerType = type === 'Bidirectional' || type === 'TimeDistributed' ? (isLayerRef(params.layer) ? params.layer.type : '') : type;
  const cell = RECURRENT_CELLS[innerType];
  const parts = cell ? [...rest.slice(0, -1), cell, rest[rest.length - 1]!] : rest;
  return `${kerasLayer}/${parts.join('/')}:0`;
}

function expectedLayers(exported: ModelToExport): Map<string, Expected['layers'][number]> {
  const layers = new Map<string, Expected['layers'][number]>();
  for (const n of exported.graph.nodes) {
    const spec = getLayerSpec(n.type)!;
    const name = exported.layerNames.get(n.id)!;
    const kerasLayer = spec.kerasAddsToInput ? `${name}_values` : name;
    const params = withDefaults(spec, n.params);
    const weights = (exported.weights.get(n.id) ?? []).map((w) => ({ name: kerasName(n.type, params, w.name, kerasLayer), shape: w.shape, sha256: sha256(w.values) }));
    layers.set(kerasLayer, { name: kerasLayer, weights });
  }
  return layers;
}

interface Case {
  what: string;
  graph: Graph;
}

function registryCases(): Case[] {
  const cases: Case[] = [];
  for (const type of layerTypes().filter((t) => t !== 'Input')) {
    const sampler = ALL_SAMPLERS.find((s) => s.type === type);
    if (!sampler) throw new Error(`test/fixtures/layers has no sampler for ${type}`);
    let seed = SEED;
    for (const ch of type) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0;
    const rng = createRng(seed);
    for (let k = 0; k < SAMPLES; k++) {
      const sample = sampler.generate(rng);
      cases.push({ what: `${type} ${JSON.stringify(sample.params)}`, graph: sampleGraph(type, sample) });
    }
  }
  return cases;
}

/**
 * tfjs's orthogonal initializer takes most of a minute on the CPU for a recurrent kernel of a
 * few hundred units, and the weights are replaced at once: recurrent layers of the templates are
 * kept at 16 units at most here, which changes their shapes but not their names or order.
 */
function smallRecurrent(graph: Graph): Graph {
  const cap = (params: Params): Params => ('units' in params && typeof params.units === 'number' ? { ...params, units: Math.min(params.units, 16) } : params);
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      if (n.type in RECURRENT_CELLS) return { ...n, params: cap(n.params) };
      const inner = n.params.layer;
      if (isLayerRef(inner) && inner.type in RECURRENT_CELLS) return { ...n, params: { ...n.params, layer: { ...inner, params: cap(inner.params) } } };
      return n;
    }),
  };
}

function templateCases(): Case[] {
  return templates().map((p) => ({ what: `template ${p.name}`, graph: smallRecurrent(p.graph) }));
}

const exports = new Map<Graph, Promise<ModelToExport>>();

/** Each graph compiled once for the whole file (templates are the slow part), with its seed. */
function exportOf(graph: Graph, seed: number): Promise<ModelToExport> {
  let known = exports.get(graph);
  if (!known) {
    known = compiledWithRandomWeights(graph, seed).then(({ exported, model }) => {
      model.dispose();
      return exported;
    });
    exports.set(graph, known);
  }
  return known;
}

const TEMPLATES = templateCases();

/** A graph whose Keras layer order (deepest first, ties as met walking back from the outputs) is not its build order. */
function branchy(): Graph {
  return {
    nodes: [
      node('x', 'Input', { shape: [6] }),
      node('short', 'Dense', { units: 4 }),
      node('long1', 'Dense', { units: 5 }),
      node('long2', 'Dense', { units: 4 }),
      node('sum', 'Add'),
      node('out', 'Dense', { units: 2 }),
    ],
    edges: [
      { id: 'e1', source: 'x', target: 'short' },
      { id: 'e2', source: 'x', target: 'long1' },
      { id: 'e3', source: 'long1', target: 'long2' },
      { id: 'e4', source: 'short', target: 'sum' },
      { id: 'e5', source: 'long2', target: 'sum' },
      { id: 'e6', source: 'sum', target: 'out' },
    ],
  };
}

describe('Keras export', () => {
  const python = pythonWith(['h5py', 'numpy']);

  describe.skipIf(python.python === null)(`read back with h5py${python.skip ? ` (skipped: ${python.skip})` : ''}`, () => {
    it('writes, for every template and every registry layer type, the h5 layout Keras 2 save_weights writes, with the weights exported', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'netcanvas-keras-'));
      try {
        const cases = [...TEMPLATES, ...registryCases()];
        const expected: Expected[] = [];
        for (const [i, c] of cases.entries()) {
          const exported = await exportOf(c.graph, i + 1);
          expect(KERAS_WRITER.refusals(exported), c.what).toEqual([]);
          const files = await KERAS_WRITER.files(exported);
          const file = path.join(dir, `${i}.h5`);
          writeFileSync(file, fileOf(files, WEIGHTS_FILE).data);
          const script = path.join(dir, `${i}.py`);
          writeFileSync(script, fileOf(files, 'load_keras.py').data);
          const layers = expectedLayers(exported);
          const order = (JSON.parse(fileOf(files, 'model.json').data as string) as { config: { layers: { name: string }[] } }).config.layers.map((l) => l.name);
          // Layers without weights are in the file too, with no weight names; their order is checked on its own below.
          for (const name of order) if (!layers.has(name)) layers.set(name, { name, weights: [] });
          expected.push({ what: c.what, file, script, layers: [...layers.values()] });
        }
        const check = path.join(dir, 'check.py');
        writeFileSync(check, READ_BACK_PY);
        const manifest = path.join(dir, 'expected.json');
        writeFileSync(manifest, JSON.stringify(expected));
        const report = JSON.parse(runPython(python.python!, [check, manifest])) as { what: string; problems: string[] }[];
        expect(report.filter((r) => r.problems.length > 0)).toEqual([]);
        expect(report).toHaveLength(expected.length);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  });

  it('lists layers in the order Keras builds model.layers from the JSON, so load_weights pairs them right', async () => {
    const { exported, model } = await compiledWithRandomWeights(branchy(), 3);
    model.dispose();
    const opened = await openH5(fileOf(await KERAS_WRITER.files(exported), WEIGHTS_FILE).data as Uint8Array);
    try {
      // Depths from the output: out 0, sum 1, short and long2 2, long1 3, x 4 (short met before long2 walking back from sum).
      expect(opened.file.attrs.layer_names!.value).toEqual(['x', 'long1', 'short', 'long2', 'sum', 'out']);
    } finally {
      opened.close();
    }
  });

  it('reads back in Node with h5wasm: root attributes, weight names, shapes and values', async () => {
    const graph: Graph = {
      nodes: [
        node('tokens', 'Input', { shape: [5] }),
        node('embed', 'Embedding', { inputDim: 9, outputDim: 4 }),
        node('bi', 'Bidirectional', { layer: { type: 'LSTM', params: { units: 3, returnSequences: true } }, mergeMode: 'concat' }),
        node('gru', 'GRU', { units: 2 }),
        node('out', 'Dense', { units: 2, activation: 'softmax' }),
      ],
      edges: [
        { id: 'e1', source: 'tokens', target: 'embed' },
        { id: 'e2', source: 'embed', target: 'bi' },
        { id: 'e3', source: 'bi', target: 'gru' },
        { id: 'e4', source: 'gru', target: 'out' },
      ],
    };
    const { exported, model } = await compiledWithRandomWeights(graph, 5);
    model.dispose();
    const opened = await openH5(fileOf(await KERAS_WRITER.files(exported), WEIGHTS_FILE).data as Uint8Array);
    try {
      const { file } = opened;
      expect(file.attrs.layer_names!.value).toEqual(['tokens', 'embed', 'bi', 'gru', 'out']);
      expect(file.attrs.backend!.value).toBe('tensorflow');
      expect(file.attrs.keras_version!.value).toBe('2.15.0');
      const group = (name: string) => file.get(name) as unknown as { attrs: Record<string, { value: unknown }> };
      expect(group('tokens').attrs.weight_names!.value).toEqual([]);
      expect(group('bi').attrs.weight_names!.value).toEqual([
        'bi/forward_bi_lstm/lstm_cell/kernel:0',
        'bi/forward_bi_lstm/lstm_cell/recurrent_kernel:0',
        'bi/forward_bi_lstm/lstm_cell/bias:0',
        'bi/backward_bi_lstm/lstm_cell/kernel:0',
        'bi/backward_bi_lstm/lstm_cell/recurrent_kernel:0',
        'bi/backward_bi_lstm/lstm_cell/bias:0',
      ]);
      expect(group('gru').attrs.weight_names!.value).toEqual(['gru/gru_cell/kernel:0', 'gru/gru_cell/recurrent_kernel:0', 'gru/gru_cell/bias:0']);
      const tfjsWeights = exported.weights.get('bi')!;
      const kernel = file.get('bi/bi/backward_bi_lstm/lstm_cell/kernel:0') as unknown as { shape: number[]; value: Float32Array };
      const source = tfjsWeights.find((w) => w.name === 'bi/backward_bi_lstm/kernel')!;
      expect(kernel.shape).toEqual([4, 12]);
      expect(Array.from(kernel.value)).toEqual(Array.from(source.values));
      const bias = file.get('gru/gru/gru_cell/bias:0') as unknown as { shape: number[] };
      // GRU with reset_after=False, as the JSON says: one bias of 3 × units.
      expect(bias.shape).toEqual([6]);
    } finally {
      opened.close();
    }
  });

  it("pairs a model.json NetCanvas's Keras importer reads into the same graph with a weights file naming its layers", async () => {
    for (const [i, c] of [...TEMPLATES, { what: 'branchy', graph: branchy() }].entries()) {
      const exported = await exportOf(c.graph, i + 1);
      const files = await KERAS_WRITER.files(exported);
      const imported = importKerasModel(JSON.parse(fileOf(files, 'model.json').data as string), 'model.json');
      if (!imported.ok) throw new Error(`${c.what}: ${imported.error.message}`);
      // The export is the network the blocks stand for, each layer named by its block.
      expect(structure(imported.project.graph), c.what).toEqual(structure(networkOf(c.graph)));
      const opened = await openH5(fileOf(files, WEIGHTS_FILE).data as Uint8Array);
      try {
        const names = opened.file.attrs.layer_names!.value as string[];
        const importedNames = imported.project.graph.nodes.map((n) => n.name ?? n.id);
        expect([...names].sort(), c.what).toEqual([...importedNames].sort());
        for (const n of imported.project.graph.nodes) {
          const count = inferGraph(imported.project.graph).nodes[n.id]!;
          const weights = (opened.file.get(n.name ?? n.id) as unknown as { attrs: Record<string, { value: string[] }> }).attrs.weight_names!.value;
          expect(weights.length > 0, `${c.what}: ${n.id}`).toBe(count.trainableParams + count.nonTrainableParams > 0);
        }
      } finally {
        opened.close();
      }
    }
  });

  it('writes model.json, the weights, load_keras.py and a README that says how to load them', async () => {
    const { exported, model } = await compiledWithRandomWeights(branchy(), 4);
    model.dispose();
    const files = await KERAS_WRITER.files(exported);
    expect(files.map((f) => f.path).sort()).toEqual(['README.md', 'load_keras.py', 'model.json', WEIGHTS_FILE].sort());
    const readme = fileOf(files, 'README.md').data as string;
    expect(readme).toContain('keras.models.model_from_json');
    expect(readme).toContain(`model.load_weights("${WEIGHTS_FILE}")`);
    expect(readme).toContain('tensorflowjs_converter --input_format keras');
    const script = fileOf(files, 'load_keras.py').data as string;
    expect(script).toContain(`model.load_weights(str(HERE / "${WEIGHTS_FILE}"))`);
    expect(script).toContain('("x", (6,))');
  });

  it('refuses a layer whose Keras weight names it does not know, naming the layer and why', async () => {
    const graph: Graph = {
      nodes: [node('seq', 'Input', { shape: [4, 3] }), node('memory', 'LSTM', { units: 2 }), node('out', 'Dense', { units: 1 })],
      edges: [
        { id: 'e1', source: 'seq', target: 'memory' },
        { id: 'e2', source: 'memory', target: 'out' },
      ],
    };
    const { exported, model } = await compiledWithRandomWeights(graph, 6);
    model.dispose();
    const { LSTM: _lstm, ...withoutLstm } = LAYOUTS;
    const writer = kerasWriter(withoutLstm);
    expect(writer.refusals(exported)).toEqual([
      { nodeId: 'memory', layer: 'LSTM "memory"', reason: 'NetCanvas does not know how Keras names and orders the weights of LSTM.' },
    ]);
    const error = await writer.files(exported).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportRefused);
    expect((error as ExportRefused).message).toContain('LSTM "memory": NetCanvas does not know how Keras names and orders the weights of LSTM.');
  });

  it('refuses a layer whose TensorFlow.js weights are not those of its Keras layer', async () => {
    const graph: Graph = {
      nodes: [node('x', 'Input', { shape: [3] }), node('dense', 'Dense', { units: 2 })],
      edges: [{ id: 'e1', source: 'x', target: 'dense' }],
    };
    const { exported, model } = await compiledWithRandomWeights(graph, 7);
    model.dispose();
    const weights = new Map(exported.weights);
    weights.set('dense', [exported.weights.get('dense')![0]!]);
    const refusals = KERAS_WRITER.refusals({ ...exported, weights });
    expect(refusals).toHaveLength(1);
    expect(refusals[0]!.layer).toBe('Dense "dense"');
    expect(refusals[0]!.reason).toContain('(dense/kernel) are not the ones its Keras layer has (dense/kernel, dense/bias)');
  });
});

/** Layers (by Keras name), their params and who feeds whom. */
function structure(graph: Graph) {
  const inference = inferGraph(graph);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const names = uniqueLayerNames(graph.nodes);
  const nameOf = (id: string) => names.get(id)!;
  return inference.order
    .map((id) => `${nameOf(id)} ${byId.get(id)!.type} ${JSON.stringify(fullParams(byId.get(id)!.type, byId.get(id)!.params))} ← ${inference.portsOf[id]!.map((p) => `${nameOf(p.node)}:${p.output}`).join(', ')}`)
    .sort();
}

/** One Python process for every file: what Keras's h5 loader and tensorflowjs_converter read. */
const READ_BACK_PY = `
import ast, hashlib, json, sys
import h5py, numpy as np

def names(group, key):
    if key in group.attrs:
        return [n.decode("utf8") if hasattr(n, "decode") else n for n in group.attrs[key]]
    out, i = [], 0
    while f"{key}{i}" in group.attrs:
        out += [n.decode("utf8") for n in group.attrs[f"{key}{i}"]]
        i += 1
    return out

report = []
for case in json.load(open(sys.argv[1])):
    problems = []
    try:
        ast.parse(open(case["script"]).read())
    except SyntaxError as err:
        problems.append(f"load_keras.py: {err}")
    with h5py.File(case["file"], "r") as f:
        if f.attrs["backend"] != b"tensorflow": problems.append(f"backend {f.attrs['backend']!r}")
        if f.attrs["keras_version"] != b"2.15.0": problems.append(f"keras_version {f.attrs['keras_version']!r}")
        if f.attrs["layer_names"].dtype.kind != "S": problems.append("layer_names are not fixed-length byte strings")
        layer_names = names(f, "layer_names")
        want = {l["name"]: l for l in case["layers"]}
        if sorted(layer_names) != sorted(want): problems.append(f"layer_names {layer_names} != {sorted(want)}")
        for name in layer_names:
            if name not in f or name not in want:
                problems.append(f"no group {name}")
                continue
            g = f[name]
            got = names(g, "weight_names")
            expected = [w["name"] for w in want[name]["weights"]]
            if got != expected:
                problems.append(f"{name}: weight_names {got} != {expected}")
                continue
            for w in want[name]["weights"]:
                d = g[w["name"]]
                if d.dtype != np.float32: problems.append(f"{w['name']}: dtype {d.dtype}")
                if list(d.shape) != w["shape"]: problems.append(f"{w['name']}: shape {d.shape} != {w['shape']}")
                digest = hashlib.sha256(np.ascontiguousarray(d[()], dtype="<f4").tobytes()).hexdigest()
                if digest != w["sha256"]: problems.append(f"{w['name']}: values differ")
    report.append({"what": case["what"], "problems": problems})
print(json.dumps(report))
`;
