import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataAccess } from '../../../../../electron/data/access.js';
import { explain } from '../../../../../electron/insight/explain/index.js';
import { compileGraph } from '../../../../../electron/compiler/compile.js';
import { prepareInput } from '../../../../../electron/insight/inputs.js';
import { sessionOf } from '../../../../../electron/insight/open.js';
import type { PreparedInput, Session } from '../../../../../electron/insight/session.js';
import { resolveRunConfig } from '../../../../../electron/training/run-config.js';
import { explanationSchema } from '../../../../../shared/api/insight.js';
import { chain, node, project } from '../../../../fixtures/graphs.js';
import { closeSession, trainedSession } from '../trained.js';

/** Explanations of networks that are not image classifiers: a table's MLP, an autoencoder. */

const access = new DataAccess();
let iris: Session;
let autoencoder: Session;
let row: PreparedInput;
let digit: PreparedInput;

beforeAll(async () => {
  iris = await trainedSession('mlp-iris', { batches: 40 });
  autoencoder = await trainedSession('autoencoder-mnist', { batches: 2 });
  row = await prepareInput(iris, { kind: 'example', index: 3 }, access);
  digit = await prepareInput(autoencoder, { kind: 'example', index: 0 }, access);
}, 60_000);

afterAll(() => {
  tf.dispose([row.tensor, digit.tensor]);
  closeSession(iris);
  closeSession(autoencoder);
});

/** The class's logit for a row, through tfjs's own predict up to the hidden layer and the output layer's kernel. */
function logit(x: Float32Array, classIndex: number): number {
  return tf.tidy(() => {
    const probe = tf.model({ inputs: iris.model.inputs, outputs: iris.model.getLayer(iris.layerOfNode.get('hidden')!).output as tf.SymbolicTensor });
    const hidden = probe.predict(tf.tensor2d(x, [1, x.length])) as tf.Tensor;
    const [kernel, bias] = iris.model.getLayer(iris.layerOfNode.get('output')!).getWeights();
    return tf.add(tf.matMul(hidden, kernel as tf.Tensor2D), bias!).dataSync()[classIndex]!;
  });
}

describe('a table row', () => {
  it("gives saliency as one value per feature: the logit's slope, as differences of its own answers measure it", async () => {
    const before = tf.memory().numTensors;
    const result = await explain(iris, row, { method: 'saliency' });
    expect(tf.memory().numTensors).toBe(before);
    if (result.kind !== 'heatmap') throw new Error(result.kind);
    expect([result.heat.height, result.heat.width]).toEqual([1, 4]);
    expect(result.image).toMatchObject({ count: 1, height: 1, width: 4, channels: 1 });
    expect(iris.info.classes).toContain(result.className);
    const x = Float32Array.from(row.tensor.dataSync());
    const slopes = Array.from(x, (_, i) => {
      const step = 1e-2;
      const up = Float32Array.from(x);
      const down = Float32Array.from(x);
      up[i]! += step;
      down[i]! -= step;
      return Math.abs(logit(up, result.classIndex) - logit(down, result.classIndex)) / (2 * step);
    });
    const largest = Math.max(...slopes);
    result.heat.values.forEach((v, i) => expect(v).toBeCloseTo(slopes[i]! / largest, 2));
  });

  it('has no spatial layer for Grad-CAM and no pixels for an adversarial example, and says so', async () => {
    await expect(explain(iris, row, { method: 'gradcam' })).rejects.toThrow(/this network has none: try saliency instead/);
    await expect(explain(iris, row, { method: 'adversarial' })).rejects.toThrow("An adversarial example changes an image's pixels within [0, 1], and this network reads a table row.");
    await expect(explain(iris, row, { method: 'attention' })).rejects.toThrow('This network has no MultiHeadAttention layer to show the attention of.');
  });

  it("shows a dense layer's units", async () => {
    const result = await explain(iris, row, { method: 'activations', layer: 'hidden' });
    if (result.kind !== 'activations') throw new Error(result.kind);
    expect(result.shape).toEqual([16]);
    expect(result.values).toHaveLength(16);
    expect(result.values!.every((v) => v >= 0)).toBe(true);
    expect(result.hidden).toBe(0);
  });
});

describe('a network that reads an image as a flat row of pixels', () => {
  it('draws its saliency and its adversarial example in the image shape of its data', async () => {
    const flat = project(chain(node('pixels', 'Input', { shape: [784] }), node('out', 'Dense', { units: 10, activation: 'softmax' })));
    const session = sessionOf({ runId: 'flat', project: flat, settings: resolveRunConfig(flat, { backend: 'cpu' }), model: compileGraph(flat.graph), data: autoencoder.data, checkpoint: 'last' });
    const x = tf.tensor(autoencoder.data.test.features([0]), [1, 784]);
    try {
      const saliency = explanationSchema.parse(await explain(session, { tensor: x }, { method: 'saliency' }));
      if (saliency.kind !== 'heatmap') throw new Error(saliency.kind);
      expect([saliency.heat.height, saliency.heat.width]).toEqual([28, 28]);
      expect(saliency.image).toMatchObject({ height: 28, width: 28, channels: 1 });
      const fooled = explanationSchema.parse(await explain(session, { tensor: x }, { method: 'adversarial', epsilon: 0.5 }));
      if (fooled.kind !== 'adversarial') throw new Error(fooled.kind);
      expect(fooled.adversarial).toMatchObject({ height: 28, width: 28, channels: 1 });
    } finally {
      x.dispose();
      closeSession(session);
    }
  });
});

describe('an autoencoder', () => {
  it('has no class to explain, and points to its activations, which show its code and its picture', async () => {
    await expect(explain(autoencoder, digit, { method: 'saliency' })).rejects.toThrow('Saliency explains a class or a value, but this network reconstructs its input: look at its activations instead.');
    const code = await explain(autoencoder, digit, { method: 'activations', layer: 'code' });
    if (code.kind !== 'activations') throw new Error(code.kind);
    expect(code.values).toHaveLength(32);
    const picture = await explain(autoencoder, digit, { method: 'activations', layer: 'image' });
    if (picture.kind !== 'activations') throw new Error(picture.kind);
    expect(picture.maps).toMatchObject({ count: 1, height: 28, width: 28, channels: 1 });
  });
});
