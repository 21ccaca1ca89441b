import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import { summarize } from '../../../../shared/graph/summary.js';
import { importKerasModel } from '../../../../shared/keras/import.js';
import { parseModelFile } from '../../../../shared/project/parse.js';

/**
 * Hand-written files in the formats Keras 2, Keras 3 and TensorFlow.js write, each with the
 * parameter counts Keras's model.summary() reports for it, worked out by Keras's formulas:
 *   Dense: in·units + units          Conv2D: kh·kw·in·filters + filters
 *   LSTM: 4·(units·(in + units) + units)     Bidirectional: 2 × the wrapped layer
 *   BatchNormalization: 4·channels, of which 2·channels (moving mean, variance) not trainable
 *   Embedding: input_dim·output_dim    TimeDistributed: the wrapped layer on one step
 */
interface Fixture {
  file: string;
  flavour: 'keras2' | 'keras3' | 'tfjs';
  total: number;
  nonTrainable: number;
  outputShapes: (number | null)[][];
  /** Whether tfjs-layers can read the file too (it does not read the Keras 3 layout). */
  tfjs: boolean;
}

const FIXTURES: Fixture[] = [
  {
    // Keras 2.12 Sequential, Flatten(input_shape=...) → InputLayer "flatten_input".
    file: 'keras2-sequential-mlp.json',
    flavour: 'keras2',
    total: 784 * 128 + 128 + (128 * 10 + 10), // 101,770
    nonTrainable: 0,
    outputShapes: [[10]],
    tfjs: true,
  },
  {
    // Keras 2.2: the Sequential config is the bare layer list, the input shape on the first layer.
    file: 'keras2-sequential-rnn-list.json',
    flavour: 'keras2',
    total: 4 * (32 * (8 + 32) + 32) + (32 * 4 + 4), // LSTM 5,248 + TimeDistributed(Dense) 132 = 5,380
    nonTrainable: 0,
    outputShapes: [[10, 4]],
    tfjs: true,
  },
  {
    // Keras 2.15 functional: two inputs, a skip connection (Add), Bidirectional(LSTM), Concatenate.
    file: 'keras2-functional-merges.json',
    flavour: 'keras2',
    total:
      3 * 3 * 1 * 16 + 16 + // conv2d 160
      4 * 16 + // batch_normalization 64
      3 * 3 * 16 * 16 + 16 + // conv2d_1 2,320
      1000 * 32 + // embedding 32,000
      2 * 4 * (24 * (32 + 24) + 24) + // bidirectional 10,944
      (16 + 48) * 10 + 10, // dense 650 → 46,138
    nonTrainable: 2 * 16,
    outputShapes: [[10]],
    tfjs: true,
  },
  {
    // Keras 3 Sequential, the keras.io MNIST convnet: Keras reports 34,826.
    file: 'keras3-sequential-convnet.json',
    flavour: 'keras3',
    total: 3 * 3 * 1 * 32 + 32 + (3 * 3 * 32 * 64 + 64) + (5 * 5 * 64 * 10 + 10), // 320 + 18,496 + 16,010
    nonTrainable: 0,
    outputShapes: [[10]],
    tfjs: false,
  },
  {
    // Keras 3 functional: an LSTM returning its states; state h feeds a Dense, state c is an output.
    file: 'keras3-functional-lstm-states.json',
    flavour: 'keras3',
    total: 4 * (16 * (6 + 16) + 16) + (12 * 16 * 8 + 8) + (16 * 8 + 8) + (16 * 3 + 3), // 1,472 + 1,544 + 136 + 51 = 3,203
    nonTrainable: 0,
    outputShapes: [[3], [16]],
    tfjs: false,
  },
  {
    // Written by tfjs's model.save(): the tfjs MNIST tutorial's CNN.
    file: 'tfjs-mnist-cnn.model.json',
    flavour: 'tfjs',
    total: 5 * 5 * 1 * 8 + 8 + (5 * 5 * 8 * 16 + 16) + (4 * 4 * 16 * 10 + 10), // 208 + 3,216 + 2,570 = 5,994
    nonTrainable: 0,
    outputShapes: [[10]],
    tfjs: true,
  },
  {
    // Written by the tensorflowjs converter from a Keras 2 HDF5 file: the model under "model_config".
    file: 'tfjs-converter-mlp.model.json',
    flavour: 'keras2',
    total: 8 * 32 + 32 + (32 * 1 + 1), // 321
    nonTrainable: 0,
    outputShapes: [[1]],
    tfjs: true,
  },
];

const read = (file: string) => readFileSync(`test/fixtures/keras/${file}`, 'utf8');

function load(file: string) {
  const result = parseModelFile(read(file), file);
  if (!result.ok) throw new Error(result.error.message);
  return result;
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe.each(FIXTURES)('$file', (fixture) => {
  it('imports with the parameter counts Keras reports', () => {
    const result = load(fixture.file);
    expect(result.importedFrom).toBe(fixture.flavour);
    const summary = summarize(result.project.graph);
    expect(summary.errors).toEqual([]);
    expect(summary.totalParams).toBe(fixture.total);
    expect(summary.nonTrainableParams).toBe(fixture.nonTrainable);
    expect(summary.trainableParams).toBe(fixture.total - fixture.nonTrainable);
    expect(summary.outputShapes).toEqual(fixture.outputShapes);
  });

  it.runIf(fixture.tfjs)('is read by tfjs-layers with the same counts', async () => {
    const raw = JSON.parse(read(fixture.file));
    const model = await tf.models.modelFromJSON({ modelTopology: raw.modelTopology ?? raw });
    try {
      expect(model.countParams()).toBe(fixture.total);
      const size = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
      expect(size(model.nonTrainableWeights)).toBe(fixture.nonTrainable);
    } finally {
      model.dispose();
    }
  });
});

describe('what an import keeps', () => {
  it('keeps Keras layer names, the inputs in order and a readable left-to-right layout', () => {
    const { project } = load('keras2-functional-merges.json');
    const { nodes, edges } = project.graph;
    expect(project.name).toBe('image_and_text');
    expect(nodes.map((n) => n.name)).toEqual([
      'image', 'tokens', 'conv2d', 'batch_normalization', 'conv2d_1', 'add', 'activation', 'max_pooling2d',
      'global_average_pooling2d', 'embedding', 'bidirectional', 'concatenate', 'dense',
    ]);
    expect(inferGraph(project.graph).inputIds).toEqual(['image', 'tokens']);
    const into = (id: string) => edges.filter((e) => e.target === id).map((e) => e.source);
    expect(into('add')).toEqual(['batch_normalization', 'conv2d_1']);
    expect(into('concatenate')).toEqual(['global_average_pooling2d', 'bidirectional']);
    const x = (id: string) => nodes.find((n) => n.id === id)!.position.x;
    expect(x('image')).toBe(0);
    expect(x('conv2d')).toBeGreaterThan(x('image'));
    expect(x('add')).toBeGreaterThan(x('conv2d_1'));
  });

  it('imports a wrapped layer as a nested layer with its own params', () => {
    const { project } = load('keras2-functional-merges.json');
    const bidirectional = project.graph.nodes.find((n) => n.name === 'bidirectional')!;
    expect(bidirectional.type).toBe('Bidirectional');
    expect(bidirectional.params.layer).toMatchObject({ type: 'LSTM', params: { units: 24, returnSequences: false } });
    expect(bidirectional.params.mergeMode).toBe('concat');
  });

  it('turns Keras lists and single numbers into the params NetCanvas uses', () => {
    const { project } = load('keras2-functional-merges.json');
    const conv = project.graph.nodes.find((n) => n.name === 'conv2d')!;
    expect(conv.params).toMatchObject({ filters: 16, kernelSize: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu', useBias: true });
  });

  it('connects a layer to the second output of an LSTM, and adds a pass-through for a state used as an output', () => {
    const result = load('keras3-functional-lstm-states.json');
    const { nodes, edges } = result.project.graph;
    expect(edges.find((e) => e.target === 'state_dense')).toMatchObject({ source: 'encoder', sourceHandle: '1' });
    const passThrough = edges.find((e) => e.source === 'encoder' && e.sourceHandle === '2')!;
    expect(nodes.find((n) => n.id === passThrough.target)).toMatchObject({ type: 'Activation', params: { activation: 'linear' } });
    expect(inferGraph(result.project.graph).outputIds).toEqual(['out', passThrough.target]);
    expect(passThrough.target).toBe('encoder_output_3');
    expect(result.warnings).toEqual([
      'The model\'s output 2 is output 3 of "encoder"; NetCanvas takes outputs only from layers nothing else reads, so a pass-through layer "encoder_output_3" now follows it.',
    ]);
  });

  it('keeps every output when a layer gives two of the model\'s outputs', () => {
    const raw = JSON.parse(read('keras3-functional-lstm-states.json'));
    raw.config.output_layers = [['encoder', 0, 1], ['out', 0, 0], ['encoder', 0, 0]];
    const result = importKerasModel(raw, 'two-outputs.json');
    if (!result.ok) throw new Error(result.error.message);
    const inference = inferGraph(result.project.graph);
    expect(inference.diagnostics).toEqual([]);
    expect(inference.outputIds).toEqual(['encoder_output_2', 'out', 'encoder_output']);
    expect(inference.outputIds.map((id) => inference.nodes[id]!.outputShape)).toEqual([
      [null, 16],
      [null, 3],
      [null, 12, 16],
    ]);
  });

  it('reads Keras 3 "silu" as swish', () => {
    const { project } = load('keras3-functional-lstm-states.json');
    expect(project.graph.nodes.find((n) => n.id === 'dense')!.params.activation).toBe('swish');
  });

  it('makes a project NetCanvas can save and open again', () => {
    const { project } = load('tfjs-mnist-cnn.model.json');
    expect(project.training.dataset).toBe('mnist');
    const again = parseModelFile(JSON.stringify(project), 'again.netcanvas.json');
    expect(again.ok && again.project).toEqual(project);
  });
});
