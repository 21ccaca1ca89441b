import { activate, activationProblem } from '../activations.js';
import type { GraphBuilder } from '../builder.js';
import { constant, inner, optionalWeight, weight, type LayerCall, type LayerEmitter } from '../layer.js';
import { permute, tfPadding } from '../../tensors.js';

/*
 * ONNX convolves and pools channels first (N, C, …); NetCanvas's values are channels last.
 * Each layer here transposes in and back out, which runtimes fold away between neighbours.
 */

export function channelsFirst(b: GraphBuilder, x: string, rank: number): string {
  return b.transpose(x, [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)]);
}

export function channelsLast(b: GraphBuilder, x: string, rank: number): string {
  return b.transpose(x, [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1]);
}

/**
 * TensorFlow's "same" padding as explicit ONNX pads: the output is ceil(size / stride), and
 * when the padding needed is odd the extra row or column goes at the end.
 */
export function padsFor(padding: string, sizes: readonly number[], kernel: readonly number[], strides: readonly number[], dilations: readonly number[] = kernel.map(() => 1)): number[] {
  const pairs = sizes.map((size, i) => tfPadding(size, kernel[i]!, strides[i]!, dilations[i]!, padding));
  return [...pairs.map(([before]) => before), ...pairs.map(([, after]) => after)];
}

const byActivation: LayerEmitter['refuse'] = (p) => activationProblem(p.activation as string);

/** A tfjs kernel (…spatial, in, out) as ONNX's (out, in, …spatial). */
function convKernel(c: LayerCall, name: string): string {
  const k = weight(c, name);
  const spatial = k.shape.length - 2;
  const perm = [spatial + 1, spatial, ...Array.from({ length: spatial }, (_, i) => i)];
  const t = permute(k.values, k.shape, perm);
  return constant(c, k, t.shape, t.values);
}

/** A depthwise kernel (kh, kw, in, multiplier) as ONNX's grouped (in·multiplier, 1, kh, kw), channel c·multiplier + m as tfjs orders them. */
function depthwiseKernel(c: LayerCall): string {
  const k = weight(c, 'depthwise_kernel');
  const [kh, kw, channels, multiplier] = k.shape as [number, number, number, number];
  const t = permute(k.values, [kh, kw, channels * multiplier], [2, 0, 1]);
  return constant(c, k, [channels * multiplier, 1, kh, kw], t.values);
}

interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  padding: string;
}

function conv(c: LayerCall, x: string, w: string, bias: string | null, window: Window, sizes: number[], group = 1): string {
  const inputs = bias ? [x, w, bias] : [x, w];
  return c.b.op1('Conv', inputs, {
    kernel_shape: window.kernel,
    strides: window.strides,
    dilations: window.dilations,
    pads: padsFor(window.padding, sizes, window.kernel, window.strides, window.dilations),
    group,
  });
}

function windowOf(c: LayerCall): Window {
  const kernel = c.params.kernelSize as number[];
  return {
    kernel,
    strides: c.params.strides as number[],
    dilations: (c.params.dilationRate as number[] | undefined) ?? kernel.map(() => 1),
    padding: c.params.padding as string,
  };
}

function biasOf(c: LayerCall): string | null {
  const bias = optionalWeight(c, 'bias');
  return bias ? constant(c, bias) : null;
}

/** Wraps a channels-first computation in the transposes to and from NetCanvas's layout, then activates. */
function convolution(compute: (c: LayerCall, x: string, sizes: number[]) => string): LayerEmitter {
  return {
    refuse: byActivation,
    emit: (c) => {
      const rank = c.inputShapes[0]!.length;
      const sizes = inner(c.inputShapes[0]!).slice(0, -1);
      const y = compute(c, channelsFirst(c.b, c.inputs[0]!, rank), sizes);
      return [activate(c.b, channelsLast(c.b, y, rank), c.params.activation as string)];
    },
  };
}

const standard = convolution((c, x, sizes) => conv(c, x, convKernel(c, 'kernel'), biasOf(c), windowOf(c), sizes));

/**
 * tf's conv2dTranspose crops the full transposed convolution to the size Keras gives
 * (size·stride for "same"), taking the odd row from the end; where the kernel is smaller
 * than the stride, the output is longer than the full result and ends in zeros (output_padding).
 */
function transposePads(sizes: number[], outSizes: number[], kernel: number[], strides: number[]): { pads: number[]; outputPadding: number[] } {
  const totals = sizes.map((size, i) => (size - 1) * strides[i]! + kernel[i]! - outSizes[i]!);
  const begin = totals.map((t) => (t > 0 ? Math.floor(t / 2) : 0));
  const end = totals.map((t, i) => (t > 0 ? t - begin[i]! : 0));
  return { pads: [...begin, ...end], outputPadding: totals.map((t) => (t < 0 ? -t : 0)) };
}

const transposed = convolution((c, x, sizes) => {
  const k = weight(c, 'kernel');
  // tfjs: (kh, kw, filters, in); ONNX: (in, filters, kh, kw).
  const t = permute(k.values, k.shape, [3, 2, 0, 1]);
  const w = constant(c, k, t.shape, t.values);
  const bias = biasOf(c);
  const window = windowOf(c);
  const outSizes = inner(c.outputShapes[0]!).slice(0, -1);
  const { pads, outputPadding } = transposePads(sizes, outSizes, window.kernel, window.strides);
  return c.b.op1('ConvTranspose', bias ? [x, w, bias] : [x, w], {
    kernel_shape: window.kernel,
    strides: window.strides,
    pads,
    output_padding: outputPadding,
  });
});

const depthwise = convolution((c, x, sizes) => {
  const channels = c.inputShapes[0]!.at(-1) as number;
  return conv(c, x, depthwiseKernel(c), biasOf(c), windowOf(c), sizes, channels);
});

const separable = convolution((c, x, sizes) => {
  const channels = c.inputShapes[0]!.at(-1) as number;
  const spread = conv(c, x, depthwiseKernel(c), null, windowOf(c), sizes, channels);
  const pointwise = convKernel(c, 'pointwise_kernel');
  return c.b.op1('Conv', [spread, pointwise, ...(optionalWeight(c, 'bias') ? [biasOf(c)!] : [])], { kernel_shape: [1, 1] });
});

export const CONVOLUTION_EMITTERS: Record<string, LayerEmitter> = {
  Conv1D: standard,
  Conv2D: standard,
  Conv2DTranspose: transposed,
  DepthwiseConv2D: depthwise,
  SeparableConv2D: separable,
};
