import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetProblems } from '../../../../electron/data/catalog.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { projectSchema, trainingDefaultsSchema, type Project } from '../../../../shared/project/schema.js';
import { chain, node } from '../../../fixtures/graphs.js';

const problems = (graph: Graph, training: Partial<Project['training']>) =>
  datasetProblems(graph, inferGraph(graph), trainingDefaultsSchema.parse({ dataset: 'mnist', ...training }));

describe('does the network fit its data and task', () => {
  it('accepts every template', () => {
    for (const id of ['mlp-mnist', 'cnn-mnist', 'autoencoder-mnist', 'dcgan-mnist', 'char-lstm-moby-dick', 'char-transformer-moby-dick']) {
      const project = projectSchema.parse(JSON.parse(readFileSync(`templates/${id}.netcanvas.json`, 'utf8')));
      expect(datasetProblems(project.graph, inferGraph(project.graph), project.training), id).toEqual([]);
    }
  });

  it('asks an autoencoder to end in the shape of its input', () => {
    const g = chain(node('in', 'Input', { shape: [28, 28, 1] }), node('f', 'Flatten'), node('out', 'Dense', { units: 784 }));
    expect(problems(g, { task: 'autoencode' })).toEqual([expect.stringContaining('"out" outputs (?, 784): end with Reshape to 28,28,1')]);
  });

  it('asks a character model for one output per character of the alphabet', () => {
    const g = chain(node('in', 'Input', { shape: [40] }), node('e', 'Embedding', { inputDim: 39, outputDim: 8 }), node('r', 'LSTM', { units: 8 }), node('out', 'Dense', { units: 26, activation: 'softmax' }));
    expect(problems(g, { dataset: 'moby-dick', task: 'language-model' })).toEqual([expect.stringContaining('"out" outputs (?, 26): set its units to 39')]);
  });

  it('refuses a task that does not suit the dataset', () => {
    const g = chain(node('in', 'Input', { shape: [40] }), node('out', 'Dense', { units: 39 }));
    expect(problems(g, { dataset: 'moby-dick', task: 'classify' })).toEqual([expect.stringContaining('The classify task needs an image dataset such as MNIST')]);
  });
});
