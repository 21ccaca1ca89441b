import { describe, expect, it } from 'vitest';
import type { InsightInfo, InsightLayer } from '../../../../../shared/api/insight.js';
import { insightInfo } from '../../../../fixtures/insight/info.js';
import { defaultLayer, layersFor, methodsFor, noMethodsReason } from '../../../../../renderer/panels/insight/methods.js';

const layer = (id: string, type: string, spatial = false, heads?: number): InsightLayer => ({ id, name: id, type, outputShape: [null], spatial, ...(heads ? { heads } : {}) });

const base: InsightInfo = insightInfo({ testCount: 10, validationCount: 0 });

const cnn: InsightInfo = {
  ...base,
  layers: [layer('input', 'Input', true), layer('conv1', 'Conv2D', true), layer('pool1', 'MaxPooling2D', true), layer('conv2', 'Conv2D', true), layer('pool2', 'MaxPooling2D', true), layer('flatten', 'Flatten'), layer('output', 'Dense')],
};

describe('which explanations apply', () => {
  it('offers an image classifier gradients, Grad-CAM, activations and an adversarial example', () => {
    expect(methodsFor(cnn)).toEqual(['saliency', 'smoothgrad', 'gradcam', 'activations', 'adversarial']);
  });

  it('leaves Grad-CAM out for a network with no spatial layer', () => {
    const mlp = { ...base, layers: [layer('input', 'Input', true), layer('flatten', 'Flatten'), layer('output', 'Dense')] };
    expect(methodsFor(mlp)).toEqual(['saliency', 'smoothgrad', 'activations', 'adversarial']);
  });

  it('offers a text classifier attribution on its embedding, attention when it has attention layers, and activations', () => {
    const text = { ...base, input: 'text' as const, differentiable: false, embeddingLayer: 'embed', layers: [layer('input', 'Input'), layer('embed', 'Embedding'), layer('mha', 'MultiHeadAttention', false, 2), layer('out', 'Dense')] };
    expect(methodsFor(text)).toEqual(['attribution', 'attention', 'activations']);
    expect(methodsFor({ ...text, layers: text.layers.filter((l) => l.id !== 'mha') })).toEqual(['attribution', 'activations']);
  });

  it('offers a character model attention and activations, no gradients', () => {
    const corpus = { ...base, task: 'language-model' as const, input: 'corpus' as const, differentiable: false, embeddingLayer: 'embed', layers: [layer('chars', 'Input'), layer('embed', 'TokenAndPositionEmbedding'), layer('attention', 'MultiHeadAttention', false, 4), layer('next', 'Dense')] };
    expect(methodsFor(corpus)).toEqual(['attention', 'activations']);
  });

  it('offers a table saliency over its features and activations', () => {
    const table = { ...base, task: 'regress' as const, input: 'table' as const, layers: [layer('input', 'Input'), layer('hidden', 'Dense'), layer('out', 'Dense')] };
    expect(methodsFor(table)).toEqual(['saliency', 'activations']);
    expect(methodsFor({ ...table, differentiable: false })).toEqual(['activations']);
  });

  it('says why when nothing applies', () => {
    expect(noMethodsReason({ ...base, input: 'noise', task: 'gan', layers: [layer('noise', 'Input')] })).toMatch(/no layer/);
    expect(noMethodsReason(cnn)).toBeNull();
  });
});

describe('layers for a method', () => {
  it('gives Grad-CAM the spatial layers but the input, starting on the last convolution', () => {
    expect(layersFor(cnn, 'gradcam').map((l) => l.id)).toEqual(['conv1', 'pool1', 'conv2', 'pool2']);
    expect(defaultLayer(cnn, 'gradcam')).toBe('conv2');
  });

  it('gives activations every layer but the input, and gradients none', () => {
    expect(layersFor(cnn, 'activations').map((l) => l.id)).toEqual(['conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'output']);
    expect(defaultLayer(cnn, 'activations')).toBe('conv1');
    expect(layersFor(cnn, 'saliency')).toEqual([]);
    expect(defaultLayer(cnn, 'saliency')).toBeNull();
  });
});
