import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../../electron/compiler/compile.js';
import { forward } from '../../../../../electron/insight/explain/network.js';
import { seededRandom } from '../../../../../electron/data/random.js';
import { selectBackend } from '../../../../../electron/training/tf-backend.js';
import type { Graph } from '../../../../../shared/graph/types.js';
import { chain, node } from '../../../../fixtures/graphs.js';
import { template } from '../trained.js';

/** The layer-by-layer run explanations differentiate through gives what the model's own predict gives. */

beforeAll(async () => {
  await selectBackend('cpu');
});

afterAll(() => {
  tf.disposeVariables();
});

/** A batch of two inputs fit for the graph: word ids (zeros among them, padding) for an embedding, else noise. */
function inputFor(graph: Graph, shape: number[]): tf.Tensor {
  const random = seededRandom(3);
  const size = 2 * shape.reduce((a, b) => a * b, 1);
  const embedding = graph.nodes.find((n) => n.type === 'Embedding' || n.type === 'TokenAndPositionEmbedding');
  if (embedding) {
    const vocabulary = Number(embedding.params.inputDim ?? embedding.params.vocabularySize);
    // The second example ends in padding.
    const ids = Array.from({ length: size }, (_, i) => (i >= size - 3 ? 0 : 1 + Math.floor(random() * (vocabulary - 1))));
    return tf.tensor(ids, [2, ...shape]);
  }
  return tf.tensor(Array.from({ length: size }, () => random() * 2 - 1), [2, ...shape]);
}

const maskedLstm: Graph = chain(
  node('words', 'Input', { shape: [6] }),
  node('embed', 'Embedding', { inputDim: 20, outputDim: 4, maskZero: true }),
  node('lstm', 'LSTM', { units: 3 }),
  node('out', 'Dense', { units: 2, activation: 'softmax' }),
);

const cases: [string, () => Graph][] = [
  ['the MNIST CNN', () => template('cnn-mnist').graph],
  ['the character Transformer', () => template('char-transformer-moby-dick').graph],
  ['the IMDB embedding network', () => template('embedding-imdb').graph],
  ['the sine LSTM', () => template('lstm-sine').graph],
  ['an LSTM that skips padding (a mask)', () => maskedLstm],
];

describe('a network run layer by layer', () => {
  it.each(cases)('answers as predict does for %s, and its logits are what its softmax reads', (_, graphOf) => {
    const graph = graphOf();
    const model = compileGraph(graph);
    const x = inputFor(graph, model.inputs[0]!.shape.slice(1) as number[]);
    const before = tf.memory().numTensors;
    const [difference, logitDifference, layers] = tf.tidy(() => {
      const expected = model.predict(x) as tf.Tensor;
      const run = forward(model, x);
      const logits = forward(model, x, { logits: true });
      const softmaxed = logits.logits ? tf.softmax(logits.output) : logits.output;
      return [
        tf.max(tf.abs(tf.sub(run.output, expected))).dataSync()[0]!,
        tf.max(tf.abs(tf.sub(softmaxed, expected))).dataSync()[0]!,
        [...run.outputs.keys()],
      ];
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(difference).toBeLessThan(1e-5);
    expect(logitDifference).toBeLessThan(1e-5);
    expect(layers).toEqual(model.layers.map((l) => l.name));
    x.dispose();
    model.dispose();
  });

  it("takes a layer's output given to it in place of its own, and computes what follows from it", () => {
    const model = compileGraph(template('cnn-mnist').graph);
    const x = inputFor(template('cnn-mnist').graph, [28, 28, 1]);
    const [given, changed] = tf.tidy(() => {
      const run = forward(model, x);
      const doubled = tf.mul(run.outputs.get('hidden')!, 2);
      const replaced = forward(model, x, { replace: new Map([['hidden', doubled]]), logits: true });
      const [kernel, bias] = model.getLayer('output').getWeights();
      const expected = tf.add(tf.matMul(doubled as tf.Tensor2D, kernel as tf.Tensor2D), bias!);
      return [replaced.outputs.get('hidden') === doubled, tf.max(tf.abs(tf.sub(replaced.output, expected))).dataSync()[0]!];
    });
    expect(given).toBe(true);
    expect(changed).toBeLessThan(1e-5);
    x.dispose();
    model.dispose();
  });
});
