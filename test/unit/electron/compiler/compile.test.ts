import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph, GraphError } from '../../../../electron/compiler/compile.js';
import { ACTIVATIONS } from '../../../../shared/layers/activations.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { chain, mnistMlp, node } from '../../../fixtures/graphs.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** tfjs-layers' own shapes and counts must equal the registry's. */
function expectMatchesTfjs(graph: Graph) {
  const inference = inferGraph(graph);
  expect(inference.diagnostics).toEqual([]);
  const model = compileGraph(graph);
  expect(model.countParams()).toBe(inference.totalParams);
  for (const id of inference.outputIds) {
    const layer = model.layers.find((l) => l.name === id)!;
    expect(layer.outputShape).toEqual(inference.nodes[id]!.outputShape);
  }
  return model;
}

describe('compileGraph', () => {
  it('builds the MNIST MLP with the registry’s shapes and parameter count', () => {
    const model = expectMatchesTfjs(mnistMlp());
    expect(model.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Flatten', 'Dense', 'Dropout', 'Dense']);
    model.dispose();
  });

  it.each([
    [[12], 5, true],
    [[3, 8], 4, false],
    [[6], 1, true],
  ])('Dense on input %j with %i units (bias %s) matches tfjs', (shape, units, useBias) => {
    const graph = chain(node('in', 'Input', { shape }), node('d', 'Dense', { units, useBias, activation: 'tanh' }));
    expectMatchesTfjs(graph).dispose();
  });

  it.each(ACTIVATIONS.map((a) => [a]))('knows the %s activation and trains one step through it', async (activation) => {
    const graph = chain(
      node('in', 'Input', { shape: [2, 3] }),
      node('flat', 'Flatten'),
      node('act', 'Activation', { activation }),
      node('drop', 'Dropout', { rate: 0.1 }),
      node('out', 'Dense', { units: 2, activation }),
    );
    const model = expectMatchesTfjs(graph);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = tf.randomNormal([4, 2, 3]);
    const y = tf.randomNormal([4, 2]);
    const loss = (await model.trainOnBatch(x, y)) as number;
    expect(Number.isFinite(loss)).toBe(true);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('lets Flatten take (batch, features) unchanged, as Keras does: the MNIST MLP repaired for a 4-column table', () => {
    const model = expectMatchesTfjs(chain(node('in', 'Input', { shape: [4] }), node('flat', 'Flatten'), node('out', 'Dense', { units: 3, activation: 'softmax' })));
    expect((model.predict(tf.ones([2, 4])) as tf.Tensor).shape).toEqual([2, 3]);
  });

  it('refuses a graph with problems, listing them', () => {
    const graph = chain(node('in', 'Input', { shape: [4, 4, 2] }), node('d', 'Dense', { units: 3 }));
    expect(() => compileGraph(graph)).toThrow(GraphError);
    expect(() => compileGraph(graph)).toThrow(/\[d\] Dense needs a flat input/);
  });

  it('makes distinct, valid tfjs names from any node ids', () => {
    const graph = chain(node('1 input', 'Input', { shape: [3] }), node('dense-a', 'Dense', { units: 2 }));
    graph.nodes[1]!.name = 'my layer';
    const model = compileGraph(graph);
    expect(model.layers.map((l) => l.name)).toEqual(['l_1_input', 'my_layer']);
    model.dispose();
  });
});

describe('compileGraph on graphs with branches', () => {
  it('compiles and trains a two-input, two-output network with a skip connection and an LSTM state output', async () => {
    const graph: Graph = {
      nodes: [
        node('image', 'Input', { shape: [8, 8, 1] }),
        node('seq', 'Input', { shape: [5, 3] }),
        node('conv', 'Conv2D', { filters: 4, kernelSize: [3, 3], padding: 'same' }),
        node('conv2', 'Conv2D', { filters: 4, kernelSize: [3, 3], padding: 'same' }),
        node('skip', 'Add'),
        node('pool', 'GlobalAveragePooling2D'),
        node('lstm', 'LSTM', { units: 6, returnState: true }),
        node('join', 'Concatenate'),
        node('classes', 'Dense', { units: 3, activation: 'softmax' }),
        node('state', 'Dense', { units: 2 }),
      ],
      edges: [
        { id: 'a', source: 'image', target: 'conv' },
        { id: 'b', source: 'conv', target: 'conv2' },
        { id: 'c', source: 'conv2', target: 'skip' },
        { id: 'd', source: 'conv', target: 'skip' },
        { id: 'e', source: 'skip', target: 'pool' },
        { id: 'f', source: 'seq', target: 'lstm' },
        { id: 'g', source: 'pool', target: 'join' },
        { id: 'h', source: 'lstm', target: 'join' },
        { id: 'i', source: 'join', target: 'classes' },
        // The LSTM's cell state (its third output) feeds a second head.
        { id: 'j', source: 'lstm', sourceHandle: '2', target: 'state' },
      ],
    };
    const inference = inferGraph(graph);
    expect(inference.diagnostics).toEqual([]);
    const model = compileGraph(graph);
    try {
      expect(model.inputs.map((t) => t.shape)).toEqual([[null, 8, 8, 1], [null, 5, 3]]);
      expect(model.outputs.map((t) => t.shape)).toEqual([[null, 3], [null, 2]]);
      expect(model.countParams()).toBe(inference.totalParams);
      model.compile({ optimizer: 'adam', loss: ['categoricalCrossentropy', 'meanSquaredError'] });
      const xs = [tf.randomNormal([4, 8, 8, 1]), tf.randomNormal([4, 5, 3])];
      const ys = [tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3), tf.randomNormal([4, 2])];
      const losses = (await model.trainOnBatch(xs, ys)) as number[];
      expect(losses.every(Number.isFinite)).toBe(true);
      tf.dispose([...xs, ...ys]);
    } finally {
      model.dispose();
    }
  });
});
