// NetCanvas's own tfjs layers register themselves with tfjs's deserializer when the builders load.
import '../../../../electron/compiler/builders/index.js';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../electron/compiler/compile.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import { summarize } from '../../../../shared/graph/summary.js';
import { isLayerRef, type Graph, type ParamValue, type Params } from '../../../../shared/graph/types.js';
import { importKerasModel } from '../../../../shared/keras/import.js';
import { getLayerSpec, layerTypes, withDefaults } from '../../../../shared/layers/registry.js';
import { ALL_SAMPLERS } from '../../../fixtures/layers/index.js';
import { sampleGraph } from '../../../fixtures/layers/sample-graph.js';
import { createRng } from '../../../fixtures/layers/types.js';
import { mobileNetJson, mobileNetTransferJson } from '../../../fixtures/keras/mobilenet.js';
import { embeddingLstm, savedByTfjs, teachableMachineLike } from '../../../fixtures/keras/tfjs-models.js';
import { fullParams } from '../../../fixtures/layers/full-params.js';

const SAMPLES = Number(process.env.NETCANVAS_LAYER_SAMPLES ?? 3);

beforeAll(async () => {
  await selectBackend('cpu');
});

afterAll(() => {
  tf.disposeVariables();
});

function imported(raw: unknown) {
  const result = importKerasModel(raw, 'model.json');
  if (!result.ok) throw new Error(result.error.message);
  return result;
}

function structure(graph: Graph) {
  const inference = inferGraph(graph);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  return {
    diagnostics: inference.diagnostics,
    layers: inference.order.map((id) => ({ id, type: byId.get(id)!.type, params: fullParams(byId.get(id)!.type, byId.get(id)!.params) })),
    wiring: inference.order.map((id) => `${id} ← ${inference.portsOf[id]!.map((p) => `${p.node}:${p.output}`).join(', ')}`),
    counts: [inference.totalParams, inference.trainableParams, inference.nonTrainableParams],
  };
}

/**
 * tfjs writes some settings as it resolved them, meaning the same: a pooling's strides equal to
 * its pool size where NetCanvas says null ("as the pool size"), Concatenate's and
 * LayerNormalization's axes counted from the front. Both sides are put in tfjs's form before comparing.
 */
function resolved(graph: Graph): Graph {
  const inference = inferGraph(graph);
  const resolve = (type: string, params: Params, rank: number): Params => {
    const full = withDefaults(getLayerSpec(type)!, params);
    const out: Record<string, ParamValue> = { ...full };
    if ('poolSize' in full && full.strides === null) out.strides = full.poolSize!;
    if (type === 'Concatenate' && typeof full.axis === 'number' && full.axis < 0) out.axis = full.axis + rank;
    if (type === 'LayerNormalization' && Array.isArray(full.axis)) out.axis = full.axis.map((a) => (a < 0 ? a + rank : a));
    for (const [k, v] of Object.entries(full)) if (isLayerRef(v)) out[k] = { type: v.type, params: resolve(v.type, v.params, rank - 1) };
    return out;
  };
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const port = inference.portsOf[n.id]?.[0];
      const rank = port ? (inference.nodes[port.node]?.outputShapes?.[port.output]?.length ?? 0) : 0;
      return { ...n, params: resolve(n.type, n.params, rank) };
    }),
  };
}

/** tfjs-layers 4.22 leaves depth_multiplier out of SeparableConv2D's config: its files cannot say anything but 1. */
const TFJS_DROPS: Record<string, Record<string, ParamValue>> = { SeparableConv2D: { depthMultiplier: 1 } };

describe('models saved by TensorFlow.js itself, nulls and all', () => {
  describe.each(layerTypes().filter((t) => t !== 'Input'))('%s', (type) => {
    it('comes back from tfjs model.save with the same params, wiring and counts', async () => {
      const sampler = ALL_SAMPLERS.find((s) => s.type === type)!;
      const rng = createRng(type.split('').reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 11));
      for (let k = 0; k < SAMPLES; k++) {
        const generated = sampler.generate(rng);
        const sample = { ...generated, params: { ...generated.params, ...TFJS_DROPS[type] } };
        const graph = sampleGraph(type, sample);
        const model = compileGraph(graph);
        try {
          const { modelTopology } = await savedByTfjs(model);
          const back = imported({ modelTopology, format: 'layers-model' }).project.graph;
          expect(structure(resolved(back)), JSON.stringify(sample)).toEqual(structure(resolved(graph)));
        } finally {
          model.dispose();
        }
      }
    });
  });
});

const fixture = (file: string): Record<string, unknown> => JSON.parse(readFileSync(`test/fixtures/keras/${file}`, 'utf8'));

function counts(graph: Graph) {
  const summary = summarize(graph);
  expect(summary.errors).toEqual([]);
  return { total: summary.totalParams, trainable: summary.trainableParams, nonTrainable: summary.nonTrainableParams, outputs: summary.outputShapes };
}

describe('files TensorFlow.js writes with model.save', () => {
  it('imports an Embedding and an LSTM whose defaults tfjs wrote as null (mask_zero: null)', async () => {
    const file = fixture('tfjs-embedding-lstm.model.json');
    const model = embeddingLstm();
    try {
      // The fixture is what this tfjs writes.
      expect((await savedByTfjs(model)).modelTopology).toEqual(file.modelTopology);
    } finally {
      model.dispose();
    }
    expect(JSON.stringify(file)).toContain('"mask_zero":null');
    const result = imported(file);
    const byName = new Map(result.project.graph.nodes.map((n) => [n.name, n]));
    expect(byName.get('embedding')!.params).toMatchObject({ inputDim: 1000, outputDim: 16, maskZero: false });
    // Embedding 1000·16 + LSTM 4·(32·(16 + 32) + 32) + Dense 32·4 + 4 = 16,000 + 6,272 + 132
    expect(counts(result.project.graph)).toEqual({ total: 22_404, trainable: 22_404, nonTrainable: 0, outputs: [[4]] });
  });

  it("imports Teachable Machine's Sequential of Sequentials, with every weight's layer name", async () => {
    const file = fixture('tfjs-teachable-machine.model.json');
    const model = teachableMachineLike();
    try {
      expect((await savedByTfjs(model)).modelTopology).toEqual(file.modelTopology);
    } finally {
      model.dispose();
    }
    const result = imported(file);
    const { nodes } = result.project.graph;
    expect(nodes.map((n) => n.type)).toEqual(['Input', 'Conv2D', 'BatchNormalization', 'ReLU', 'GlobalAveragePooling2D', 'Dense', 'Dense']);
    expect(nodes.find((n) => n.type === 'ReLU')!.params).toMatchObject({ maxValue: 6 });
    // Conv2D 3·3·3·8 (no bias) + BatchNormalization 4·8 (of which 2·8 not trainable) + Dense 8·10 + 10 + Dense 10·3 + 3
    expect(counts(result.project.graph)).toEqual({ total: 216 + 32 + 90 + 33, trainable: 216 + 16 + 90 + 33, nonTrainable: 16, outputs: [[3]] });
    // The weight manifest names weights by layer: each of them belongs to an imported node.
    const manifest = (file.weightsManifest as { weights: { name: string }[] }[]).flatMap((group) => group.weights.map((w) => w.name.slice(0, w.name.lastIndexOf('/'))));
    expect(new Set(manifest)).toEqual(new Set(['Conv1', 'bn_Conv1', 'dense_Dense1', 'dense_Dense2']));
    for (const layer of manifest) expect(Object.values(result.weightNames)).toContain(layer);
    const conv = nodes.find((n) => n.type === 'Conv2D')!;
    expect(result.weightNames[conv.id]).toBe('Conv1');
    expect(result.weightScopes[conv.id]).toEqual(['sequential_1', 'model1']);
  });
});

describe("Keras's MobileNet", () => {
  it('imports MobileNet v1 (alpha 1.0, 224×224, 1000 classes) with the 4,253,864 parameters Keras reports, 4,231,976 trainable', () => {
    const result = imported(mobileNetJson());
    // conv1 3·3·3·32 = 864; per depthwise block with c_in → c_out: 9·c_in + c_in·c_out, plus 4·c_in + 4·c_out of
    // BatchNormalization, half of it moving statistics; conv_preds 1024·1000 + 1000. The moving statistics:
    // 2·(32 + Σ c_in + Σ c_out) = 2·(32 + 4,960 + 5,952) = 21,888 not trainable.
    expect(counts(result.project.graph)).toEqual({ total: 4_253_864, trainable: 4_231_976, nonTrainable: 21_888, outputs: [[1000]] });
    const types = result.project.graph.nodes.map((n) => n.type);
    expect(types.filter((t) => t === 'DepthwiseConv2D')).toHaveLength(13);
    expect(types.filter((t) => t === 'ReLU')).toHaveLength(27);
    expect(result.project.graph.nodes.find((n) => n.name === 'conv_pad_2')!.type).toBe('ZeroPadding2D');
  });

  it("imports TF 2.6's MobileNet, whose top pools with keepdims, as the same network as TF 2.5's", () => {
    const result = imported(mobileNetJson('2.6'));
    const { graph } = result.project;
    expect(counts(graph)).toEqual({ total: 4_253_864, trainable: 4_231_976, nonTrainable: 21_888, outputs: [[1000]] });
    // Layer for layer what TF 2.5 wrote, its reshape_1 now the pooling's Reshape.
    const layers = (g: Graph) => structure(g).layers.map(({ type, params }) => ({ type, params }));
    expect(layers(graph)).toEqual(layers(imported(mobileNetJson('2.5')).project.graph));
    const id = (name: string) => graph.nodes.find((n) => n.name === name)!.id;
    const reshape = graph.nodes.find((n) => n.name === 'global_average_pooling2d_keepdims')!;
    expect(reshape).toMatchObject({ type: 'Reshape', params: { targetShape: [1, 1, 1024] } });
    expect(graph.edges.find((e) => e.target === reshape.id)!.source).toBe(id('global_average_pooling2d'));
    expect(graph.edges.find((e) => e.target === id('dropout'))!.source).toBe(reshape.id);
    expect(inferGraph(graph).nodes[reshape.id]!.outputShape).toEqual([null, 1, 1, 1024]);
    expect(result.weightNames[reshape.id]).toBeUndefined();
    expect(result.weightNames[id('conv_preds')]).toBe('conv_preds');
    expect(result.warnings).toEqual([
      'GlobalAveragePooling2D "global_average_pooling2d" keeps its pooled dimensions in Keras (keepdims: true), which NetCanvas\'s GlobalAveragePooling2D does not; it is now the pooling followed by a Reshape "global_average_pooling2d_keepdims" to (1, 1, 1024), which gives the same shape.',
    ]);
  });

  it('is a model tfjs-layers reads with the same count', async () => {
    const model = await tf.models.modelFromJSON({ modelTopology: mobileNetJson() } as unknown as tf.io.ModelJSON);
    try {
      expect(model.countParams()).toBe(4_253_864);
    } finally {
      model.dispose();
    }
  });

  it('imports a frozen MobileNet base used as one layer of a new model, laid out in it and kept frozen', () => {
    const result = imported(mobileNetTransferJson());
    const { nodes, edges } = result.project.graph;
    // The base without its top: 4,253,864 − 1,025,000 (conv_preds), all frozen; the new Dense 1024·2 + 2.
    expect(counts(result.project.graph)).toEqual({ total: 3_228_864 + 2_050, trainable: 2_050, nonTrainable: 3_228_864, outputs: [[2]] });
    // The base's own input gives way to the new model's, which now feeds its first layer.
    expect(nodes.filter((n) => n.type === 'Input').map((n) => n.name)).toEqual(['input_2']);
    const id = (name: string) => nodes.find((n) => n.name === name)!.id;
    expect(edges.find((e) => e.target === id('conv1'))!.source).toBe(id('input_2'));
    expect(edges.find((e) => e.target === id('global_average_pooling2d'))!.source).toBe(id('conv_pw_13_relu'));
    expect(nodes.filter((n) => n.frozen).length).toBe(nodes.filter((n) => result.weightScopes[n.id]).length);
    expect(nodes.find((n) => n.name === 'dense')!.frozen).toBeUndefined();
    expect(result.weightScopes[id('conv1')]).toEqual(['mobilenet_1.00_224']);
  });
});

type LayerEntry = [className: string, name: string, config: Record<string, unknown>, inputs: (string | [string, number, number])[]];

/** Keras 2 functional JSON from [class, name, config, inputs]; a nested model's config is its own. */
function keras2(layers: LayerEntry[], outputs?: string[], name = 'model') {
  return {
    class_name: 'Functional',
    config: {
      name,
      layers: layers.map(([className, layer, config, inputs]) => ({
        class_name: className,
        name: layer,
        config: ['Sequential', 'Functional'].includes(className) ? config : { name: layer, ...config },
        inbound_nodes: inputs.length === 0 ? [] : [inputs.map((i) => (typeof i === 'string' ? [i, 0, 0, {}] : [...i, {}]))],
      })),
      input_layers: layers.filter(([c]) => c === 'InputLayer').map(([, layer]) => [layer, 0, 0]),
      output_layers: (outputs ?? [layers[layers.length - 1]![1]]).map((layer) => [layer, 0, 0]),
    },
    keras_version: '2.15.0',
    backend: 'tensorflow',
  };
}

const input = (name: string, shape: number[]): LayerEntry => ['InputLayer', name, { batch_input_shape: [null, ...shape] }, []];
const sequential = (name: string, layers: { class_name: string; config: Record<string, unknown> }[], trainable?: boolean) => ({
  name,
  ...(trainable === undefined ? {} : { trainable }),
  layers,
});
const dense = (name: string, units: number) => ({ class_name: 'Dense', config: { name, units, activation: 'relu' } });

function failure(raw: unknown) {
  const result = importKerasModel(raw, 'model.json');
  if (result.ok) throw new Error('expected the import to fail');
  return result.error;
}

describe('global pooling with keepdims', () => {
  // A 1×1 convolution after the pooling needs the kept dimensions: it takes no flat vector.
  const cases: [type: string, shape: number[], kept: number[], head: string][] = [
    ['GlobalMaxPooling1D', [6, 5], [1, 5], 'Conv1D'],
    ['GlobalAveragePooling1D', [6, 5], [1, 5], 'Conv1D'],
    ['GlobalMaxPooling2D', [4, 3, 7], [1, 1, 7], 'Conv2D'],
    ['GlobalAveragePooling2D', [4, 3, 7], [1, 1, 7], 'Conv2D'],
  ];
  const edgeList = (graph: Graph) => graph.edges.map((e) => `${e.source} → ${e.target}`).sort();

  it.each(cases)('imports %s with keepdims as the pooling and a Reshape, which what read it reads', (type, shape, kept, head) => {
    const kernel = kept.slice(0, -1);
    const result = imported(keras2([input('x', shape), [type, 'pool', { keepdims: true }, ['x']], [head, 'head', { filters: 2, kernel_size: kernel }, ['pool']]]));
    const { graph } = result.project;
    expect(graph.nodes.map((n) => [n.type, n.name, n.params])).toEqual([
      ['Input', 'x', { shape }],
      [type, 'pool', {}],
      ['Reshape', 'pool_keepdims', { targetShape: kept }],
      [head, 'head', expect.objectContaining({ filters: 2, kernelSize: kernel })],
    ]);
    expect(edgeList(graph)).toEqual(['pool → pool_keepdims', 'pool_keepdims → head', 'x → pool']);
    const inference = inferGraph(graph);
    expect(inference.nodes.pool!.outputShape).toEqual([null, shape.at(-1)]);
    expect(inference.nodes.pool_keepdims!.outputShape).toEqual([null, ...kept]);
    expect(counts(graph)).toEqual({ total: shape.at(-1)! * 2 + 2, trainable: shape.at(-1)! * 2 + 2, nonTrainable: 0, outputs: [[...kept.slice(0, -1), 2]] });
    expect(result.weightNames).toEqual({ x: 'x', pool: 'pool', head: 'head' });
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain(`${type} "pool" keeps its pooled dimensions in Keras (keepdims: true)`);
    const model = compileGraph(graph);
    try {
      expect(model.outputs[0]!.shape).toEqual([null, ...kept.slice(0, -1), 2]);
    } finally {
      model.dispose();
    }
  });

  it.each(cases)('imports %s with keepdims false, or none, as the pooling alone', (type, shape) => {
    for (const config of [{ keepdims: false }, {}]) {
      const result = imported(keras2([input('x', shape), [type, 'pool', config, ['x']]]));
      expect(result.project.graph.nodes.map((n) => n.type)).toEqual(['Input', type]);
      expect(result.warnings).toEqual([]);
    }
  });

  it('makes the Reshape the output where the pooling was one, under a name not taken yet', () => {
    const result = imported(
      keras2(
        [input('x', [4, 4, 3]), ['Conv2D', 'pool_keepdims', { filters: 3, kernel_size: [1, 1] }, ['x']], ['GlobalAveragePooling2D', 'pool', { keepdims: true }, ['pool_keepdims']]],
        ['pool'],
      ),
    );
    const { graph } = result.project;
    expect(graph.nodes.map((n) => n.name)).toEqual(['x', 'pool_keepdims', 'pool', 'pool_keepdims_2']);
    expect(graph.edges.find((e) => e.source === 'pool')!.target).toBe('pool_keepdims_2');
    expect(counts(graph).outputs).toEqual([[1, 1, 3]]);
    expect(new Set(graph.edges.map((e) => e.id)).size).toBe(graph.edges.length);
    expect(result.warnings).toEqual([expect.stringContaining('a Reshape "pool_keepdims_2" to (1, 1, 3)')]);
  });

  it('keeps every channel with -1 where a problem further up leaves the pooled shape unknown', () => {
    // Dense takes no image: the import keeps it, with its problem, for the user to fix.
    const result = imported(keras2([input('x', [4, 4, 3]), ['Dense', 'dense', { units: 3 }, ['x']], ['GlobalMaxPooling2D', 'pool', { keepdims: true }, ['dense']]]));
    const { graph } = result.project;
    expect(graph.nodes.find((n) => n.name === 'pool_keepdims')!.params).toEqual({ targetShape: [1, 1, -1] });
    expect(summarize(graph).errors.map((e) => [e.node, e.code])).toEqual([['dense', 'NEEDS_FLAT_INPUT']]);
  });

  it('expands a keepdims pooling inside a nested model, frozen with it, keeping the names its weights go by', () => {
    const backbone = keras2(
      [
        input('input_1', [8, 8, 3]),
        ['Conv2D', 'conv', { filters: 4, kernel_size: [3, 3], padding: 'same' }, ['input_1']],
        ['GlobalMaxPooling2D', 'pool', { keepdims: true }, ['conv']],
      ],
      undefined,
      'backbone',
    ).config;
    const result = imported(
      keras2([
        input('image', [8, 8, 3]),
        ['Functional', 'backbone', { ...backbone, trainable: false }, ['image']],
        ['Conv2D', 'head', { filters: 2, kernel_size: [1, 1] }, [['backbone', 1, 0]]],
        ['Flatten', 'flat', {}, ['head']],
      ]),
    );
    const { graph } = result.project;
    expect(graph.nodes.map((n) => [n.name, n.type, n.frozen ?? false])).toEqual([
      ['image', 'Input', false],
      ['conv', 'Conv2D', true],
      ['pool', 'GlobalMaxPooling2D', true],
      ['pool_keepdims', 'Reshape', true],
      ['head', 'Conv2D', false],
      ['flat', 'Flatten', false],
    ]);
    expect(edgeList(graph)).toEqual(['conv → pool', 'head → flat', 'image → conv', 'pool → pool_keepdims', 'pool_keepdims → head']);
    // conv 3·3·3·4 + 4, frozen; head 4·2 + 2 on the (1, 1, 4) the Reshape gives back.
    expect(counts(graph)).toEqual({ total: 112 + 10, trainable: 10, nonTrainable: 112, outputs: [[2]] });
    expect(result.weightNames).toEqual({ image: 'image', conv: 'conv', pool: 'pool', head: 'head', flat: 'flat' });
    expect(result.weightScopes).toEqual({ conv: ['backbone'], pool: ['backbone'] });
  });
});

describe('ReLU and relu6', () => {
  it("imports Keras's ReLU layer with max_value, negative_slope and threshold, and None for no cap", () => {
    const result = imported(
      keras2([
        input('x', [4]),
        ['ReLU', 'relu6', { max_value: 6.0, negative_slope: 0.0, threshold: 0.0 }, ['x']],
        ['ReLU', 'leaky', { max_value: null, negative_slope: 0.1, threshold: 0.5 }, ['relu6']],
      ]),
    );
    expect(result.project.graph.nodes.slice(1).map((n) => [n.type, n.params])).toEqual([
      ['ReLU', { maxValue: 6, negativeSlope: 0, threshold: 0 }],
      ['ReLU', { maxValue: null, negativeSlope: 0.1, threshold: 0.5 }],
    ]);
  });

  it('imports the relu6 activation, as a layer and as a Dense activation', () => {
    const result = imported(keras2([input('x', [4]), ['Dense', 'd', { units: 3, activation: 'relu6' }, ['x']], ['Activation', 'a', { activation: 'relu6' }, ['d']]]));
    expect(result.project.graph.nodes.slice(1).map((n) => n.params.activation)).toEqual(['relu6', 'relu6']);
  });
});

describe('models inside models', () => {
  it('reads the Keras 2.2 list-style Sequential, also as a layer of another', () => {
    const raw = {
      class_name: 'Sequential',
      config: [
        { class_name: 'Sequential', config: [{ class_name: 'Dense', config: { name: 'hidden', units: 5, activation: 'relu', batch_input_shape: [null, 3] } }] },
        { class_name: 'Dense', config: { name: 'out', units: 2, activation: 'softmax' } },
      ],
      keras_version: '2.2.4',
      backend: 'tensorflow',
    };
    const result = imported(raw);
    expect(result.project.graph.nodes.map((n) => [n.type, n.name])).toEqual([
      ['Input', 'hidden_input'],
      ['Dense', 'hidden'],
      ['Dense', 'out'],
    ]);
    expect(counts(result.project.graph)).toEqual({ total: 3 * 5 + 5 + (5 * 2 + 2), trainable: 32, nonTrainable: 0, outputs: [[2]] });
  });

  it('makes names that repeat across nested models unique, says so, and keeps the names weights go by', () => {
    const result = imported(
      keras2([
        input('x', [4]),
        ['Sequential', 'first', sequential('first', [dense('dense', 3)]), ['x']],
        ['Sequential', 'second', sequential('second', [dense('dense', 2)]), ['first']],
      ]),
    );
    const { nodes, edges } = result.project.graph;
    expect(nodes.map((n) => n.name)).toEqual(['x', 'dense', 'dense_2']);
    expect(edges.map((e) => `${e.source}→${e.target}`)).toEqual(['x→dense', 'dense→dense_2']);
    expect(result.warnings).toContainEqual(expect.stringMatching(/"dense".*"second".*"dense_2"/));
    expect(result.weightNames).toEqual({ x: 'x', dense: 'dense', dense_2: 'dense' });
    expect(result.weightScopes).toEqual({ dense: ['first'], dense_2: ['second'] });
  });

  it('freezes every layer of a nested model that is not trainable as a whole', () => {
    const result = imported(keras2([input('x', [4]), ['Sequential', 'base', sequential('base', [dense('a', 3), dense('b', 3)], false), ['x']], ['Dense', 'head', { units: 2 }, ['base']]]));
    expect(result.project.graph.nodes.map((n) => [n.name, n.frozen ?? false])).toEqual([
      ['x', false],
      ['a', true],
      ['b', true],
      ['head', false],
    ]);
  });

  it('refuses a nested model used twice, naming it and what to do', () => {
    const raw = keras2([input('x', [4]), input('y', [4]), ['Sequential', 'tower', sequential('tower', [dense('d', 3)]), ['x']], ['Add', 'sum', {}, [['tower', 0, 0], ['tower', 1, 0]]]], ['sum']);
    (raw.config.layers[2]!.inbound_nodes as unknown[]).push([['y', 0, 0, {}]]);
    expect(failure(raw).message).toMatch(/"tower" \(Sequential\) is used 2 times \(a shared layer\).*make a separate layer for each use/);
  });

  it('says which nested model is malformed', () => {
    const error = failure(keras2([input('x', [4]), ['Sequential', 'tower', { name: 'tower' }, ['x']]]));
    expect(error.message).toBe('model.json: in the nested model Sequential "tower": a Sequential model\'s "config" needs a "layers" list.');
  });
});

describe('what still cannot come in', () => {
  it('names each layer NetCanvas lacks with its class, and the nearest it has', () => {
    const error = failure(keras2([input('x', [4]), ['PReLU', 'p_re_lu', {}, ['x']], ['Lambda', 'lambda', {}, ['p_re_lu']]]));
    expect(error.code).toBe('UNSUPPORTED_LAYERS');
    expect(error.message).toContain('PReLU ("p_re_lu"; LeakyReLU is the nearest, with one fixed slope instead of learned ones)');
    expect(error.message).toContain('Lambda ("lambda"; its Python code is not in the file: rebuild that step from NetCanvas layers)');
  });
});
