import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledWithRandomWeights, maxDifference, predict, randomInputs } from './harness.js';
import { KERAS_WRITER } from '../../../../electron/export/keras/index.js';
import { kerasOnlyMaskUses, tfjsMaskUses } from '../../../../electron/export/mask.js';
import { ONNX_WRITER } from '../../../../electron/export/onnx/index.js';
import { PYTORCH_WRITER } from '../../../../electron/export/pytorch/index.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { chain, node } from '../../../fixtures/graphs.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

afterAll(() => {
  tf.disposeVariables();
});

const embedding = () => node('emb', 'Embedding', { inputDim: 5, outputDim: 3, maskZero: true });
const averaged = (): Graph => chain(node('in', 'Input', { shape: [6] }), embedding(), node('gap', 'GlobalAveragePooling1D', {}));
const recurrent = (): Graph => chain(node('in', 'Input', { shape: [6] }), embedding(), node('lstm', 'LSTM', { units: 2 }));

describe('Embedding (Mask zero) → GlobalAveragePooling1D: tfjs averages every step', () => {
  it('ONNX writes it, and onnxruntime matches tfjs on batches with padding', async () => {
    const graph = averaged();
    const { model, exported } = await compiledWithRandomWeights(graph, 3);
    try {
      expect(tfjsMaskUses(exported)).toEqual([]);
      expect(ONNX_WRITER.refusals(exported)).toEqual([]);
      const bytes = (await ONNX_WRITER.files(exported)).find((f) => f.path === 'model.onnx')!.data as Uint8Array;
      const batch = randomInputs(graph, 8, 11);
      expect([...batch.values[0]!]).toContain(0);
      const session = await ort.InferenceSession.create(bytes);
      try {
        const ids = new ort.Tensor('int64', BigInt64Array.from(batch.values[0]!, (v) => BigInt(v)), batch.shapes[0]);
        const out = await session.run({ [session.inputNames[0]!]: ids });
        const onnx = out[session.outputNames[0]!]!.data as Float32Array;
        expect(maxDifference(onnx, predict(model, batch)[0]!.values)).toBeLessThan(1e-5);
      } finally {
        await session.release();
      }
    } finally {
      model.dispose();
    }
  });

  it('PyTorch writes it', async () => {
    const { model, exported } = await compiledWithRandomWeights(averaged(), 3);
    model.dispose();
    expect(PYTORCH_WRITER.refusals(exported)).toEqual([]);
  });

  it('Keras refuses it at the Embedding, naming GlobalAveragePooling1D and why', async () => {
    const { model, exported } = await compiledWithRandomWeights(averaged(), 3);
    model.dispose();
    expect(kerasOnlyMaskUses(exported).map((u) => u.nodeId)).toEqual(['gap']);
    const refusals = KERAS_WRITER.refusals(exported);
    expect(refusals.map((r) => r.nodeId)).toEqual(['emb']);
    expect(refusals[0]!.reason).toMatch(/reaches GlobalAveragePooling1D "gap": Keras's GlobalAveragePooling1D averages only the steps that are not padding \(id 0\), where TensorFlow\.js's ignores the mask/);
    await expect(KERAS_WRITER.files(exported)).rejects.toThrow(/Mask zero is on/);
  });

  it('a layer that drops the mask in between (Conv1D) lets Keras write it too', async () => {
    const graph = chain(node('in', 'Input', { shape: [6] }), embedding(), node('conv', 'Conv1D', { filters: 2, kernelSize: [2] }), node('gap', 'GlobalAveragePooling1D', {}));
    const { model, exported } = await compiledWithRandomWeights(graph, 3);
    model.dispose();
    expect(KERAS_WRITER.refusals(exported)).toEqual([]);
  });
});

describe('Embedding (Mask zero) → LSTM: both skip the padding steps', () => {
  it('ONNX and PyTorch refuse it at the Embedding, naming the LSTM', async () => {
    const { model, exported } = await compiledWithRandomWeights(recurrent(), 4);
    model.dispose();
    expect(tfjsMaskUses(exported).map((u) => u.nodeId)).toEqual(['lstm']);
    for (const writer of [ONNX_WRITER, PYTORCH_WRITER]) {
      const refusals = writer.refusals(exported);
      expect(refusals.map((r) => r.nodeId)).toEqual(['emb']);
      expect(refusals[0]!.reason).toMatch(/Mask zero is on, so LSTM "lstm" after it skips the padding steps/);
    }
  });

  it('Keras writes it', async () => {
    const { model, exported } = await compiledWithRandomWeights(recurrent(), 4);
    model.dispose();
    expect(KERAS_WRITER.refusals(exported)).toEqual([]);
    expect((await KERAS_WRITER.files(exported)).map((f) => f.path)).toContain('model.json');
  });

  it('a Dense in between passes the mask on in tfjs, so the LSTM still skips padding', async () => {
    const graph = chain(node('in', 'Input', { shape: [6] }), embedding(), node('dense', 'Dense', { units: 3 }), node('lstm', 'LSTM', { units: 2 }));
    const { model, exported } = await compiledWithRandomWeights(graph, 4);
    model.dispose();
    expect(ONNX_WRITER.refusals(exported).map((r) => r.nodeId)).toEqual(['emb']);
  });
});
