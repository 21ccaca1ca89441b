import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { template } from './trained.js';
import { evaluate } from '../../../../electron/insight/evaluate.js';
import { closeSession, sessionOf } from '../../../../electron/insight/open.js';
import { InputError, type Session } from '../../../../electron/insight/session.js';
import { compileGraphWithZeros } from '../../../../electron/compiler/compile.js';
import { ANY_PATH } from '../../../../electron/data/access.js';
import type { TableEncoder } from '../../../../electron/data/dataset.js';
import { loadProjectData } from '../../../../electron/training/jobs/create.js';
import { resolveRunConfig } from '../../../../electron/training/run-config.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type { RunConfig } from '../../../../shared/api/contract.js';
import type { GraphNode } from '../../../../shared/graph/types.js';
import type { Project } from '../../../../shared/project/schema.js';

/**
 * Networks whose answers are known without training: one Dense layer with weights set by hand,
 * on the real iris and Boston tables, so the expected figures follow from the data's own cells.
 */

const PETAL_LENGTH = 'petal length (cm)';

/** Input → one Dense layer of `units`, on a template's dataset and task. */
function oneLayer(templateId: string, units: number, activation: string, task?: Project['training']['task']): Project {
  const project = structuredClone(template(templateId));
  const input = project.graph.nodes.find((n) => n.type === 'Input')!;
  const dense: GraphNode = { id: 'output', name: 'answer', type: 'Dense', params: { units, activation, useBias: true }, position: { x: 300, y: 0 } };
  project.graph = { nodes: [input, dense], edges: [{ id: 'e1', source: input.id, target: 'output' }] };
  if (task) project.training.task = task;
  return project;
}

/** A session of `project` with its one Dense layer's kernel and bias as given. */
async function sessionWith(project: Project, kernel: number[][], bias: number[], config: RunConfig = {}): Promise<Session> {
  const model = compileGraphWithZeros(project.graph);
  const dense = model.layers.find((l) => l.name === 'answer')!;
  dense.setWeights([tf.tensor2d(kernel), tf.tensor1d(bias)]);
  const data = await loadProjectData(project, {}, ANY_PATH);
  return sessionOf({ runId: 'hand-made', project, settings: resolveRunConfig(project, { backend: 'cpu', ...config }), model, data, checkpoint: 'last' });
}

const table = (session: Session) => session.data.encoder as TableEncoder;

describe('evaluate: a classifier whose rule is known', () => {
  let session: Session;
  let held: Session;

  beforeAll(async () => {
    await selectBackend('cpu');
    const project = oneLayer('mlp-iris', 3, 'softmax');
    const base = await loadProjectData(project, {}, ANY_PATH);
    // Petal length 2.5 cm as the network sees it (standardized): every setosa is shorter, every other iris longer.
    const encoder = base.encoder as TableEncoder;
    const typical = Object.fromEntries(encoder.fields.map((f) => [f.name, f.typical]));
    const t = encoder.encodeRow({ ...typical, [PETAL_LENGTH]: '2.5' })[2]!;
    // Scores: setosa 10·(t − z), versicolor 0, virginica 10·(z − t), z the petal length: versicolor never wins.
    const kernel = [
      [0, 0, 0],
      [0, 0, 0],
      [-10, 0, 10],
      [0, 0, 0],
    ];
    const bias = [10 * t, 0, -10 * t];
    session = await sessionWith(project, kernel, bias);
    held = await sessionWith(project, kernel, bias, { validation: { kind: 'split', fraction: 0.25 } });
  });

  afterAll(() => {
    closeSession(session);
    closeSession(held);
  });

  it('gives the confusion matrix, accuracy and per-class figures of the test split', async () => {
    const result = await evaluate(session, { split: 'test' });
    expect(result.samples).toBe(30);
    expect(result.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    // Iris tests 10 flowers of each species: setosa right, versicolor taken for virginica, virginica right.
    expect(result.confusion).toEqual([
      [10, 0, 0],
      [0, 0, 10],
      [0, 0, 10],
    ]);
    expect(result.accuracy).toBeCloseTo(20 / 30, 10);
    // virginica: 10 right of 20 given virginica = 0.5, recall 10/10 = 1, F1 = 2·0.5·1/1.5 = 2/3; versicolor never given: 0.
    expect(result.perClass).toEqual([
      { class: 'setosa', precision: 1, recall: 1, f1: 1, count: 10 },
      { class: 'versicolor', precision: 0, recall: 0, f1: 0, count: 10 },
      { class: 'virginica', precision: 0.5, recall: 1, f1: expect.closeTo(2 / 3, 10), count: 10 },
    ]);
    // Validation is the test split here, so all 120 training flowers trained: 40 of each.
    expect(result.trainingBalance).toEqual([40, 40, 40]);
  });

  it('lists the ten versicolors as mistakes, most confident first, and each cell its examples', async () => {
    const result = await evaluate(session, { split: 'test' });
    const mistakes = result.mistakes!;
    expect(mistakes).toHaveLength(10);
    expect(mistakes.every((m) => m.truth === 'versicolor' && m.predicted === 'virginica')).toBe(true);
    // The test split keeps the file's order: setosa 0–9, versicolor 10–19, virginica 20–29.
    expect(mistakes.map((m) => m.index).sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const confidences = mistakes.map((m) => m.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    // The longest petal is the most confidently wrong.
    const petal = (i: number) => Number(table(session).cells('test', i)[PETAL_LENGTH]);
    expect(Math.max(...mistakes.map((m) => petal(m.index)))).toBe(petal(mistakes[0]!.index));
    expect(result.cellExamples![1]![2]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(result.cellExamples![0]![0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('groups the held-back validation rows by a column, read from the file’s rows', async () => {
    const result = await evaluate(held, { split: 'validation', groupBy: 'species' });
    // 25% of the 120 training flowers held back: 30 examples, each from its own row of the file.
    expect(result.samples).toBe(30);
    const labels = held.splits.validation.labels!;
    const per = (c: number) => labels.filter((l) => l === c).length;
    expect(result.groups).toEqual([
      { group: 'setosa', count: per(0), accuracy: 1 },
      { group: 'versicolor', count: per(1), accuracy: 0 },
      { group: 'virginica', count: per(2), accuracy: 1 },
    ]);
    expect(result.groupBy).toBe('species');
    // 90 flowers trained: 120 less the 30 held back.
    expect(result.trainingBalance!.reduce((a, b) => a + b, 0)).toBe(90);
    expect(result.trainingBalance).toEqual([0, 1, 2].map((c) => 40 - per(c)));
  });

  it('refuses a column the table does not have, naming the ones it has', async () => {
    const error = await evaluate(session, { split: 'test', groupBy: 'colour' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      'Cannot group by "colour": Iris flowers has no such column. Its columns are sepal length (cm), sepal width (cm), petal length (cm), petal width (cm), species (good ones to group by: species).',
    );
  });

  it('refuses a network that is not a classifier, regression or autoencoder', async () => {
    const gan = { ...session, info: { ...session.info, task: 'gan' as const } };
    await expect(evaluate(gan, { split: 'test' })).rejects.toThrow('Evaluation is for classifiers, regressions and autoencoders; a GAN makes images from noise');
    const lm = { ...session, info: { ...session.info, task: 'language-model' as const } };
    await expect(evaluate(lm, { split: 'test' })).rejects.toBeInstanceOf(InputError);
  });
});

describe('evaluate: a regression and an autoencoder', () => {
  let regression: Session;
  let autoencoder: Session;

  beforeAll(async () => {
    await selectBackend('cpu');
    // Kernel and bias 0: the standardized answer 0, which is the training rows' mean price.
    regression = await sessionWith(oneLayer('mlp-boston-housing', 1, 'linear'), Array.from({ length: 13 }, () => [0]), [0]);
    // Each input back, plus 1.
    const identity = Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => (i === j ? 1 : 0)));
    autoencoder = await sessionWith(oneLayer('mlp-iris', 4, 'linear', 'autoencode'), identity, [1, 1, 1, 1]);
  });

  afterAll(() => {
    closeSession(regression);
    closeSession(autoencoder);
  });

  it('answers a regression in the target’s own units', async () => {
    const result = await evaluate(regression, { split: 'test' });
    const cells = table(regression).cells;
    const price = (part: 'train' | 'test', i: number) => Number(cells(part, i).medv);
    const trained = Array.from({ length: regression.data.train.count }, (_, i) => price('train', i));
    const mean = trained.reduce((a, b) => a + b, 0) / trained.length;
    const actual = Array.from({ length: regression.data.test.count }, (_, i) => price('test', i));
    const mae = actual.reduce((s, a) => s + Math.abs(a - mean), 0) / actual.length;
    const rmse = Math.sqrt(actual.reduce((s, a) => s + (a - mean) ** 2, 0) / actual.length);
    expect(result.samples).toBe(actual.length);
    expect(result.targetName).toBe('medv');
    expect(result.meanAbsoluteError).toBeCloseTo(mae, 3);
    expect(result.rootMeanSquaredError).toBeCloseTo(rmse, 3);
    // In $1000s: Boston's prices spread by several thousand dollars, not by a standardized unit.
    expect(result.meanAbsoluteError).toBeGreaterThan(3);
    expect(result.points).toHaveLength(actual.length);
    expect(result.points![5]!.actual).toBeCloseTo(actual[5]!, 3);
    expect(result.points![5]!.predicted).toBeCloseTo(mean, 3);
    expect(result.accuracy).toBeUndefined();
  });

  it('gives an autoencoder’s reconstruction error, and its groups', async () => {
    const result = await evaluate(autoencoder, { split: 'test', groupBy: 'species' });
    // Every reconstructed number is 1 above its input.
    expect(result.meanAbsoluteError).toBeCloseTo(1, 5);
    expect(result.rootMeanSquaredError).toBeCloseTo(1, 5);
    expect(result.groups!.map((g) => [g.group, g.count, Math.round(g.meanAbsoluteError! * 1e5) / 1e5])).toEqual([
      ['setosa', 10, 1],
      ['versicolor', 10, 1],
      ['virginica', 10, 1],
    ]);
  });
});
