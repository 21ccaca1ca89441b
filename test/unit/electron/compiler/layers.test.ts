import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../electron/compiler/compile.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Shape } from '../../../../shared/graph/types.js';
import { layerTypes } from '../../../../shared/layers/registry.js';
import { ALL_SAMPLERS } from '../../../fixtures/layers/index.js';
import { sampleGraph, weightCount } from '../../../fixtures/layers/sample-graph.js';
import { createRng, type LayerSample } from '../../../fixtures/layers/types.js';

/** Random configurations per layer type; raise it locally to search harder. */
const SAMPLES = Number(process.env.NETCANVAS_LAYER_SAMPLES ?? 6);
const SEED = 20_261_124;

function seedFor(type: string): number {
  let h = SEED;
  for (const ch of type) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h;
}

function buildSample(type: string, sample: LayerSample) {
  const graph = sampleGraph(type, sample);
  return { graph, inference: inferGraph(graph) };
}

function tfjsOutputShapes(layer: tf.layers.Layer): Shape[] {
  const shape = layer.outputShape as (number | null)[] | (number | null)[][];
  return Array.isArray(shape[0]) ? (shape as (number | null)[][]) : [shape as (number | null)[]];
}

function randomBatch(sample: LayerSample, batch: number): tf.Tensor[] {
  return sample.inputs.map((input) =>
    input.maxInt === undefined
      ? tf.randomNormal([batch, ...input.shape])
      : tf.floor(tf.randomUniform([batch, ...input.shape], 0, input.maxInt)),
  );
}

beforeAll(async () => {
  await selectBackend('cpu');
});

afterAll(() => {
  tf.disposeVariables();
});

const TYPES = layerTypes().filter((t) => t !== 'Input');

describe.each(TYPES)('%s', (type) => {
  const sampler = ALL_SAMPLERS.find((s) => s.type === type);

  it('has a sampler of random valid configurations', () => {
    expect(sampler, `test/fixtures/layers has no sampler for ${type}`).toBeDefined();
  });

  it("infers the same output shapes and parameter counts as the compiled tfjs layer, for random configurations", () => {
    const rng = createRng(seedFor(type));
    for (let k = 0; k < SAMPLES && sampler; k++) {
      const sample = sampler.generate(rng);
      const what = `${type} ${JSON.stringify(sample.params)} on ${JSON.stringify(sample.inputs)}`;
      const { graph, inference } = buildSample(type, sample);
      expect(inference.diagnostics, what).toEqual([]);
      const model = compileGraph(graph);
      try {
        const layer = model.getLayer('layer');
        const info = inference.nodes.layer!;
        expect(info.outputShapes, what).toEqual(tfjsOutputShapes(layer));
        expect({ trainable: info.trainableParams, nonTrainable: info.nonTrainableParams }, what).toEqual({
          trainable: weightCount(layer.trainableWeights),
          nonTrainable: weightCount(layer.nonTrainableWeights),
        });
        expect(info.trainableParams + info.nonTrainableParams, what).toBe(layer.countParams());
      } finally {
        model.dispose();
      }
    }
  });

  it('trains one step', async () => {
    if (!sampler) return expect.unreachable(`no sampler for ${type}`);
    const sample = sampler.generate(createRng(seedFor(type) + 1));
    const { graph, inference } = buildSample(type, sample);
    const model = compileGraph(graph);
    try {
      const batch = 3;
      const xs = randomBatch(sample, batch);
      const ys = model.outputs.map((o) => tf.randomNormal([batch, ...(o.shape.slice(1) as number[])]));
      if (inference.nodes.layer!.trainableParams === 0) {
        // Nothing of its own to learn: check the gradient flows back through it to what feeds it.
        const scale = tf.variable(tf.scalar(1));
        const { value, grads } = tf.variableGrads(() => {
          const out = model.apply(xs.map((x) => x.mul(scale)), { training: true });
          const outs = Array.isArray(out) ? out : [out];
          return tf.addN(outs.map((o, i) => tf.losses.meanSquaredError(ys[i]!, o as tf.Tensor))) as tf.Scalar;
        }, [scale]);
        expect(Number.isFinite(value.dataSync()[0]!)).toBe(true);
        expect(Number.isFinite(grads[scale.name]!.dataSync()[0]!), 'gradient reaches the input').toBe(true);
        tf.dispose([value, scale, ...Object.values(grads)]);
      } else {
        model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
        const before = model.getLayer('layer').trainableWeights.map((w) => w.read().dataSync().slice());
        const loss = await model.trainOnBatch(xs, ys);
        const total = Array.isArray(loss) ? loss[0]! : loss;
        expect(Number.isFinite(total), `loss ${total}`).toBe(true);
        const after = model.getLayer('layer').trainableWeights.map((w) => w.read().dataSync());
        expect(after.some((values, i) => values.some((v, j) => v !== before[i]![j])), 'some trainable weight changed').toBe(true);
      }
      tf.dispose([...xs, ...ys]);
    } finally {
      model.dispose();
    }
  });
});
