import { describe, expect, it } from 'vitest';
import { datasetFit, type FitSettings } from '../../../../shared/data/fit.js';
import type { DatasetReport } from '../../../../shared/data/report.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { chain, mnistMlp, node } from '../../../fixtures/graphs.js';

function report(overrides: Partial<DatasetReport>): DatasetReport {
  return {
    kind: 'images',
    name: 'MNIST handwritten digits',
    samples: 70_000,
    splits: { train: 60_000, test: 10_000 },
    inputShape: [28, 28, 1],
    classes: Array.from({ length: 10 }, (_, i) => String(i)),
    classCounts: null,
    target: { kind: 'classes' },
    vocabulary: null,
    columns: [],
    problems: [],
    tasks: ['classify', 'autoencode', 'gan'],
    ...overrides,
  };
}

const IRIS = report({ kind: 'table', name: 'Iris flowers', inputShape: [4], classes: ['setosa', 'versicolor', 'virginica'], tasks: ['classify'] });
const fit = (graph: Graph, data: DatasetReport, settings: FitSettings = { task: 'classify' }) => datasetFit(graph, inferGraph(graph), data, settings);

/** Applies every one-click repair the way the Data panel does. */
function repaired(graph: Graph, data: DatasetReport, settings: FitSettings = { task: 'classify' }): Graph {
  let g = graph;
  for (const problem of fit(g, data, settings)) {
    const f = problem.fix;
    if (!f) continue;
    g = { ...g, nodes: g.nodes.map((n) => (n.id === f.nodeId ? { ...n, params: { ...n.params, [f.param]: f.value } } : n)) };
  }
  return g;
}

describe('does the network fit its data and task', () => {
  it('accepts the MNIST MLP on MNIST, and a (28, 28) Input that leaves out the axis of 1', () => {
    expect(fit(mnistMlp(), report({}))).toEqual([]);
    const g = chain(node('in', 'Input', { shape: [28, 28] }), node('f', 'Flatten'), node('out', 'Dense', { units: 10 }));
    expect(fit(g, report({}))).toEqual([]);
  });

  it('offers to set the Input shape and the output units to the data, and the repaired network fits', () => {
    const problems = fit(mnistMlp(), IRIS);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('Iris flowers examples have shape (?, 4); Input "in" expects (?, 28, 28, 1): set its shape to 4.'),
      expect.stringContaining('Iris flowers has 3 classes, so the last layer must output (?, 3); "out" outputs (?, 10): set the units of "out" to 3.'),
    ]);
    expect(problems.map((p) => p.fix?.label)).toEqual(['Set shape to 4', 'Set units to 3']);
    expect(fit(repaired(mnistMlp(), IRIS), IRIS)).toEqual([]);
  });

  it('finds the Dense behind a final Activation to set its units', () => {
    const g = chain(node('in', 'Input', { shape: [4] }), node('d', 'Dense', { units: 5 }), node('act', 'Activation', { activation: 'softmax' }));
    const [problem] = fit(g, IRIS);
    expect(problem!.fix).toMatchObject({ nodeId: 'd', param: 'units', value: 3 });
  });

  it('asks an autoencoder to end in the shape of its input', () => {
    const g = chain(node('in', 'Input', { shape: [28, 28, 1] }), node('f', 'Flatten'), node('out', 'Dense', { units: 784 }));
    expect(fit(g, report({}), { task: 'autoencode' }).map((p) => p.message)).toEqual([expect.stringContaining('"out" outputs (?, 784): end with Reshape to 28, 28, 1')]);
  });

  it('asks a regression for one output per value', () => {
    const housing = report({ kind: 'table', name: 'Boston house prices', inputShape: [13], classes: null, target: { kind: 'values', size: 1 }, tasks: ['regress'] });
    const g = chain(node('in', 'Input', { shape: [13] }), node('out', 'Dense', { units: 3 }));
    const [problem] = fit(g, housing, { task: 'regress' });
    expect(problem!.message).toContain('Boston house prices has 1 value to predict');
    expect(fit(repaired(g, housing, { task: 'regress' }), housing, { task: 'regress' })).toEqual([]);
  });

  it('refuses a task that does not suit the dataset and offers the one that does', () => {
    const g = chain(node('in', 'Input', { shape: [40] }), node('out', 'Dense', { units: 39 }));
    const corpus = report({ kind: 'corpus', name: 'Moby-Dick', inputShape: [], classes: null, target: { kind: 'next-token' }, vocabulary: 39, tasks: ['language-model'] });
    const [problem] = fit(g, corpus, { task: 'classify' });
    expect(problem).toMatchObject({ message: 'Moby-Dick cannot train a classifier; it trains a language model. Pick another dataset or task.', task: 'language-model' });
  });

  it('asks a language model for one output per token, and an Embedding row for each', () => {
    const corpus = report({ kind: 'corpus', name: 'Moby-Dick', inputShape: [], classes: null, target: { kind: 'next-token' }, vocabulary: 39, tasks: ['language-model'] });
    const g = chain(node('in', 'Input', { shape: [40] }), node('e', 'Embedding', { inputDim: 30, outputDim: 8 }), node('r', 'LSTM', { units: 8 }), node('out', 'Dense', { units: 26, activation: 'softmax' }));
    const problems = fit(g, corpus, { task: 'language-model' });
    expect(problems.map((p) => p.fix?.label)).toEqual(['Set inputDim to 39', 'Set units to 39']);
    expect(fit(repaired(g, corpus, { task: 'language-model' }), corpus, { task: 'language-model' })).toEqual([]);
  });

  it('holds a user text to its window length', () => {
    const corpus = report({ kind: 'corpus', name: 'notes.txt', inputShape: [64], classes: null, target: { kind: 'next-token' }, vocabulary: 50, tasks: ['language-model'] });
    const g = chain(node('in', 'Input', { shape: [40] }), node('e', 'Embedding', { inputDim: 50, outputDim: 8 }), node('r', 'LSTM', { units: 8 }), node('out', 'Dense', { units: 50, activation: 'softmax' }));
    const [problem] = fit(g, corpus, { task: 'language-model' });
    expect(problem!.fix).toMatchObject({ nodeId: 'in', param: 'shape', value: [64] });
  });

  it('accepts one sigmoid output for two classes with binary cross-entropy only', () => {
    const reviews = report({ kind: 'text', name: 'IMDB', inputShape: [200], classes: ['negative', 'positive'], vocabulary: 1000, tasks: ['classify'] });
    const g = chain(node('in', 'Input', { shape: [200] }), node('e', 'Embedding', { inputDim: 1000, outputDim: 8 }), node('p', 'GlobalAveragePooling1D'), node('out', 'Dense', { units: 1, activation: 'sigmoid' }));
    expect(fit(g, reviews, { task: 'classify', loss: 'binaryCrossentropy' })).toEqual([]);
    expect(fit(g, reviews, { task: 'classify', loss: 'categoricalCrossentropy' })).toHaveLength(1);
  });
});
