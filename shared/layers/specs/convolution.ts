import { ACTIVATIONS } from '../activations.js';
import { defineLayer, type KerasConfig, type ParamCount, type ParamSpec, type ShapeResult } from '../types.js';
import type { Fix } from '../../graph/diagnostics.js';
import { formatShape, product, type Params, type Shape } from '../../graph/types.js';

/** One spatial size after a convolution or pooling window, as tfjs-layers and Keras compute it. */
export function convOutputLength(size: number, kernel: number, padding: string, stride: number, dilation = 1): number {
  const span = kernel + (kernel - 1) * (dilation - 1);
  const length = padding === 'same' ? size : size - span + 1;
  return Math.floor((length + stride - 1) / stride);
}

/** One spatial size after a transposed convolution. */
function deconvLength(size: number, stride: number, kernel: number, padding: string): number {
  return padding === 'valid' ? size * stride + Math.max(kernel - stride, 0) : size * stride;
}

const times = (dims: readonly number[]) => dims.join('×');
const steps = (n: number) => `${n} step${n === 1 ? '' : 's'}`;

const reshapeTo = (targetShape: number[]): Fix => ({ kind: 'insert-before', layerType: 'Reshape', params: { targetShape }, label: `Insert Reshape to (${targetShape.join(', ')})` });

/**
 * The fix for an input with too few dimensions: reshape it into what the layer reads, one
 * channel. A flat input becomes a square image only when its size is a perfect square.
 */
function reshapeFix(shape: Shape, spatial: number): Fix | undefined {
  const inner = shape.slice(1);
  if (inner.length >= spatial + 1 || inner.length === 0 || inner.some((d) => d === null)) return undefined;
  const dims = inner as number[];
  if (dims.length === spatial) return reshapeTo([...dims, 1]);
  const n = dims[0]!;
  const side = Math.round(Math.sqrt(n));
  return side * side === n ? reshapeTo([side, side, 1]) : undefined;
}

/**
 * Checks that `shape` is (batch, …spatial, channels) with everything known but the batch;
 * returns the problem, or the spatial sizes and channels.
 */
export function spatialInput(
  type: string,
  shape: Shape,
  spatial: 1 | 2,
): { ok: false; result: ShapeResult } | { ok: true; sizes: number[]; channels: number } {
  const wanted = spatial === 1 ? '(batch, steps, channels)' : '(batch, height, width, channels)';
  if (shape.length !== spatial + 2) {
    const fix = reshapeFix(shape, spatial);
    const hint = fix ? `: ${fix.label.replace(/^Insert/, 'insert')}` : spatial === 1 ? ': feed it a sequence' : ': feed it images, or reshape its input into height, width and channels';
    return { ok: false, result: { ok: false, code: 'WRONG_RANK', message: `${type} needs ${wanted} but gets ${formatShape(shape)}${hint}.`, ...(fix ? { fix } : {}) } };
  }
  const inner = shape.slice(1);
  if (inner.some((d) => d === null)) {
    return { ok: false, result: { ok: false, code: 'UNKNOWN_DIMENSION', message: `${type} needs every size of ${wanted} known but gets ${formatShape(shape)}.` } };
  }
  const dims = inner as number[];
  return { ok: true, sizes: dims.slice(0, spatial), channels: dims[spatial]! };
}

/**
 * Output sizes of a sliding window; an error when the window does not fit (valid padding)
 * or when a size comes out as zero.
 */
export function windowSizes(
  type: string,
  what: string,
  shape: Shape,
  sizes: readonly number[],
  window: readonly number[],
  strides: readonly number[],
  padding: string,
  dilation: readonly number[] = sizes.map(() => 1),
): { ok: false; result: ShapeResult } | { ok: true; out: number[] } {
  const span = window.map((k, i) => k + (k - 1) * (dilation[i]! - 1));
  if (padding === 'valid' && span.some((s, i) => s > sizes[i]!)) {
    const dilated = dilation.some((d) => d > 1) ? ` (${times(span)} with dilation)` : '';
    const problem =
      sizes.length === 1
        ? `${type}'s ${what} of ${steps(window[0]!)}${dilated} is longer than its input of ${steps(sizes[0]!)} ${formatShape(shape)}`
        : `${type}'s ${times(window)} ${what}${dilated} is larger than its ${times(sizes)} input ${formatShape(shape)}`;
    return {
      ok: false,
      result: {
        ok: false,
        code: 'KERNEL_TOO_LARGE',
        message: `${problem}: use padding "same" or a smaller ${what}.`,
        fix: { kind: 'set-param', param: 'padding', value: 'same', label: 'Use padding "same"' },
      },
    };
  }
  const out = sizes.map((size, i) => convOutputLength(size, window[i]!, padding, strides[i]!, dilation[i]));
  if (out.some((d) => d <= 0)) {
    return { ok: false, result: { ok: false, code: 'EMPTY_OUTPUT', message: `${type} would output an empty ${times(out)} result from ${formatShape(shape)}: use smaller strides or a smaller ${what}.` } };
  }
  return { ok: true, out };
}

const ints = (spatial: number, name: string, label: string, fallback: number, help: string, advanced = false): ParamSpec => ({
  kind: 'ints',
  name,
  label,
  default: Array.from({ length: spatial }, () => fallback),
  min: 1,
  max: 1024,
  length: spatial,
  help,
  ...(advanced ? { advanced } : {}),
});

const paddingParam: ParamSpec = {
  kind: 'enum',
  name: 'padding',
  label: 'Padding',
  default: 'valid',
  options: ['valid', 'same'],
  help: '"valid" uses only real input, so the output shrinks; "same" pads the edges with zeros so, at stride 1, the output keeps the input\'s size.',
};
const activationParam: ParamSpec = {
  kind: 'enum',
  name: 'activation',
  label: 'Activation',
  default: 'linear',
  options: ACTIVATIONS,
  help: 'Function applied to each output; relu is the usual choice inside a CNN.',
};
const useBiasParam: ParamSpec = { kind: 'bool', name: 'useBias', label: 'Use bias', default: true, help: 'Add a learned offset to each output channel.', advanced: true };
const filtersParam: ParamSpec = { kind: 'int', name: 'filters', label: 'Filters', default: 32, min: 1, max: 100_000, help: 'How many patterns the layer learns to detect: the number of output channels.' };
const dilationHelp = 'Spreads the window out, skipping this many − 1 inputs between its cells, to see further at the same cost. Strides must stay 1 when it is above 1.';
const depthMultiplierParam: ParamSpec = {
  kind: 'int',
  name: 'depthMultiplier',
  label: 'Depth multiplier',
  default: 1,
  min: 1,
  max: 1024,
  help: 'How many filters each input channel gets on its own.',
  advanced: true,
};

const allOnes = (value: unknown) => value === undefined || value === null || value === 1 || (Array.isArray(value) && value.every((d) => d === 1));

/**
 * Refuses a Keras setting TensorFlow.js has no counterpart for, so an import fails with the
 * reason instead of quietly building a different model.
 */
function refuse(config: KerasConfig, key: string, isDefault: (value: unknown) => boolean, why: string): void {
  if (!isDefault(config[key])) throw new Error(`${key} ${JSON.stringify(config[key])} is not supported: ${why}`);
}

/** Keras and tfjs convolve with either strides or dilation above 1, not both. */
function stridesAndDilation(type: string, strides: readonly number[], dilation: readonly number[]): ShapeResult | null {
  if (strides.some((s) => s > 1) && dilation.some((d) => d > 1)) {
    return {
      ok: false,
      code: 'INVALID_PARAM',
      message: `${type} cannot use strides above 1 (${strides.join(',')}) together with a dilation rate above 1 (${dilation.join(',')}): set one of them back to 1.`,
      fix: { kind: 'set-param', param: 'dilationRate', value: dilation.map(() => 1), label: 'Set dilation rate to 1' },
    };
  }
  return null;
}

/** Output of a bank of `filters` windows with strides and dilation: Conv1D, Conv2D, SeparableConv2D. */
function filterBankShape(type: string, spatial: 1 | 2, shape: Shape, p: Params): ShapeResult {
  const input = spatialInput(type, shape, spatial);
  if (!input.ok) return input.result;
  const strides = p.strides as number[];
  const dilation = p.dilationRate as number[];
  const clash = stridesAndDilation(type, strides, dilation);
  if (clash) return clash;
  const out = windowSizes(type, 'kernel', shape, input.sizes, p.kernelSize as number[], strides, p.padding as string, dilation);
  if (!out.ok) return out.result;
  return { ok: true, shape: [null, ...out.out, p.filters as number] };
}

/** One kernel per (input channel, filter) pair, plus a bias per filter: Conv1D, Conv2D, Conv2DTranspose. */
function kernelParams(inputs: readonly Shape[], p: Params): ParamCount {
  const channels = inputs[0]!.at(-1) ?? 0;
  const filters = p.filters as number;
  return { trainable: product(p.kernelSize as number[]) * channels * filters + (p.useBias ? filters : 0), nonTrainable: 0 };
}

function convolution<const T extends 'Conv1D' | 'Conv2D'>(type: T, spatial: 1 | 2, summary: string) {
  return defineLayer({
    type,
    kerasClass: type,
    category: 'Convolution',
    summary,
    params: [
      filtersParam,
      ints(spatial, 'kernelSize', 'Kernel size', 3, spatial === 1 ? 'How many steps each filter looks at.' : 'Height and width of the window each filter looks at, e.g. 3,3.'),
      ints(spatial, 'strides', 'Strides', 1, 'How far the window moves each time; 2 halves the output size.'),
      paddingParam,
      activationParam,
      ints(spatial, 'dilationRate', 'Dilation rate', 1, dilationHelp, true),
      useBiasParam,
    ],
    inputs: { min: 1, max: 1 },
    outputShape: (inputs, p) => filterBankShape(type, spatial, inputs[0]!, p),
    paramCount: kernelParams,
    fromKeras(config) {
      refuse(config, 'groups', allOnes, `TensorFlow.js's ${type} has no grouped convolution`);
      return {};
    },
  });
}

export const conv1d = convolution(
  'Conv1D',
  1,
  'Slides small learned filters along a sequence (audio, sensor readings, text embeddings) to detect local patterns wherever they occur.',
);

export const conv2d = convolution(
  'Conv2D',
  2,
  'Slides small learned filters over an image to detect edges, textures and shapes wherever they appear. The core of every CNN.',
);

export const conv2dTranspose = defineLayer({
  type: 'Conv2DTranspose',
  kerasClass: 'Conv2DTranspose',
  category: 'Convolution',
  summary: 'A convolution run backwards: it makes images larger (with strides 2, twice the size). Used in decoders and GAN generators.',
  params: [
    filtersParam,
    ints(2, 'kernelSize', 'Kernel size', 3, 'Height and width of each filter, e.g. 3,3.'),
    ints(2, 'strides', 'Strides', 1, 'How much larger the output is than the input, per side; 2 doubles height and width.'),
    paddingParam,
    activationParam,
    useBiasParam,
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, p) {
    const shape = inputs[0]!;
    const input = spatialInput('Conv2DTranspose', shape, 2);
    if (!input.ok) return input.result;
    const kernel = p.kernelSize as number[];
    const strides = p.strides as number[];
    const out = input.sizes.map((size, i) => deconvLength(size, strides[i]!, kernel[i]!, p.padding as string));
    return { ok: true, shape: [null, ...out, p.filters as number] };
  },
  paramCount: kernelParams,
  fromKeras(config) {
    refuse(config, 'dilation_rate', allOnes, "TensorFlow.js's Conv2DTranspose has no dilation");
    refuse(config, 'output_padding', (v) => v === undefined || v === null, "TensorFlow.js's Conv2DTranspose has no output padding");
    return {};
  },
});

export const depthwiseConv2d = defineLayer({
  type: 'DepthwiseConv2D',
  kerasClass: 'DepthwiseConv2D',
  category: 'Convolution',
  summary: 'Filters each input channel on its own, without mixing channels: a cheap convolution used in mobile networks such as MobileNet.',
  params: [
    ints(2, 'kernelSize', 'Kernel size', 3, 'Height and width of the window, e.g. 3,3.'),
    ints(2, 'strides', 'Strides', 1, 'How far the window moves each time; 2 halves the output size.'),
    paddingParam,
    depthMultiplierParam,
    activationParam,
    useBiasParam,
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, p) {
    const shape = inputs[0]!;
    const input = spatialInput('DepthwiseConv2D', shape, 2);
    if (!input.ok) return input.result;
    const out = windowSizes('DepthwiseConv2D', 'kernel', shape, input.sizes, p.kernelSize as number[], p.strides as number[], p.padding as string);
    if (!out.ok) return out.result;
    return { ok: true, shape: [null, ...out.out, input.channels * (p.depthMultiplier as number)] };
  },
  paramCount(inputs, p) {
    const outChannels = (inputs[0]!.at(-1) ?? 0) * (p.depthMultiplier as number);
    return { trainable: product(p.kernelSize as number[]) * outChannels + (p.useBias ? outChannels : 0), nonTrainable: 0 };
  },
  fromKeras(config) {
    refuse(config, 'dilation_rate', allOnes, "TensorFlow.js's DepthwiseConv2D has no dilation");
    return {};
  },
});

export const separableConv2d = defineLayer({
  type: 'SeparableConv2D',
  kerasClass: 'SeparableConv2D',
  category: 'Convolution',
  summary: 'A depthwise convolution followed by a 1×1 convolution that mixes channels: nearly what Conv2D does, with far fewer parameters.',
  params: [
    filtersParam,
    ints(2, 'kernelSize', 'Kernel size', 3, 'Height and width of the window, e.g. 3,3.'),
    ints(2, 'strides', 'Strides', 1, 'How far the window moves each time; 2 halves the output size.'),
    paddingParam,
    depthMultiplierParam,
    activationParam,
    ints(2, 'dilationRate', 'Dilation rate', 1, dilationHelp, true),
    useBiasParam,
  ],
  inputs: { min: 1, max: 1 },
  outputShape: (inputs, p) => filterBankShape('SeparableConv2D', 2, inputs[0]!, p),
  paramCount(inputs, p) {
    const channels = inputs[0]!.at(-1) ?? 0;
    const depth = channels * (p.depthMultiplier as number);
    const filters = p.filters as number;
    return { trainable: product(p.kernelSize as number[]) * depth + depth * filters + (p.useBias ? filters : 0), nonTrainable: 0 };
  },
});

export const CONVOLUTION_SPECS = [conv1d, conv2d, conv2dTranspose, depthwiseConv2d, separableConv2d] as const;

