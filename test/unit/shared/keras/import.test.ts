import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../../../shared/graph/infer.js';
import { importKerasModel } from '../../../../shared/keras/import.js';
import { parseModelFile } from '../../../../shared/project/parse.js';

/** Keras 2 functional JSON from a compact description: [class, name, config, inputs]. */
function keras2(layers: [string, string, Record<string, unknown>, (string | [string, number, number])[]][], outputs?: string[]) {
  return {
    class_name: 'Functional',
    config: {
      name: 'model',
      layers: layers.map(([className, name, config, inputs]) => ({
        class_name: className,
        name,
        config: { name, ...config },
        inbound_nodes: inputs.length === 0 ? [] : [inputs.map((i) => (typeof i === 'string' ? [i, 0, 0, {}] : [...i, {}]))],
      })),
      input_layers: layers.filter(([c]) => c === 'InputLayer').map(([, name]) => [name, 0, 0]),
      output_layers: (outputs ?? [layers[layers.length - 1]![1]]).map((name) => [name, 0, 0]),
    },
    keras_version: '2.15.0',
    backend: 'tensorflow',
  };
}

const input = (name: string, shape: (number | null)[]) => ['InputLayer', name, { batch_input_shape: [null, ...shape] }, []] as [string, string, Record<string, unknown>, string[]];

function failure(raw: unknown) {
  const result = importKerasModel(raw, 'model.json');
  if (result.ok) throw new Error('expected the import to fail');
  return result.error;
}

describe('importing Keras JSON: what goes wrong, said plainly', () => {
  it('names every layer NetCanvas does not have, in one message', () => {
    const error = failure(
      keras2([input('in', [4]), ['Lambda', 'lambda_1', {}, ['in']], ['CustomThing', 'ct', {}, ['lambda_1']], ['Dense', 'out', { units: 2 }, ['ct']]]),
    );
    expect(error).toEqual({
      code: 'UNSUPPORTED_LAYERS',
      message:
        'model.json: This model uses layers NetCanvas does not have yet: Lambda ("lambda_1"; its Python code is not in the file: rebuild that step from NetCanvas layers), CustomThing ("ct"). Replace them and import again.',
    });
  });

  it('names an unknown layer inside a wrapper too', () => {
    const wrapped = { class_name: 'TimeDistributed', config: { layer: { class_name: 'QuantumDense', config: { name: 'qd' } } } };
    const error = failure(keras2([input('in', [3, 4]), ['TimeDistributed', 'td', wrapped.config, ['in']]]));
    // Whether TimeDistributed itself is known depends on the registry; the inner layer never is.
    expect(error.code).toBe('UNSUPPORTED_LAYERS');
    expect(error.message).toMatch(/(QuantumDense \("qd"\)|TimeDistributed \("td"\))/);
  });

  it('refuses an activation NetCanvas lacks, naming the layer and what it has', () => {
    const error = failure(keras2([input('in', [4]), ['Dense', 'd', { units: 2, activation: 'leaky_relu' }, ['in']]]));
    expect(error.code).toBe('UNSUPPORTED_MODEL');
    expect(error.message).toContain('Dense "d" uses the activation "leaky_relu", which NetCanvas does not have (it has linear, relu');
  });

  it('reads a missing (None) activation as linear', () => {
    const result = importKerasModel(keras2([input('in', [4]), ['Dense', 'd', { units: 2, activation: null }, ['in']]]));
    expect(result.ok && result.project.graph.nodes[1]!.params.activation).toBe('linear');
  });

  it('names the layer and key of a value of the wrong kind', () => {
    const error = failure(keras2([input('in', [4]), ['Dense', 'd', { units: 'many' }, ['in']]]));
    expect(error.message).toBe('model.json: Dense "d": "units" should be a number but is "many".');
  });

  it('refuses channels_first data, which NetCanvas does not lay out', () => {
    const error = failure(keras2([input('in', [1, 28, 28]), ['Flatten', 'f', { data_format: 'channels_first' }, ['in']]]));
    expect(error.message).toContain('Flatten "f" uses data_format "channels_first"; NetCanvas supports only channels_last');
  });

  it('refuses an input size left open besides the batch, naming the layer', () => {
    const error = failure(keras2([input('words', [null, 8]), ['Dense', 'd', { units: 2 }, ['words']]]));
    expect(error.code).toBe('UNSUPPORTED_MODEL');
    expect(error.message).toContain('InputLayer "words" has the shape (?, ?, 8), with a size left open besides the batch');
  });

  it('refuses a shared layer, naming it', () => {
    const model = keras2([input('a', [4]), input('b', [4]), ['Dense', 'shared', { units: 2 }, ['a']], ['Add', 'sum', {}, ['shared', ['shared', 1, 0]]]]);
    (model.config.layers[2]!.inbound_nodes as unknown[]).push([['b', 0, 0, {}]]);
    const error = failure(model);
    expect(error.code).toBe('UNSUPPORTED_MODEL');
    expect(error.message).toContain('layer "shared" (Dense) is used 2 times (a shared layer)');
  });

  it('refuses a reference to a second call of a layer, naming it', () => {
    const error = failure(keras2([input('a', [4]), ['Dense', 'd', { units: 2 }, [['a', 1, 0]]]]));
    expect(error.message).toContain('uses call 2 of layer "a" (a shared layer)');
  });

  it('says where the file is malformed', () => {
    expect(failure({ class_name: 'Functional', config: { name: 'm' } }).message).toBe('model.json: a functional model\'s "config" needs a "layers" list.');
    const badNode = keras2([input('in', [4]), ['Dense', 'd', { units: 2 }, ['in']]]);
    (badNode.config.layers[1] as { inbound_nodes: unknown }).inbound_nodes = [[['in', 'zero', 0, {}]]];
    expect(failure(badNode).message).toMatch(/^model\.json: layer "d" \(Dense\): an inbound node must be \[layer name, node index, tensor index, kwargs\]/);
    const missing = keras2([input('in', [4]), ['Dense', 'd', { units: 2 }, ['nowhere']]]);
    expect(failure(missing).message).toBe('model.json: Dense "d" refers to a layer "nowhere" that the model does not have.');
    expect(failure({ class_name: 'Dense', config: { units: 3 } }).message).toContain('expected a whole model (Sequential, Functional or Model) but the file holds a single Dense layer');
    expect(failure({ format: 'graph-model', modelTopology: {} }).message).toContain('this is a TensorFlow.js "graph-model" file; NetCanvas imports only layers models');
  });

  it('asks for the input shape of a Sequential model that has none', () => {
    const error = failure({ class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { name: 'd', units: 3 } }] } });
    expect(error.message).toContain('the Sequential model does not say what shape its input has');
  });

  it('takes a Sequential model\'s input shape from build_input_shape when it has no InputLayer', () => {
    const result = importKerasModel({
      module: 'keras',
      class_name: 'Sequential',
      config: { name: 's', layers: [{ module: 'keras.layers', class_name: 'Dense', config: { name: 'd', units: 3 } }], build_input_shape: [null, 5] },
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.project.graph.nodes.map((n) => [n.name, n.type, n.params])).toEqual([
      ['d_input', 'Input', { shape: [5] }],
      ['d', 'Dense', { units: 3, activation: 'linear', useBias: true }],
    ]);
  });

  it('reads Keras 3 input_layers written as one reference or as a dict', () => {
    const tensor = (name: string) => ({ class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: [name, 0, 0] } });
    const model = (inputs: unknown) => ({
      module: 'keras',
      class_name: 'Functional',
      config: {
        name: 'k3',
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 4], name: 'x' }, name: 'x', inbound_nodes: [] },
          { module: 'keras.layers', class_name: 'Dense', config: { name: 'y', units: 2 }, name: 'y', inbound_nodes: [{ args: [tensor('x')], kwargs: {} }] },
        ],
        input_layers: inputs,
        output_layers: ['y', 0, 0],
      },
    });
    for (const inputs of [['x', 0, 0], [['x', 0, 0]], { x: ['x', 0, 0] }]) {
      const result = importKerasModel(model(inputs));
      expect(result.ok && result.flavour).toBe('keras3');
      if (result.ok) expect(inferGraph(result.project.graph).totalParams).toBe(10);
    }
  });

  it('connects Keras 3 named inputs to their slots and reads call arguments', () => {
    const tensor = (name: string) => ({ class_name: '__keras_tensor__', config: { shape: [null, 5, 8], dtype: 'float32', keras_history: [name, 0, 0] } });
    const inputLayer = (name: string) => ({ module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 5, 8], name }, name, inbound_nodes: [] });
    const result = importKerasModel({
      module: 'keras',
      class_name: 'Functional',
      config: {
        name: 'attention',
        layers: [
          inputLayer('q'),
          inputLayer('v'),
          inputLayer('k'),
          {
            module: 'keras.layers',
            class_name: 'MultiHeadAttention',
            config: { name: 'mha', num_heads: 2, key_dim: 4, value_dim: null, dropout: 0.0, use_bias: true, output_shape: null, attention_axes: null },
            name: 'mha',
            inbound_nodes: [{ args: [tensor('q'), tensor('v')], kwargs: { key: tensor('k'), use_causal_mask: true, training: false } }],
          },
        ],
        input_layers: [['q', 0, 0], ['v', 0, 0], ['k', 0, 0]],
        output_layers: [['mha', 0, 0]],
      },
    });
    if (!result.ok) throw new Error(result.error.message);
    const { nodes, edges } = result.project.graph;
    expect(nodes.find((n) => n.id === 'mha')!.params).toMatchObject({ numHeads: 2, keyDim: 4, valueDim: null, useCausalMask: true });
    expect(edges.map((e) => [e.source, e.targetHandle])).toEqual([
      ['q', 'query'],
      ['v', 'value'],
      ['k', 'key'],
    ]);
    expect(inferGraph(result.project.graph).diagnostics).toEqual([]);
  });

  it('refuses a tensor passed as an input the layer does not have', () => {
    const model = keras2([input('a', [5, 8]), input('m', [5, 5]), ['MultiHeadAttention', 'mha', { num_heads: 2, key_dim: 4 }, ['a']]]);
    (model.config.layers[2]!.inbound_nodes[0]![0] as unknown[])[3] = { attention_mask: ['m', 0, 0] };
    expect(failure(model).message).toContain('MultiHeadAttention "mha" receives a tensor as "attention_mask"; NetCanvas\'s MultiHeadAttention has only the inputs query, value, key.');
  });

  it("passes on a layer's own reason for refusing a setting", () => {
    const error = failure(keras2([input('x', [5, 8]), ['MultiHeadAttention', 'mha', { num_heads: 2, key_dim: 4, output_shape: [16] }, ['x']]]));
    expect(error.message).toMatch(/^model\.json: MultiHeadAttention "mha": output_shape \[16\] is not supported.*\.$/);
  });

  it('warns about what it leaves out (regularizers) and keeps frozen layers frozen', () => {
    const result = importKerasModel(keras2([input('in', [4]), ['Dense', 'd', { units: 2, trainable: false, kernel_regularizer: { class_name: 'L2', config: { l2: 0.01 } } }, ['in']]]));
    expect(result.ok && result.warnings).toEqual(['Dense "d": NetCanvas has no kernel_regularizer; imported without.']);
    expect(result.ok && result.project.graph.nodes.map((n) => n.frozen ?? false)).toEqual([false, true]);
  });
});

describe('parseModelFile', () => {
  it('opens a NetCanvas project as before', () => {
    const result = parseModelFile(readFileSync('templates/mlp-mnist.netcanvas.json', 'utf8'), 'mlp.netcanvas.json');
    expect(result.ok && result.project.graph.nodes).toHaveLength(5);
    expect(result.ok && result.importedFrom).toBeUndefined();
  });

  it('says where a file stops being JSON', () => {
    const result = parseModelFile('{\n  "class_name": "Sequential",\n  oops\n}', 'model.json');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/^model\.json: The file is not valid JSON: .* at line 3, column \d+\.$/);
  });

  it('says what it can open when the JSON is something else', () => {
    const result = parseModelFile('{"hello": "world"}', 'other.json');
    expect(!result.ok && result.error.message).toBe(
      'other.json: expected a NetCanvas project (with "schemaVersion" and "graph"), a Keras model saved with model.to_json(), or a TensorFlow.js model.json.',
    );
  });

  it('never answers with a stack trace', () => {
    for (const text of ['null', '[]', '{"class_name": "Sequential", "config": 5}', '{"modelTopology": []}', '{"format": "layers-model", "modelTopology": {"model_config": "{"}}']) {
      const result = parseModelFile(text, 'x.json');
      expect(result.ok, text).toBe(false);
      if (!result.ok) expect(result.error.message, text).not.toMatch(/\n\s+at /);
    }
  });
});
