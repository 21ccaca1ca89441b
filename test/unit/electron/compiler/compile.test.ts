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
