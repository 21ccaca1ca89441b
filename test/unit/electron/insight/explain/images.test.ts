import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataAccess } from '../../../../../electron/data/access.js';
import { resample } from '../../../../../electron/insight/explain/field.js';
import { explain } from '../../../../../electron/insight/explain/index.js';
import { SMOOTHGRAD_COPIES } from '../../../../../electron/insight/explain/saliency.js';
import { prepareInput } from '../../../../../electron/insight/inputs.js';
import { InputError, type PreparedInput, type Session } from '../../../../../electron/insight/session.js';
import type { ImageBatch } from '../../../../../shared/api/images.js';
import { explanationSchema, type ExplainRequest, type Explanation, type HeatMap } from '../../../../../shared/api/insight.js';
import { closeSession, trainedSession } from '../trained.js';

/**
 * Explanations of a CNN trained on real MNIST for a hundred batches: where it looks, what its
 * layers hold, and the smallest step that fools it.
 */

const access = new DataAccess();
let session: Session;
/** Test examples the network gets right. */
const inputs: PreparedInput[] = [];

beforeAll(async () => {
  session = await trainedSession('cnn-mnist', { batches: 150, config: { batchSize: 32, seed: 1 }, backend: 'wasm', seededWeights: true });
  for (let index = 0; inputs.length < 12 && index < 60; index++) {
    const prepared = await prepareInput(session, { kind: 'example', index }, access);
    const predicted = tf.tidy(() => (session.model.predict(prepared.tensor) as tf.Tensor).argMax(-1).dataSync()[0]);
    if (predicted === prepared.truth?.label) inputs.push(prepared);
    else prepared.tensor.dispose();
  }
}, 120_000);

afterAll(() => {
  for (const prepared of inputs) prepared.tensor.dispose();
  closeSession(session);
});

/** Explains and checks that no tensor is left behind. */
async function explained(prepared: PreparedInput, request: ExplainRequest): Promise<Explanation> {
  const before = tf.memory().numTensors;
  const result = await explain(session, prepared, request);
  expect(tf.memory().numTensors).toBe(before);
  // What crosses the API is checked against the contract.
  return explanationSchema.parse(result);
}

function pixelsOf(batch: ImageBatch): Uint8Array {
  return new Uint8Array(Buffer.from(batch.pixels, 'base64'));
}

/** The mean heat on the digit's ink and on the 3-pixel border that MNIST leaves empty. */
function heatWhere(heat: HeatMap, prepared: PreparedInput): { ink: number; border: number } {
  const x = prepared.tensor.dataSync();
  let ink = 0;
  let inkCount = 0;
  let border = 0;
  let borderCount = 0;
  for (let y = 0; y < heat.height; y++) {
    for (let c = 0; c < heat.width; c++) {
      const i = y * heat.width + c;
      if (y < 3 || c < 3 || y >= heat.height - 3 || c >= heat.width - 3) {
        border += heat.values[i]!;
        borderCount++;
      } else if (x[i]! > 0.3) {
        ink += heat.values[i]!;
        inkCount++;
      }
    }
  }
  return { ink: ink / inkCount, border: border / borderCount };
}

function heatmap(result: Explanation) {
  if (result.kind !== 'heatmap') throw new Error(`expected a heat map, got ${result.kind}`);
  return result;
}

describe('saliency and SmoothGrad', () => {
  it('puts the heat on the digit rather than the empty border, scaled into [0, 1]', async () => {
    for (const prepared of inputs) {
      const result = heatmap(await explained(prepared, { method: 'saliency' }));
      expect(result.classIndex).toBe(prepared.truth!.label);
      expect(result.className).toBe(session.info.classes![prepared.truth!.label!]);
      expect([result.heat.height, result.heat.width]).toEqual([28, 28]);
      expect(Math.max(...result.heat.values)).toBeCloseTo(1, 6);
      expect(Math.min(...result.heat.values)).toBeGreaterThanOrEqual(0);
      const { ink, border } = heatWhere(result.heat, prepared);
      expect(ink).toBeGreaterThan(5 * border);
      expect(result.image).toEqual(prepared.seen);
    }
  });

  it('follows the class asked for, which has a map of its own', async () => {
    const prepared = inputs[0]!;
    const other = (prepared.truth!.label! + 1) % 10;
    const top = heatmap(await explained(prepared, { method: 'saliency' }));
    const asked = heatmap(await explained(prepared, { method: 'saliency', classIndex: other }));
    expect(asked.classIndex).toBe(other);
    expect(asked.className).toBe(String(other));
    const difference = asked.heat.values.reduce((sum, v, i) => sum + Math.abs(v - top.heat.values[i]!), 0);
    expect(difference).toBeGreaterThan(1);
    await expect(explain(session, prepared, { method: 'saliency', classIndex: 10 })).rejects.toThrow(/Class 10 is out of range: this network answers with 10 classes \(0 to 9\)/);
  });

  it('averages noisy copies the same way each time, smoother than one gradient and still on the digit', async () => {
    const prepared = inputs[1]!;
    const smooth = heatmap(await explained(prepared, { method: 'smoothgrad' }));
    const again = heatmap(await explained(prepared, { method: 'smoothgrad' }));
    expect(again.heat.values).toEqual(smooth.heat.values);
    expect(SMOOTHGRAD_COPIES).toBeGreaterThanOrEqual(20);
    const { ink, border } = heatWhere(smooth.heat, prepared);
    expect(ink).toBeGreaterThan(3 * border);
    // Noise spreads the heat over neighbouring pixels: more of the map is lit than by one gradient.
    const plain = heatmap(await explained(prepared, { method: 'saliency' }));
    const lit = (h: HeatMap) => h.values.filter((v) => v > 0.1).length;
    expect(lit(smooth.heat)).toBeGreaterThan(lit(plain.heat));
  });
});

describe('Grad-CAM', () => {
  it('looks at the last convolution unless told, and lights the digits rather than the border', async () => {
    const figures: { ink: number; border: number }[] = [];
    for (const prepared of inputs) {
      const result = heatmap(await explained(prepared, { method: 'gradcam' }));
      expect(result.layer).toBe('conv2');
      expect([result.heat.height, result.heat.width]).toEqual([28, 28]);
      const largest = Math.max(...result.heat.values);
      // ReLU keeps only what speaks for the class: a map may be all zero, else its largest value is 1.
      expect(largest === 0 || Math.abs(largest - 1) < 1e-6).toBe(true);
      figures.push(heatWhere(result.heat, prepared));
    }
    // A coarse 11 × 11 map of a briefly trained network strays on some digits, not on most.
    const mean = (key: 'ink' | 'border') => figures.reduce((sum, f) => sum + f[key], 0) / figures.length;
    expect(mean('ink')).toBeGreaterThan(2 * mean('border'));
    expect(figures.filter((f) => f.ink > f.border).length).toBeGreaterThanOrEqual(7);
  });

  it("is the channels weighted by their mean gradient, kept where positive, laid where the layer's pixels look", async () => {
    const prepared = inputs[4]!;
    const result = heatmap(await explained(prepared, { method: 'gradcam' }));
    // Computed here through tfjs's own layers: conv2's output, then the head applied to it by hand.
    const cam = tf.tidy(() => {
      const model = session.model;
      const activation = (tf.model({ inputs: model.inputs, outputs: model.getLayer('conv2').output as tf.SymbolicTensor }).predict(prepared.tensor) as tf.Tensor);
      const logit = (a: tf.Tensor) => {
        const hidden = ['pool2', 'flatten', 'hidden'].reduce((t, name) => model.getLayer(name).apply(t) as tf.Tensor, a);
        const [kernel, bias] = model.getLayer('output').getWeights();
        return tf.sum(tf.slice(tf.add(tf.matMul(hidden as tf.Tensor2D, kernel as tf.Tensor2D), bias!), [0, result.classIndex], [1, 1]));
      };
      const weights = tf.mean(tf.grad(logit)(activation), [1, 2], true);
      return Float32Array.from(tf.relu(tf.sum(tf.mul(activation, weights), -1)).dataSync());
    });
    // conv2's pixel (i, j) reads input pixels 2i…2i+7: its centre is at 2i + 3.5.
    const laid = resample(cam, 11, 11, 28, 28, { y: { stride: 2, offset: 3.5 }, x: { stride: 2, offset: 3.5 } });
    const largest = Math.max(...laid);
    expect(largest).toBeGreaterThan(0);
    result.heat.values.forEach((v, i) => expect(v).toBeCloseTo(laid[i]! / largest, 4));
  });

  it('reads the layer asked for, and refuses one without a spatial output', async () => {
    const prepared = inputs[0]!;
    const first = heatmap(await explained(prepared, { method: 'gradcam', layer: 'conv1' }));
    expect(first.layer).toBe('conv1');
    const last = heatmap(await explained(prepared, { method: 'gradcam' }));
    expect(first.heat.values).not.toEqual(last.heat.values);
    await expect(explain(session, prepared, { method: 'gradcam', layer: 'hidden' })).rejects.toThrow(/\(height, width, channels\) output, but hidden gives \(64\)/);
    await expect(explain(session, prepared, { method: 'gradcam', layer: 'nowhere' })).rejects.toThrow(InputError);
  });
});

describe('activations', () => {
  it("gives every layer's output in the shape inference gives it", async () => {
    const prepared = inputs[0]!;
    for (const layer of session.info.layers) {
      const result = await explained(prepared, { method: 'activations', layer: layer.id });
      if (result.kind !== 'activations') throw new Error(result.kind);
      expect(result.layer).toBe(layer.id);
      expect(result.shape).toEqual(session.inference.nodes[layer.id]!.outputShape!.slice(1));
      if (result.shape.length === 3) {
        const [h, w, c] = result.shape as [number, number, number];
        expect(result.maps).toMatchObject({ count: Math.min(c, 64), height: h, width: w, channels: 1 });
        expect(result.hidden).toBe(Math.max(0, c - 64));
      } else {
        expect(result.values).toHaveLength(Math.min(result.shape[0]!, 512));
        expect(result.hidden).toBe(Math.max(0, result.shape[0]! - 512));
      }
    }
  });

  it("holds the layer's real values: a channel's map and a dense layer's units as tfjs computes them", async () => {
    const prepared = inputs[2]!;
    const [conv, hidden] = tf.tidy(() => {
      const probe = tf.model({ inputs: session.model.inputs, outputs: [session.model.getLayer('conv1').output as tf.SymbolicTensor, session.model.getLayer('hidden').output as tf.SymbolicTensor] });
      const [a, b] = probe.predict(prepared.tensor) as tf.Tensor[];
      return [tf.transpose(a!.reshape([26 * 26, 16])).arraySync() as number[][], Array.from(b!.dataSync())];
    });
    const maps = await explained(prepared, { method: 'activations', layer: 'conv1' });
    if (maps.kind !== 'activations') throw new Error(maps.kind);
    const pixels = pixelsOf(maps.maps!);
    for (const channel of [0, 7, 15]) {
      const plane = conv[channel]!;
      const low = Math.min(...plane);
      const range = Math.max(...plane) - low;
      plane.forEach((v, i) => expect(Math.abs(pixels[channel * 676 + i]! - (range > 0 ? ((v - low) / range) * 255 : 0))).toBeLessThanOrEqual(0.51));
    }
    const dense = await explained(prepared, { method: 'activations', layer: 'hidden' });
    if (dense.kind !== 'activations') throw new Error(dense.kind);
    dense.values!.forEach((v, i) => expect(v).toBeCloseTo(hidden[i]!, 4));
  });
});

/** The loss's gradient sign at x for class c, through the model's own predict, and the step x + ε·sign clipped. */
function fgsmStep(prepared: PreparedInput, classIndex: number, epsilon: number): tf.Tensor {
  return tf.tidy(() => {
    const loss = (x: tf.Tensor) => tf.neg(tf.log(tf.add((session.model.predict(x) as tf.Tensor).slice([0, classIndex], [1, 1]), 1e-30))).sum() as tf.Scalar;
    const sign = tf.sign(tf.grad(loss)(prepared.tensor));
    return tf.clipByValue(tf.add(prepared.tensor, tf.mul(sign, epsilon)), 0, 1);
  });
}

describe('an adversarial example (FGSM)', () => {
  it('changes the answer with a small step along the gradient, and shows the difference magnified', async () => {
    const prepared = inputs[3]!;
    const result = await explained(prepared, { method: 'adversarial' });
    if (result.kind !== 'adversarial') throw new Error(result.kind);
    expect(result.changed).toBe(true);
    expect(result.epsilon).toBeGreaterThan(1 / 255);
    expect(result.epsilon).toBeLessThan(0.25);
    expect(result.before[0]!.index).toBe(prepared.truth!.label);
    expect(result.after[0]!.index).not.toBe(result.before[0]!.index);
    expect(result.original).toEqual(prepared.seen);

    // The same step taken through the model's own predict gives the same changed answer.
    const stepped = fgsmStep(prepared, result.before[0]!.index, result.epsilon);
    const answer = tf.tidy(() => (session.model.predict(stepped) as tf.Tensor).argMax(-1).dataSync()[0]);
    expect(answer).toBe(result.after[0]!.index);
    const expected = stepped.dataSync();
    const adversarial = pixelsOf(result.adversarial);
    expected.forEach((v, i) => expect(Math.abs(adversarial[i]! - v * 255)).toBeLessThanOrEqual(0.51));
    stepped.dispose();

    const x = prepared.tensor.dataSync();
    const difference = pixelsOf(result.difference);
    let largest = 0;
    difference.forEach((d, i) => {
      const moved = adversarial[i]! / 255 - x[i]!;
      if (Math.abs(moved) < 0.5 / 255) expect(Math.abs(d - 127.5)).toBeLessThanOrEqual(1);
      else expect(Math.sign(d - 127.5)).toBe(Math.sign(moved));
      largest = Math.max(largest, Math.abs(d - 127.5));
    });
    expect(largest).toBeGreaterThanOrEqual(126);
  });

  it('says unchanged when the step allowed is smaller than the one needed', async () => {
    const prepared = inputs[3]!;
    const result = await explained(prepared, { method: 'adversarial', epsilon: 1 / 255 });
    if (result.kind !== 'adversarial') throw new Error(result.kind);
    expect(result.changed).toBe(false);
    expect(result.epsilon).toBeCloseTo(1 / 255, 9);
    expect(result.after[0]!.index).toBe(result.before[0]!.index);
  });
});
