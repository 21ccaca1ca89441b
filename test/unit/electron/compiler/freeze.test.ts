import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../electron/compiler/compile.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import { setFrozen } from '../../../../shared/graph/edits.js';
import { chain, node } from '../../../fixtures/graphs.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

const graph = () =>
  chain(
    node('in', 'Input', { shape: [6, 6, 1] }),
    node('conv', 'Conv2D', { filters: 3, kernelSize: [3, 3], activation: 'relu' }),
    node('bn', 'BatchNormalization'),
    node('flat', 'Flatten'),
    node('head', 'Dense', { units: 2, activation: 'softmax' }),
  );

const values = (model: tf.LayersModel, layer: string) => model.getLayer(layer).getWeights().map((w) => Array.from(w.dataSync()));

describe('compiling a frozen layer', () => {
  it('leaves its weights out of what trains', () => {
    const model = compileGraph(setFrozen(graph(), ['conv', 'bn'], true));
    expect(model.trainableWeights.map((w) => w.originalName)).toEqual(['head/kernel', 'head/bias']);
    expect(model.nonTrainableWeights.map((w) => w.originalName).sort()).toEqual(
      ['bn/beta', 'bn/gamma', 'bn/moving_mean', 'bn/moving_variance', 'conv/bias', 'conv/kernel'].sort(),
    );
    model.dispose();
  });

  it('keeps its weights (BatchNormalization its moving statistics too) through training, while the others change', async () => {
    const model = compileGraph(setFrozen(graph(), ['conv', 'bn'], true));
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
    const before = { conv: values(model, 'conv'), bn: values(model, 'bn'), head: values(model, 'head') };
    const x = tf.randomNormal([16, 6, 6, 1], 2, 3, 'float32', 7);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 2), 'int32'), 2);
    for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
    expect(values(model, 'conv')).toEqual(before.conv);
    expect(values(model, 'bn')).toEqual(before.bn);
    expect(values(model, 'head')).not.toEqual(before.head);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('trains a BatchNormalization that is not frozen as before: its moving statistics move', async () => {
    const model = compileGraph(setFrozen(graph(), ['conv'], true));
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
    const before = values(model, 'bn');
    const x = tf.randomNormal([16, 6, 6, 1], 2, 3, 'float32', 7);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 2), 'int32'), 2);
    await model.trainOnBatch(x, y);
    expect(values(model, 'bn')).not.toEqual(before);
    tf.dispose([x, y]);
    model.dispose();
  });
});
