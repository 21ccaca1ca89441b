import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../../electron/compiler/compile.js';
import { fieldOf, resample, type Field } from '../../../../../electron/insight/explain/field.js';
import { selectBackend } from '../../../../../electron/training/tf-backend.js';
import type { Graph } from '../../../../../shared/graph/types.js';
import { chain, node } from '../../../../fixtures/graphs.js';
import { template } from '../trained.js';

/** Where a layer's pixels sit over the input, checked against where their gradients come from. */

beforeAll(async () => {
  await selectBackend('cpu');
});

afterAll(() => {
  tf.disposeVariables();
});

/** Each interior output pixel's receptive field centre, from the gradient of that pixel with every kernel set to ones. */
function measuredCentres(graph: Graph, layerName: string): { i: number; j: number; y: number; x: number }[] {
  const model = compileGraph(graph);
  for (const w of model.weights) w.write(tf.onesLike(w.read()));
  const probe = tf.model({ inputs: model.inputs, outputs: model.getLayer(layerName).output as tf.SymbolicTensor });
  const [, height, width] = probe.outputs[0]!.shape as number[];
  const [, inH, inW] = model.inputs[0]!.shape as number[];
  const x = tf.ones([1, inH!, inW!, 1]);
  const centres: { i: number; j: number; y: number; x: number }[] = [];
  for (let i = 0; i < height!; i++) {
    for (let j = 0; j < width!; j++) {
      const gradient = tf.tidy(() => tf.grad((input: tf.Tensor) => tf.sum(tf.slice(probe.predict(input) as tf.Tensor, [0, i, j, 0], [1, 1, 1, 1])))(x).dataSync());
      let mass = 0;
      let y = 0;
      let c = 0;
      let edge = false;
      for (let p = 0; p < inH! * inW!; p++) {
        const g = gradient[p]!;
        if (g === 0) continue;
        const [py, px] = [Math.floor(p / inW!), p % inW!];
        if (py === 0 || px === 0 || py === inH! - 1 || px === inW! - 1) edge = true;
        mass += g;
        y += g * py;
        c += g * px;
      }
      // A field cut by the image's edge (padding, "same") is not centred on its pixel: left out.
      if (!edge && mass > 0) centres.push({ i, j, y: y / mass, x: c / mass });
    }
  }
  x.dispose();
  model.dispose();
  return centres;
}

function expectCentres(graph: Graph, layerName: string, field: Field | null): void {
  expect(field).not.toBeNull();
  const centres = measuredCentres(graph, layerName);
  expect(centres.length).toBeGreaterThan(3);
  for (const c of centres) {
    expect(field!.y.stride * c.i + field!.y.offset).toBeCloseTo(c.y, 4);
    expect(field!.x.stride * c.j + field!.x.offset).toBeCloseTo(c.x, 4);
  }
}

describe('where a spatial layer looks', () => {
  it('follows valid convolutions and poolings of the MNIST CNN', () => {
    const graph = template('cnn-mnist').graph;
    const model = compileGraph(graph);
    expect(fieldOf(model, 'conv1')).toEqual({ y: { stride: 1, offset: 1 }, x: { stride: 1, offset: 1 } });
    expect(fieldOf(model, 'conv2')).toEqual({ y: { stride: 2, offset: 3.5 }, x: { stride: 2, offset: 3.5 } });
    const pool2 = fieldOf(model, 'pool2');
    model.dispose();
    // Max pooling of equal values passes its gradient to one corner: averages show the centres.
    const averaged = { ...graph, nodes: graph.nodes.map((n) => (n.type === 'MaxPooling2D' ? { ...n, type: 'AveragePooling2D' } : n)) };
    expectCentres(averaged, 'pool2', pool2);
  });

  it('follows strides, "same" padding, dilation, zero padding and cropping, each axis on its own', () => {
    const graph = chain(
      node('in', 'Input', { shape: [27, 25, 1] }),
      node('pad', 'ZeroPadding2D', { padding: [2, 0, 1, 3] }),
      node('c1', 'Conv2D', { filters: 2, kernelSize: [4, 5], strides: [2, 1], padding: 'same' }),
      node('pool', 'AveragePooling2D', { poolSize: [2, 2], strides: [1, 2] }),
      node('crop', 'Cropping2D', { cropping: [1, 0, 0, 2] }),
      node('c2', 'Conv2D', { filters: 1, kernelSize: [3, 3], dilationRate: [2, 1] }),
    );
    const model = compileGraph(graph);
    const field = fieldOf(model, 'c2');
    model.dispose();
    expectCentres(graph, 'c2', field);
  });

  it('lays a map over the input bilinearly where its pixels look, clamped at its edges', () => {
    const field: Field = { y: { stride: 2, offset: 1 }, x: { stride: 1, offset: 0 } };
    // A 2 × 2 map: pixel (0, 0) sits over input (1, 0), pixel (1, 0) over input (3, 0).
    const out = resample([0, 1, 1, 0], 2, 2, 5, 2, field);
    expect(Array.from(out)).toEqual([0, 1, 0, 1, 0.5, 0.5, 1, 0, 1, 0]);
  });
});
