import { describe, expect, it } from 'vitest';
import type { Fix } from '../../../../shared/graph/diagnostics.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Graph, Params } from '../../../../shared/graph/types.js';
import { importKerasModel } from '../../../../shared/keras/import.js';
import { chain, node } from '../../../fixtures/graphs.js';

/** Input of `shape` → one layer: the layer's problems, output shape and parameter count. */
function through(shape: number[], type: string, params: Params = {}) {
  const graph = chain(node('in', 'Input', { shape }), node('l', type, params));
  const inference = inferGraph(graph);
  const info = inference.nodes.l;
  return { graph, problems: inference.diagnostics.filter((d) => d.nodeId === 'l'), shape: info?.outputShape, params: info?.trainableParams };
}

/** The graph after the user clicks a fix on node `l`. */
function applyFix(graph: Graph, fix: Fix | undefined): Graph {
  if (fix?.kind === 'set-param') {
    return { ...graph, nodes: graph.nodes.map((n) => (n.id === (fix.nodeId ?? 'l') ? { ...n, params: { ...n.params, [fix.param]: fix.value } } : n)) };
  }
  if (fix?.kind === 'insert-before') {
    const [input, layer] = graph.nodes as [Graph['nodes'][number], Graph['nodes'][number]];
    return chain(input, node('fix', fix.layerType, fix.params), layer);
  }
  throw new Error('no fix offered');
}

const problemsAfter = (graph: Graph, fix: Fix | undefined) => inferGraph(applyFix(graph, fix)).diagnostics;

describe('convolution output sizes and parameter counts', () => {
  it('matches Keras for Conv1D and Conv2D with strides, padding and dilation', () => {
    expect(through([100, 16], 'Conv1D', { filters: 4, kernelSize: [5], strides: [3] })).toMatchObject({ shape: [null, 32, 4], params: 5 * 16 * 4 + 4 });
    expect(through([10, 3], 'Conv1D', { filters: 2, kernelSize: [3], dilationRate: [4], padding: 'same', useBias: false })).toMatchObject({ shape: [null, 10, 2], params: 18 });
    expect(through([28, 28, 1], 'Conv2D', { filters: 32, kernelSize: [3, 3] })).toMatchObject({ shape: [null, 26, 26, 32], params: 320 });
    expect(through([9, 7, 2], 'Conv2D', { filters: 3, kernelSize: [2, 3], strides: [2, 3], padding: 'same' }).shape).toEqual([null, 5, 3, 3]);
    expect(through([9, 7, 2], 'Conv2D', { filters: 3, kernelSize: [3, 2], dilationRate: [3, 2] }).shape).toEqual([null, 3, 5, 3]);
  });

  it('grows the image in Conv2DTranspose, also when strides exceed the kernel', () => {
    expect(through([7, 7, 64], 'Conv2DTranspose', { filters: 32, kernelSize: [4, 4], strides: [2, 2], padding: 'same' })).toMatchObject({
      shape: [null, 14, 14, 32],
      params: 4 * 4 * 64 * 32 + 32,
    });
    expect(through([3, 5, 1], 'Conv2DTranspose', { filters: 2, kernelSize: [2, 5], strides: [3, 2] }).shape).toEqual([null, 9, 13, 2]);
  });

  it('counts depthwise and separable weights per input channel', () => {
    expect(through([8, 8, 3], 'DepthwiseConv2D', { kernelSize: [3, 3], depthMultiplier: 2 })).toMatchObject({ shape: [null, 6, 6, 6], params: 9 * 6 + 6 });
    expect(through([8, 8, 3], 'SeparableConv2D', { filters: 5, kernelSize: [3, 3], depthMultiplier: 2, padding: 'same' })).toMatchObject({
      shape: [null, 8, 8, 5],
      params: 9 * 6 + 6 * 5 + 5,
    });
  });
});

describe('convolution errors', () => {
  it('says a kernel is larger than its input and offers padding "same", which then works', () => {
    const { graph, problems } = through([3, 3, 16], 'Conv2D', { kernelSize: [5, 5] });
    expect(problems).toEqual([
      {
        code: 'KERNEL_TOO_LARGE',
        nodeId: 'l',
        message: 'Conv2D\'s 5×5 kernel is larger than its 3×3 input (?, 3, 3, 16): use padding "same" or a smaller kernel.',
        fix: { kind: 'set-param', param: 'padding', value: 'same', label: 'Use padding "same"' },
      },
    ]);
    expect(problemsAfter(graph, problems[0]!.fix)).toEqual([]);
  });

  it('counts the dilation in the size of the kernel', () => {
    const { problems } = through([6, 4], 'Conv1D', { kernelSize: [3], dilationRate: [3] });
    expect(problems[0]).toMatchObject({
      code: 'KERNEL_TOO_LARGE',
      message: 'Conv1D\'s kernel of 3 steps (7 with dilation) is longer than its input of 6 steps (?, 6, 4): use padding "same" or a smaller kernel.',
    });
    expect(through([7, 4], 'Conv1D', { kernelSize: [3], dilationRate: [3] }).shape).toEqual([null, 1, 32]);
  });

  it('refuses strides together with dilation, which Keras and TensorFlow.js cannot combine', () => {
    for (const [type, shape] of [
      ['Conv1D', [20, 1]],
      ['Conv2D', [20, 20, 1]],
      ['SeparableConv2D', [20, 20, 1]],
    ] as const) {
      const spatial = shape.length - 1;
      const strides = Array.from({ length: spatial }, () => 2);
      const dilationRate = Array.from({ length: spatial }, (_, i) => i + 2);
      const { graph, problems } = through([...shape], type, { strides, dilationRate });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({
        code: 'INVALID_PARAM',
        message: `${type} cannot use strides above 1 (${strides.join(',')}) together with a dilation rate above 1 (${dilationRate.join(',')}): set one of them back to 1.`,
        fix: { kind: 'set-param', param: 'dilationRate', value: strides.map(() => 1) },
      });
      expect(problemsAfter(graph, problems[0]!.fix)).toEqual([]);
    }
  });

  it('offers to reshape a flat vector into a square one-channel image, and the result convolves', () => {
    const { graph, problems } = through([784], 'Conv2D');
    expect(problems[0]).toEqual({
      code: 'WRONG_RANK',
      nodeId: 'l',
      message: 'Conv2D needs (batch, height, width, channels) but gets (?, 784): insert Reshape to (28, 28, 1).',
      fix: { kind: 'insert-before', layerType: 'Reshape', params: { targetShape: [28, 28, 1] }, label: 'Insert Reshape to (28, 28, 1)' },
    });
    expect(problemsAfter(graph, problems[0]!.fix)).toEqual([]);
  });

  it('offers to add a channel to an image without one, and to a flat sequence', () => {
    expect(through([28, 20], 'Conv2D').problems[0]).toMatchObject({ code: 'WRONG_RANK', fix: { layerType: 'Reshape', params: { targetShape: [28, 20, 1] } } });
    expect(through([5, 5], 'DepthwiseConv2D').problems[0]).toMatchObject({ fix: { params: { targetShape: [5, 5, 1] } } });
    const conv1d = through([100], 'Conv1D');
    expect(conv1d.problems[0]).toMatchObject({
      code: 'WRONG_RANK',
      message: 'Conv1D needs (batch, steps, channels) but gets (?, 100): insert Reshape to (100, 1).',
      fix: { params: { targetShape: [100, 1] } },
    });
    expect(problemsAfter(conv1d.graph, conv1d.problems[0]!.fix)).toEqual([]);
  });

  it('offers no reshape when there is no obvious image or sequence', () => {
    const notSquare = through([10], 'Conv2D').problems[0]!;
    expect(notSquare).toMatchObject({ code: 'WRONG_RANK', message: 'Conv2D needs (batch, height, width, channels) but gets (?, 10): feed it images, or reshape its input into height, width and channels.' });
    expect(notSquare).not.toHaveProperty('fix');
    const image = through([5, 5, 3], 'Conv1D').problems[0]!;
    expect(image).toMatchObject({ code: 'WRONG_RANK', message: 'Conv1D needs (batch, steps, channels) but gets (?, 5, 5, 3): feed it a sequence.' });
    expect(image).not.toHaveProperty('fix');
    expect(through([4, 4, 4, 1], 'Conv2D').problems[0]).not.toHaveProperty('fix');
  });
});

describe('Keras settings TensorFlow.js cannot express', () => {
  const model = (className: string, config: Record<string, unknown>) => ({
    class_name: 'Sequential',
    config: {
      name: 'm',
      layers: [
        { class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 8, 8, 2] } },
        { class_name: className, config: { name: 'c', kernel_size: [3, 3], filters: 4, ...config } },
      ],
    },
    keras_version: '2.15.0',
    backend: 'tensorflow',
  });
  const importing = (className: string, config: Record<string, unknown>) => importKerasModel(model(className, config), 'm.json');

  it('refuses grouped convolutions, dilated depthwise and transposed convolutions, and output padding, saying why', () => {
    const message = (className: string, config: Record<string, unknown>) => {
      const result = importing(className, config);
      return result.ok ? 'imported' : result.error.message;
    };
    expect(message('Conv2D', { groups: 2 })).toContain('groups 2 is not supported: TensorFlow.js\'s Conv2D has no grouped convolution.');
    expect(message('DepthwiseConv2D', { dilation_rate: [2, 2] })).toContain("dilation_rate [2,2] is not supported: TensorFlow.js's DepthwiseConv2D has no dilation.");
    expect(message('Conv2DTranspose', { dilation_rate: 2 })).toContain("dilation_rate 2 is not supported: TensorFlow.js's Conv2DTranspose has no dilation.");
    expect(message('Conv2DTranspose', { output_padding: [1, 1] })).toContain("output_padding [1,1] is not supported: TensorFlow.js's Conv2DTranspose has no output padding.");
  });

  it('imports the default values of those settings', () => {
    expect(importing('Conv2D', { groups: 1, dilation_rate: [2, 2] }).ok).toBe(true);
    expect(importing('DepthwiseConv2D', { dilation_rate: [1, 1] }).ok).toBe(true);
    expect(importing('Conv2DTranspose', { dilation_rate: [1, 1], output_padding: null }).ok).toBe(true);
  });
});
