// NetCanvas's own tfjs layers register themselves with tfjs's deserializer when the builders load.
import '../../../../electron/compiler/builders/index.js';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../electron/compiler/compile.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import { type Graph } from '../../../../shared/graph/types.js';
import { exportModel, type ExportFormat } from '../../../../shared/keras/export.js';
import type { KerasModelJson, TfjsModelJson } from '../../../../shared/keras/format.js';
import { importKerasModel } from '../../../../shared/keras/import.js';
import { layerTypes } from '../../../../shared/layers/registry.js';
import { chain, node } from '../../../fixtures/graphs.js';
import { ALL_SAMPLERS } from '../../../fixtures/layers/index.js';
import { sampleGraph, weightCount } from '../../../fixtures/layers/sample-graph.js';
import { createRng } from '../../../fixtures/layers/types.js';
import { fullParams } from '../../../fixtures/layers/full-params.js';

const SAMPLES = Number(process.env.NETCANVAS_LAYER_SAMPLES ?? 4);
beforeAll(async () => {
  await selectBackend('cpu');
});

afterAll(() => {
  tf.disposeVariables();
});

function exported(graph: Graph, format: ExportFormat = 'keras-json') {
  const result = exportModel(graph, format, 'test model');
  if (!result.ok) throw new Error(result.error.message);
  return result;
}

function roundTrip(graph: Graph): Graph {
  const result = importKerasModel(JSON.parse(exported(graph).text), 'exported.json');
  if (!result.ok) throw new Error(result.error.message);
  return result.project.graph;
}

/** What a round trip must keep: layers, their params, who feeds whom (in order), inputs, outputs, shapes and counts. */
function structure(graph: Graph) {
  const inference = inferGraph(graph);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  return {
    diagnostics: inference.diagnostics,
    layers: inference.order.map((id) => ({ id, type: byId.get(id)!.type, params: fullParams(byId.get(id)!.type, byId.get(id)!.params) })),
    wiring: inference.order.map((id) => `${id} ← ${inference.portsOf[id]!.map((p) => `${p.node}:${p.output}`).join(', ')}`),
    inputs: inference.inputIds,
    outputs: inference.outputIds,
    shapes: inference.order.map((id) => inference.nodes[id]!.outputShapes),
    counts: [inference.totalParams, inference.trainableParams, inference.nonTrainableParams],
  };
}

/** tfjs-layers reads the TensorFlow.js flavour (the two differ only for layers with named inputs). */
async function expectTfjsReads(graph: Graph, what: string) {
  const inference = inferGraph(graph);
  const json = (exported(graph, 'tfjs-json').json as TfjsModelJson).modelTopology;
  const model = await tf.models.modelFromJSON({ modelTopology: json as unknown as tf.io.ModelJSON['modelTopology'] } as tf.io.ModelJSON);
  try {
    expect(model.countParams(), what).toBe(inference.totalParams);
    expect(weightCount(model.trainableWeights), what).toBe(inference.trainableParams);
    expect(weightCount(model.nonTrainableWeights), what).toBe(inference.nonTrainableParams);
    // tfjs-layers leaves a size unknown (null) where Keras works it out, e.g. Reshape's -1.
    const ours = inference.outputIds.map((id) => inference.nodes[id]!.outputShape!);
    const theirs = model.outputs.map((o, i) => o.shape.map((d, j) => (d === null ? (ours[i]?.[j] ?? null) : d)));
    expect(theirs, what).toEqual(ours);
  } finally {
    model.dispose();
  }
}

/** tf.loadLayersModel on a model.json, as a web page loading it would (no weights: tfjs initialises them). */
function loadModelJson(json: TfjsModelJson): Promise<tf.LayersModel> {
  const { modelTopology, format, generatedBy, convertedBy } = json;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology, format, generatedBy, convertedBy: convertedBy ?? undefined } as tf.io.ModelArtifacts));
}

describe.each(layerTypes().filter((t) => t !== 'Input'))('%s', (type) => {
  const sampler = ALL_SAMPLERS.find((s) => s.type === type);
  const samples = () => {
    const rng = createRng(type.split('').reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
    return Array.from({ length: sampler ? SAMPLES : 0 }, () => sampler!.generate(rng));
  };

  it('survives export and import with the same params, wiring and counts', () => {
    for (const sample of samples()) {
      const graph = sampleGraph(type, sample);
      expect(structure(roundTrip(graph)), JSON.stringify(sample)).toEqual(structure(graph));
    }
  });

  it('exports JSON that tfjs-layers loads with the same parameter counts', async () => {
    for (const sample of samples()) await expectTfjsReads(sampleGraph(type, sample), `${type} ${JSON.stringify(sample)}`);
  });
});

/** Graphs whose round trip the brief names: a CNN, an RNN, merges with a skip connection, several inputs and outputs. */
const NETWORKS: Record<string, () => Graph> = {
  cnn: () =>
    chain(
      node('image', 'Input', { shape: [28, 28, 1] }),
      node('conv', 'Conv2D', { filters: 8, kernelSize: [3, 3], activation: 'relu' }),
      node('norm', 'BatchNormalization'),
      node('pool', 'MaxPooling2D', { poolSize: [2, 2] }),
      node('conv2', 'Conv2D', { filters: 16, kernelSize: [3, 3], padding: 'same', activation: 'relu' }),
      node('flat', 'Flatten'),
      node('drop', 'Dropout', { rate: 0.25 }),
      node('out', 'Dense', { units: 10, activation: 'softmax' }),
    ),
  rnn: () =>
    chain(
      node('tokens', 'Input', { shape: [20] }),
      node('embed', 'Embedding', { inputDim: 500, outputDim: 16 }),
      node('bi', 'Bidirectional', { layer: { type: 'LSTM', params: { units: 12, returnSequences: true } }, mergeMode: 'concat' }),
      node('lstm', 'LSTM', { units: 8 }),
      node('out', 'Dense', { units: 2, activation: 'softmax' }),
    ),
  merges: () => ({
    nodes: [
      node('x', 'Input', { shape: [16] }),
      node('a', 'Dense', { units: 16, activation: 'relu' }),
      node('b', 'Dense', { units: 16 }),
      node('skip', 'Add'),
      node('c', 'Dense', { units: 8, activation: 'tanh' }),
      node('cat', 'Concatenate'),
      node('out', 'Dense', { units: 4, activation: 'softmax' }),
    ],
    edges: [
      { id: 'e1', source: 'x', target: 'a' },
      { id: 'e2', source: 'a', target: 'b' },
      { id: 'e3', source: 'x', target: 'skip' },
      { id: 'e4', source: 'b', target: 'skip' },
      { id: 'e5', source: 'skip', target: 'c' },
      { id: 'e6', source: 'c', target: 'cat' },
      { id: 'e7', source: 'skip', target: 'cat' },
      { id: 'e8', source: 'cat', target: 'out' },
    ],
  }),
  multiInputOutput: () => ({
    nodes: [
      node('left', 'Input', { shape: [10] }),
      node('right', 'Input', { shape: [6] }),
      node('l1', 'Dense', { units: 8, activation: 'relu' }),
      node('r1', 'Dense', { units: 8, activation: 'relu' }),
      node('both', 'Concatenate'),
      node('score', 'Dense', { units: 1, activation: 'sigmoid' }),
      node('sum', 'Add'),
      node('label', 'Dense', { units: 3, activation: 'softmax' }),
    ],
    edges: [
      { id: 'e1', source: 'left', target: 'l1' },
      { id: 'e2', source: 'right', target: 'r1' },
      { id: 'e3', source: 'l1', target: 'both' },
      { id: 'e4', source: 'r1', target: 'both' },
      { id: 'e5', source: 'both', target: 'score' },
      { id: 'e6', source: 'r1', target: 'sum' },
      { id: 'e7', source: 'l1', target: 'sum' },
      { id: 'e8', source: 'sum', target: 'label' },
    ],
  }),
};

describe.each(Object.keys(NETWORKS))('round trip of a %s', (name) => {
  const graph = NETWORKS[name]!();

  it('comes back with the same layers, params, wiring, inputs, outputs and counts', () => {
    const before = structure(graph);
    expect(before.diagnostics).toEqual([]);
    expect(structure(roundTrip(graph))).toEqual(before);
  });

  it('loads in tfjs-layers with the same counts, from both formats', async () => {
    await expectTfjsReads(graph, name);
    const model = await loadModelJson(exported(graph, 'tfjs-json').json as TfjsModelJson);
    try {
      expect(model.countParams()).toBe(inferGraph(graph).totalParams);
    } finally {
      model.dispose();
    }
  });
});

describe('exportModel', () => {
  const mlp = () =>
    chain(node('in', 'Input', { shape: [28, 28, 1] }), node('flat', 'Flatten'), node('hidden', 'Dense', { units: 32, activation: 'relu' }), node('out', 'Dense', { units: 10, activation: 'softmax' }));

  it('writes Keras 2 functional JSON', () => {
    const json = exported(mlp()).json as KerasModelJson;
    expect(json).toMatchObject({ class_name: 'Model', keras_version: '2.15.0', backend: 'tensorflow' });
    expect(json.config.name).toBe('test_model');
    expect(json.config.input_layers).toEqual([['in', 0, 0]]);
    expect(json.config.output_layers).toEqual([['out', 0, 0]]);
    expect(json.config.layers[0]).toEqual({
      class_name: 'InputLayer',
      name: 'in',
      config: { batch_input_shape: [null, 28, 28, 1], dtype: 'float32', sparse: false, name: 'in' },
      inbound_nodes: [],
    });
    expect(json.config.layers[2]).toEqual({
      class_name: 'Dense',
      name: 'hidden',
      config: { name: 'hidden', trainable: true, dtype: 'float32', units: 32, activation: 'relu', use_bias: true },
      inbound_nodes: [[['flat', 0, 0, {}]]],
    });
  });

  it('writes a TensorFlow.js model.json around the same topology, which tf.loadLayersModel reads', async () => {
    const json = exported(mlp(), 'tfjs-json').json as TfjsModelJson;
    expect(json).toMatchObject({ format: 'layers-model', generatedBy: 'NetCanvas', convertedBy: null, weightsManifest: [] });
    expect(json.modelTopology).toMatchObject({ class_name: 'Model', backend: 'tensor_flow.js' });
    expect(json.modelTopology.config).toEqual((exported(mlp()).json as KerasModelJson).config);
    const model = await loadModelJson(json);
    expect(model.countParams()).toBe(784 * 32 + 32 + (32 * 10 + 10));
    model.dispose();
  });

  it('names layers as the compiler does: valid names kept, others made valid and unique', async () => {
    const graph = chain(
      node('in', 'Input', { shape: [4] }),
      { ...node('a', 'Dense', { units: 3 }), name: 'my layer' },
      { ...node('b', 'Dense', { units: 3 }), name: 'my_layer' },
      { ...node('c', 'Dense', { units: 3 }), name: '2nd' },
      { ...node('d', 'Dense', { units: 3 }), name: 'my_layer' },
    );
    const names = (exported(graph).json as KerasModelJson).config.layers.map((l) => l.name);
    expect(names).toEqual(['in', 'my_layer', 'my_layer_2', 'l_2nd', 'my_layer_3']);
    const model = compileGraph(graph);
    expect(model.layers.map((l) => l.name)).toEqual(names);
    model.dispose();
  });

  it('passes named inputs by keyword for Keras and in the input list for tfjs, and reads both back', () => {
    const graph: Graph = {
      nodes: [
        node('q', 'Input', { shape: [5, 8] }),
        node('v', 'Input', { shape: [7, 6] }),
        node('mha', 'MultiHeadAttention', { numHeads: 2, keyDim: 4, useCausalMask: true }),
      ],
      edges: [
        { id: 'e1', source: 'v', target: 'mha', targetHandle: 'value' },
        { id: 'e2', source: 'q', target: 'mha', targetHandle: 'query' },
      ],
    };
    const keras = (exported(graph).json as KerasModelJson).config.layers.find((l) => l.name === 'mha')!;
    expect(keras.inbound_nodes).toEqual([[['q', 0, 0, { use_causal_mask: true, value: ['v', 0, 0] }]]]);
    expect(keras.config).not.toHaveProperty('use_causal_mask');
    const tfjs = (exported(graph, 'tfjs-json').json as TfjsModelJson).modelTopology.config.layers.find((l) => l.name === 'mha')!;
    expect(tfjs.inbound_nodes).toEqual([[['q', 0, 0, { use_causal_mask: true }], ['v', 0, 0, { use_causal_mask: true }]]]);
    for (const format of ['keras-json', 'tfjs-json'] as const) {
      const back = importKerasModel(JSON.parse(exported(graph, format).text));
      if (!back.ok) throw new Error(back.error.message);
      expect(structure(back.project.graph), format).toEqual(structure(graph));
      expect(back.project.graph.edges.filter((e) => e.target === 'mha').map((e) => [e.source, e.targetHandle])).toEqual([
        ['q', 'query'],
        ['v', 'value'],
      ]);
    }
  });

  it('refuses a graph with problems, saying what they are', () => {
    const result = exportModel(chain(node('in', 'Input', { shape: [26, 26, 3] }), node('d', 'Dense', { units: 2 })), 'keras-json');
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'GRAPH_ERRORS',
        message: 'The network has 1 problem to fix before it can be exported: [d] Dense needs a flat input (batch, features) but gets (?, 26, 26, 3): insert Flatten.',
      },
    });
  });
});
