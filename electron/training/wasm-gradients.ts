/**
 * Gradient kernels that tfjs 4.22's WebAssembly backend lacks, built from kernels it has.
 * Without them, training a convolution, a depthwise or separable convolution, or an
 * embedding on wasm fails with "Kernel '…' not registered for backend 'wasm'".
 *
 * Each kernel runs ordinary tf ops, which dispatch to wasm's own kernels (XNNPACK's fast
 * Conv2D and DepthwiseConv2dNative above all), and returns a tensor that outlives its tidy.
 */
import * as tf from '@tensorflow/tfjs';
import type {
  Conv2DBackpropFilterAttrs,
  DepthwiseConv2dNativeBackpropFilterAttrs,
  DepthwiseConv2dNativeBackpropInputAttrs,
  KernelConfig,
  KernelFunc,
  MaxPoolGradAttrs,
  NamedAttrMap,
  TensorInfo,
  UnsortedSegmentSumAttrs,
} from '@tensorflow/tfjs';

type Pair = [number, number];
type Shape4 = [number, number, number, number];
type Pad = Conv2DBackpropFilterAttrs['pad'];

/**
 * Kernels receive the op's tensors; a bare TensorInfo is wrapped with its own reference, so
 * disposing the wrapper leaves the caller's data alive.
 */
function asTensor<R extends tf.Rank>(info: TensorInfo | undefined, name: string): tf.Tensor<R> {
  if (!info) throw new Error(`missing input ${name}`);
  if (info instanceof tf.Tensor) return info as tf.Tensor<R>;
  const engine = tf.engine();
  engine.backend.incRef(info.dataId);
  return engine.makeTensorFromTensorInfo(info) as tf.Tensor<R>;
}

/** The window geometry tfjs itself computes, so every padding mode and rounding means what it means on cpu. */
function convInfo(inShape: Shape4, filterShape: Shape4, strides: Pair | number, dilations: Pair | number, pad: Pad, rounding: Conv2DBackpropFilterAttrs['dimRoundingMode'], depthwise: boolean) {
  return tf.backend_util.computeConv2DInfo(inShape, filterShape, strides, dilations, pad, rounding, depthwise, 'channelsLast');
}

/**
 * Pads (positive amounts) or crops (negative amounts) the two spatial axes of an NHWC tensor
 * around a stride-1 window. Padding is left to the convolution itself, as explicit padding;
 * only crops cost a slice.
 */
function fitSpatial(t: tf.Tensor4D, rows: Pair, cols: Pair): { t: tf.Tensor4D; pad: tf.backend_util.ExplicitPadding } {
  const [h, w] = [t.shape[1], t.shape[2]];
  const begin = [0, Math.max(-rows[0], 0), Math.max(-cols[0], 0), 0];
  const size = [-1, h - begin[1]! - Math.max(-rows[1], 0), w - begin[2]! - Math.max(-cols[1], 0), -1];
  const cropped = size[1] === h && size[2] === w ? t : tf.slice(t, begin, size);
  const pad = (n: number) => Math.max(n, 0);
  return { t: cropped, pad: [[0, 0], [pad(rows[0]), pad(rows[1])], [pad(cols[0]), pad(cols[1])], [0, 0]] };
}

/**
 * Padding of the input's rows or columns that makes a window sweep exactly `taps` positions
 * `dilation` apart, each summing `outSize` inputs `stride` apart: the geometry of a filter gradient.
 */
function filterGradPads(inSize: number, before: number, taps: number, dilation: number, outSize: number, stride: number): Pair {
  return [before, (taps - 1) * dilation + (outSize - 1) * stride + 1 - inSize - before];
}

function rejectChannelsFirst(kernel: string, attrs: NamedAttrMap): void {
  const format = attrs.dataFormat;
  if (format !== undefined && format !== 'NHWC' && format !== 'channelsLast') {
    throw new Error(`${kernel} on the wasm backend supports only channels-last (NHWC) data, not ${String(format)}.`);
  }
}

/**
 * dW[kh,kw,i,o] = Σ over batch and output positions of x·dy: a convolution of x with batch and
 * channels swapped (Ci, H, W, B) by dy as the filter (OH, OW, B, Co), stride and dilation swapped.
 */
const conv2DBackpropFilter: KernelFunc = ({ inputs, attrs = {} }) => {
  rejectChannelsFirst('Conv2DBackpropFilter', attrs);
  const { strides, pad, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  return tf.tidy(() => {
    const x = asTensor<tf.Rank.R4>(inputs.x, 'x');
    const dy = asTensor<tf.Rank.R4>(inputs.dy, 'dy');
    const info = convInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode, false);
    const [outH, outW] = [dy.shape[1], dy.shape[2]];
    const rows = filterGradPads(info.inHeight, info.padInfo.top, info.filterHeight, 1, outH, info.strideHeight);
    const cols = filterGradPads(info.inWidth, info.padInfo.left, info.filterWidth, 1, outW, info.strideWidth);
    const fit = fitSpatial(x, rows, cols);
    const input = tf.transpose(fit.t, [3, 1, 2, 0]);
    const filter = tf.transpose(dy, [1, 2, 0, 3]);
    const grad = tf.conv2d(input, filter, 1, fit.pad, 'NHWC', [info.strideHeight, info.strideWidth]);
    return tf.transpose(grad, [1, 2, 0, 3]);
  });
};

/**
 * Per channel, the same correlation as above: with each (channel, example) pair as its own
 * channel of one image, it is a depthwise convolution by dy, summed over the examples after.
 */
const depthwiseBackpropFilter: KernelFunc = ({ inputs, attrs = {} }) => {
  rejectChannelsFirst('DepthwiseConv2dNativeBackpropFilter', attrs);
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  return tf.tidy(() => {
    const x = asTensor<tf.Rank.R4>(inputs.x, 'x');
    const dy = asTensor<tf.Rank.R4>(inputs.dy, 'dy');
    const info = convInfo(x.shape, filterShape, strides, dilations ?? 1, pad, dimRoundingMode, true);
    const [batch, , , channels] = x.shape;
    const [taps, multiplier] = [filterShape[0] * filterShape[1], filterShape[3]];
    const [outH, outW] = [dy.shape[1], dy.shape[2]];
    const rows = filterGradPads(info.inHeight, info.padInfo.top, info.filterHeight, info.dilationHeight, outH, info.strideHeight);
    const cols = filterGradPads(info.inWidth, info.padInfo.left, info.filterWidth, info.dilationWidth, outW, info.strideWidth);
    const fit = fitSpatial(x, rows, cols);
    const image = tf.reshape<tf.Rank.R4>(tf.transpose(fit.t, [1, 2, 3, 0]), [1, fit.t.shape[1], fit.t.shape[2], channels * batch]);
    const byChannel = tf.transpose(tf.reshape(dy, [batch, outH, outW, channels, multiplier]), [1, 2, 3, 0, 4]);
    const filter = tf.reshape<tf.Rank.R4>(byChannel, [outH, outW, channels * batch, multiplier]);
    const grad = tf.depthwiseConv2d(image, filter, [info.dilationHeight, info.dilationWidth], fit.pad, 'NHWC', [info.strideHeight, info.strideWidth]);
    const perExample = tf.reshape(grad, [taps, channels, batch, multiplier]);
    return tf.reshape(batch === 1 ? perExample : tf.sum(perExample, 2), filterShape);
  });
};

/**
 * dx is dy spread out by the strides (zeros between its pixels) under a depthwise
 * convolution with the filter flipped, then summed over each channel's multiplier outputs.
 */
const depthwiseBackpropInput: KernelFunc = ({ inputs, attrs = {} }) => {
  rejectChannelsFirst('DepthwiseConv2dNativeBackpropInput', attrs);
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  return tf.tidy(() => {
    const dy = asTensor<tf.Rank.R4>(inputs.dy, 'dy');
    const filter = asTensor<tf.Rank.R4>(inputs.filter, 'filter');
    const info = convInfo(inputShape, filter.shape, strides, dilations ?? 1, pad, dimRoundingMode, true);
    const [batch, height, width, channels] = inputShape;
    const [filterH, filterW, , multiplier] = filter.shape;
    const [outH, outW, depth] = [dy.shape[1], dy.shape[2], dy.shape[3]];
    const [strideH, strideW] = [info.strideHeight, info.strideWidth];
    // Zeros after each pixel: (OH·sH, OW·sW), the last sH − 1 rows and sW − 1 columns of them spare.
    const spread =
      strideH === 1 && strideW === 1
        ? dy
        : tf.reshape<tf.Rank.R4>(
            tf.pad(tf.reshape(dy, [batch, outH, 1, outW, 1, depth]), [[0, 0], [0, 0], [0, strideH - 1], [0, 0], [0, strideW - 1], [0, 0]]),
            [batch, outH * strideH, outW * strideW, depth],
          );
    const spanH = (filterH - 1) * info.dilationHeight;
    const spanW = (filterW - 1) * info.dilationWidth;
    const top = spanH - info.padInfo.top;
    const left = spanW - info.padInfo.left;
    const fit = fitSpatial(spread, [top, height + spanH - top - spread.shape[1]], [left, width + spanW - left - spread.shape[2]]);
    const flipped = tf.reshape<tf.Rank.R4>(tf.reverse(filter, [0, 1]), [filterH, filterW, depth, 1]);
    const dx = tf.depthwiseConv2d(fit.t, flipped, 1, fit.pad, 'NHWC', [info.dilationHeight, info.dilationWidth]);
    return multiplier === 1 ? dx : tf.sum(tf.reshape(dx, [batch, height, width, channels, multiplier]), 4);
  });
};

/**
 * The gradient of a gather (Embedding): rows of x added into their segments by ScatterNd,
 * which accumulates. Ids outside [0, numSegments) are dropped, as on cpu.
 */
const unsortedSegmentSum: KernelFunc = ({ inputs, attrs = {} }) => {
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  return tf.tidy(() => {
    const x = asTensor(inputs.x, 'x');
    const segmentIds = asTensor(inputs.segmentIds, 'segmentIds');
    const count = segmentIds.size;
    const inner = x.shape.slice(segmentIds.rank);
    const ids = tf.reshape(segmentIds, [count, 1]);
    const valid = tf.logicalAnd(tf.greaterEqual(ids, 0), tf.less(ids, numSegments));
    const kept = tf.mul(tf.reshape(x, [count, ...inner]), tf.reshape(tf.cast(valid, x.dtype), [count, ...inner.map(() => 1)]));
    return tf.scatterND(tf.where(valid, ids, tf.zerosLike(ids)), kept, [numSegments, ...inner]);
  });
};

/**
 * Adds `values` into a zero tensor of `shape` at flat `indices` (int32, same size), clamped
 * into range so that no index can write outside it.
 */
function scatterFlat(indices: tf.Tensor, values: tf.Tensor, shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const safe = tf.minimum(tf.maximum(tf.reshape(indices, [indices.size, 1]), tf.scalar(0, 'int32')), tf.scalar(size - 1, 'int32'));
  return tf.reshape(tf.scatterND(safe, tf.reshape(values, [values.size]), [size]), shape);
}

/** The lowest float32: padding that is never a window's maximum, and that times 0 stays 0. */
const LOWEST = -3.4028234663852886e38;

/**
 * Each window's gradient goes to its first maximum in reading order, as on cpu. A depthwise
 * convolution by one-hot filters lays each window's taps side by side, exactly (x·1 + 0·…);
 * argMax picks the first largest; ScatterNd adds dy there.
 */
const maxPoolGrad: KernelFunc = ({ inputs, attrs = {} }) => {
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  return tf.tidy(() => {
    const dy = asTensor<tf.Rank.R4>(inputs.dy, 'dy');
    const x = asTensor<tf.Rank.R4>(inputs.input, 'input');
    const info = tf.backend_util.computePool2DInfo(x.shape, filterSize, strides, 1, pad, dimRoundingMode);
    const [batch, height, width, channels] = x.shape;
    const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
    const { top, bottom, left, right } = info.padInfo;
    const taps = filterHeight * filterWidth;
    const padded = top || bottom || left || right ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], LOWEST) : x;
    const oneHot = new Float32Array(taps * channels * taps);
    for (let tap = 0; tap < taps; tap++) for (let c = 0; c < channels; c++) oneHot[(tap * channels + c) * taps + tap] = 1;
    const filter = tf.tensor4d(oneHot, [filterHeight, filterWidth, channels, taps]);
    const windows = tf.depthwiseConv2d(padded, filter, [strideHeight, strideWidth], 'valid');
    const first = tf.argMax(tf.reshape(windows, [batch, outHeight, outWidth, channels, taps]), -1);
    // Flat index of each window's top-left corner, plus the chosen tap's offset from it.
    const corners = new Int32Array(batch * outHeight * outWidth * channels);
    let i = 0;
    for (let b = 0; b < batch; b++)
      for (let r = 0; r < outHeight; r++)
        for (let c = 0; c < outWidth; c++) {
          const corner = ((b * height + r * strideHeight - top) * width + c * strideWidth - left) * channels;
          for (let ch = 0; ch < channels; ch++) corners[i++] = corner + ch;
        }
    // Tap k = row·KW + col lies (row·W + col)·C = (k + row·(W − KW))·C after the corner.
    const int = (n: number) => tf.scalar(n, 'int32');
    const rows = tf.floorDiv(first, int(filterWidth));
    const offsets = tf.mul(tf.add(first, tf.mul(rows, int(width - filterWidth))), int(channels));
    const indices = tf.add(tf.tensor(corners, first.shape, 'int32'), offsets);
    return scatterFlat(indices, dy, x.shape);
  });
};

/** Kernels wasm lacks. */
const MISSING: ReadonlyArray<Pick<KernelConfig, 'kernelName' | 'kernelFunc'>> = [
  { kernelName: tf.Conv2DBackpropFilter, kernelFunc: conv2DBackpropFilter },
  { kernelName: tf.DepthwiseConv2dNativeBackpropFilter, kernelFunc: depthwiseBackpropFilter },
  { kernelName: tf.DepthwiseConv2dNativeBackpropInput, kernelFunc: depthwiseBackpropInput },
  { kernelName: tf.UnsortedSegmentSum, kernelFunc: unsortedSegmentSum },
];

/** Kernels wasm has but gets wrong: its MaxPoolGrad, unless the windows tile the input exactly. */
const WRONG: ReadonlyArray<Pick<KernelConfig, 'kernelName' | 'kernelFunc'>> = [
  { kernelName: tf.MaxPoolGrad, kernelFunc: maxPoolGrad },
];

/** Names of the kernels this module provides for wasm, in place of none or of a wrong one. */
export const WASM_GRADIENT_KERNELS: readonly string[] = [...MISSING, ...WRONG].map((k) => k.kernelName);

/** Forward convolutions whose "same" padding wasm gets wrong, and whether each is depthwise. */
const SAME_PADDING_KERNELS: ReadonlyArray<[string, boolean]> = [
  [tf.Conv2D, false],
  [tf.FusedConv2D, false],
  [tf.DepthwiseConv2dNative, true],
  [tf.FusedDepthwiseConv2D, true],
];
const explicitSameFuncs = new WeakSet<KernelFunc>();

/**
 * XNNPACK's own "same" padding returns zeros when a stride exceeds the kernel (Conv2D of
 * 2×2 windows at stride 3, for instance): the wasm kernel is given tfjs's padding explicitly.
 */
function padSameExplicitly(kernelName: string, depthwise: boolean): void {
  const original = tf.getKernel(kernelName, 'wasm');
  if (!original || explicitSameFuncs.has(original.kernelFunc)) return;
  const kernelFunc: KernelFunc = (args) => {
    const attrs = args.attrs ?? {};
    const { x, filter } = args.inputs;
    const channelsLast = attrs.dataFormat === undefined || attrs.dataFormat === 'NHWC';
    if (attrs.pad !== 'same' || !channelsLast || !x || !filter) return original.kernelFunc(args);
    const { strides, dilations } = attrs as unknown as { strides: Pair | number; dilations?: Pair | number };
    const { top, bottom, left, right } = convInfo(x.shape as Shape4, filter.shape as Shape4, strides, dilations ?? 1, 'same', undefined, depthwise).padInfo;
    const pad: tf.backend_util.ExplicitPadding = [[0, 0], [top, bottom], [left, right], [0, 0]];
    return original.kernelFunc({ ...args, attrs: { ...attrs, pad } });
  };
  explicitSameFuncs.add(kernelFunc);
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ ...original, kernelFunc });
}

/**
 * Registers, for the wasm backend, the kernels above it lacks, replaces those it gets wrong,
 * and mends the "same" padding of its forward convolutions. Idempotent.
 */
export function registerWasmGradientKernels(): void {
  for (const { kernelName, kernelFunc } of MISSING) {
    if (!tf.getKernel(kernelName, 'wasm')) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
  for (const { kernelName, kernelFunc } of WRONG) {
    const current = tf.getKernel(kernelName, 'wasm');
    if (current?.kernelFunc === kernelFunc) continue;
    if (current) tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
  for (const [kernelName, depthwise] of SAME_PADDING_KERNELS) padSameExplicitly(kernelName, depthwise);
}
