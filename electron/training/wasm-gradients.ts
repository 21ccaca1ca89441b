/**
 * What tfjs 4.22's WebAssembly backend needs to train every NetCanvas layer, and to train it
 * right and fast:
 * - gradient kernels it lacks (Conv2DBackpropFilter, the depthwise ones, UnsortedSegmentSum),
 *   without which a convolution or an embedding fails with "Kernel '…' not registered";
 * - one it gets wrong (MaxPoolGrad, for most windows that do not tile the input exactly);
 * - wrappers for its forward convolutions' "same" padding (zeros when a stride exceeds the
 *   window), for its Conv2DBackpropInput, a plain loop 3–10× slower than XNNPACK, and for its
 *   BatchMatMul, which leaves every transposed product (backpropagation's) to a plain loop.
 * Each kernel runs ordinary tf ops, which dispatch to wasm's own kernels (XNNPACK's Conv2D and
 * DepthwiseConv2dNative above all), and returns a tensor that outlives its tidy.
 */
import * as tf from '@tensorflow/tfjs';
import type {
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  DepthwiseConv2dNativeBackpropFilterAttrs,
  DepthwiseConv2dNativeBackpropInputAttrs,
  KernelConfig,
  KernelFunc,
  MaxPoolGradAttrs,
  NamedAttrMap,
  TensorInfo,
  UnsortedSegmentSumAttrs,
} from '@tensorflow/tfjs';
import { product } from '../../shared/graph/types.js';

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
  const size = product(shape);
  const safe = tf.minimum(tf.maximum(tf.reshape(indices, [indices.size, 1]), tf.scalar(0, 'int32')), tf.scalar(size - 1, 'int32'));
  return tf.reshape(tf.scatterND(safe, tf.reshape(values, [values.size]), [size]), shape);
}

/** The lowest float32: padding that is never a window's maximum, and that times 0 stays 0. */
const LOWEST = -3.4028234663852886e38;

/** Pads the spatial axes of an NHWC tensor with `value` (positive amounts) or crops them (negative). */
function padOrCrop(t: tf.Tensor4D, rows: Pair, cols: Pair, value = 0): tf.Tensor4D {
  const fit = fitSpatial(t, rows, cols);
  const [, [top, bottom], [left, right]] = fit.pad;
  return top || bottom || left || right ? tf.pad(fit.t, fit.pad, value) : fit.t;
}

type PoolInfo = ReturnType<typeof tf.backend_util.computePool2DInfo>;

/**
 * Windows that tile the input (strides equal to the window) are regrouped with two transposes
 * of rank 4 and 3, which wasm does fast, so that argMax picks each one's first maximum and
 * dy goes back the same way.
 */
function tiledMaxPoolGrad(x: tf.Tensor4D, dy: tf.Tensor4D, info: PoolInfo): tf.Tensor4D {
  const [batch, height, width, channels] = x.shape;
  const { outHeight, outWidth, filterHeight: kh, filterWidth: kw } = info;
  const { top, left } = info.padInfo;
  const rows: Pair = [top, outHeight * kh - height - top];
  const cols: Pair = [left, outWidth * kw - width - left];
  const tiles = tf.reshape(padOrCrop(x, rows, cols, LOWEST), [batch * outHeight, kh, outWidth, kw * channels]);
  const windows = tf.reshape(tf.transpose(tiles, [0, 2, 1, 3]), [batch * outHeight * outWidth, kh * kw, channels]);
  const perWindow = tf.reshape(dy, [batch * outHeight * outWidth, channels, 1]);
  const grads = kh * kw === 1 ? perWindow : tf.mul(tf.oneHot(tf.argMax(tf.transpose(windows, [0, 2, 1]), -1), kh * kw), perWindow);
  const back = tf.reshape(tf.transpose(grads, [0, 2, 1]), [batch * outHeight, outWidth, kh, kw * channels]);
  const dx = tf.reshape<tf.Rank.R4>(tf.transpose(back, [0, 2, 1, 3]), [batch, outHeight * kh, outWidth * kw, channels]);
  return padOrCrop(dx, [-rows[0], -rows[1]], [-cols[0], -cols[1]]);
}

/**
 * Any other windows: a depthwise convolution by one-hot filters lays each window's taps side
 * by side, exactly (x·1 + 0·…); argMax picks the first largest; ScatterNd adds dy there.
 */
function scatteredMaxPoolGrad(x: tf.Tensor4D, dy: tf.Tensor4D, info: PoolInfo): tf.Tensor {
  const [batch, height, width, channels] = x.shape;
  const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, bottom, left, right } = info.padInfo;
  const taps = filterHeight * filterWidth;
  const oneHot = new Float32Array(taps * channels * taps);
  for (let tap = 0; tap < taps; tap++) for (let c = 0; c < channels; c++) oneHot[(tap * channels + c) * taps + tap] = 1;
  const filter = tf.tensor4d(oneHot, [filterHeight, filterWidth, channels, taps]);
  const padded = padOrCrop(x, [top, bottom], [left, right], LOWEST);
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
  return scatterFlat(tf.add(tf.tensor(corners, first.shape, 'int32'), offsets), dy, x.shape);
}

/** Each window's gradient goes to its first maximum in reading order, as on cpu. */
const maxPoolGrad: KernelFunc = ({ inputs, attrs = {} }) => {
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  return tf.tidy(() => {
    const dy = asTensor<tf.Rank.R4>(inputs.dy, 'dy');
    const x = asTensor<tf.Rank.R4>(inputs.input, 'input');
    const info = tf.backend_util.computePool2DInfo(x.shape, filterSize, strides, 1, pad, dimRoundingMode);
    const tiled = info.strideHeight === info.filterHeight && info.strideWidth === info.filterWidth;
    return tiled ? tiledMaxPoolGrad(x, dy, info) : scatteredMaxPoolGrad(x, dy, info);
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

/**
 * dx of a convolution (and the forward pass of a transposed one) as sH·sW stride-1
 * convolutions on XNNPACK, one per phase of the input's rows and columns modulo the strides,
 * each with the filter taps that land on that phase, then interleaved.
 */
export function conv2DBackpropInputByPhases(dy: tf.Tensor4D, filter: tf.Tensor4D, inputShape: Shape4, strides: Pair | number, pad: Pad, rounding?: Conv2DBackpropFilterAttrs['dimRoundingMode']): tf.Tensor4D {
  const info = convInfo(inputShape, filter.shape, strides, 1, pad, rounding, false);
  const [batch, height, width, inChannels] = inputShape;
  const [filterH, filterW] = filter.shape;
  const [strideH, strideW] = [info.strideHeight, info.strideWidth];
  const [rows, cols] = [Math.ceil(height / strideH), Math.ceil(width / strideW)];
  // Input row u·sH + q reads dy rows u + c − t through filter rows p + sH·t, where p + sH·c = q + top.
  const phase = (q: number, before: number, stride: number, taps: number, outSize: number, size: number) => {
    const [p, c] = [(q + before) % stride, Math.floor((q + before) / stride)];
    const count = Math.ceil((taps - p) / stride);
    const pads: Pair = [count - 1 - c, size - outSize + c];
    // No taps, or none of them on dy: this phase of dx is zero.
    return { p, count, pads, none: count <= 0 || outSize + Math.min(pads[0], 0) + Math.min(pads[1], 0) <= 0 };
  };
  return tf.tidy(() => {
    const phases = Array.from({ length: strideH * strideW }, (_, i) => {
      const r = phase(Math.floor(i / strideW), info.padInfo.top, strideH, filterH, dy.shape[1], rows);
      const c = phase(i % strideW, info.padInfo.left, strideW, filterW, dy.shape[2], cols);
      if (r.none || c.none) return tf.zeros([batch, rows, cols, inChannels]);
      // This phase's filter taps, last first (a convolution flips them); gathers are cheap where wasm's strided slices are not.
      const taps = (p: number, count: number, stride: number) => tf.tensor1d(Int32Array.from({ length: count }, (_, t) => p + stride * (count - 1 - t)), 'int32');
      const flipped = tf.transpose(tf.gather(tf.gather(filter, taps(r.p, r.count, strideH), 0), taps(c.p, c.count, strideW), 1), [0, 1, 3, 2]) as tf.Tensor4D;
      const fit = fitSpatial(dy, r.pads, c.pads);
      return tf.conv2d(fit.t, flipped, 1, fit.pad);
    });
    let dx = phases[0] as tf.Tensor4D;
    if (phases.length > 1) {
      // [sH, sW, B·U·V, C] → [sH, B·U·V, sW, C] → [B·U, sH, V·sW·C]: transposes of rank 3 and 4, which wasm does fast (5 and 6 it does not).
      const byColumn = tf.transpose(tf.reshape(tf.stack(phases), [strideH, strideW, batch * rows * cols, inChannels]), [0, 2, 1, 3]);
      const byRow = tf.transpose(tf.reshape(byColumn, [strideH, batch * rows, cols * strideW * inChannels]), [1, 0, 2]);
      dx = tf.reshape(byRow, [batch, rows * strideH, cols * strideW, inChannels]);
    }
    return dx.shape[1] === height && dx.shape[2] === width ? dx : tf.slice(dx, 0, inputShape);
  });
}

/** Multiply-adds per phase below which wasm's own loop beats a dozen XNNPACK ops per phase. */
const PHASED_FROM = 1e6;

const wrappedFuncs = new WeakSet<KernelFunc>();

/** Puts `wrap(original)` in place of wasm's kernel `kernelName`, once. */
function wrapWasmKernel(kernelName: string, wrap: (original: KernelFunc) => KernelFunc): void {
  const original = tf.getKernel(kernelName, 'wasm');
  if (!original || wrappedFuncs.has(original.kernelFunc)) return;
  const kernelFunc = wrap(original.kernelFunc);
  wrappedFuncs.add(kernelFunc);
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ ...original, kernelFunc });
}

const channelsLast = (attrs: NamedAttrMap) => attrs.dataFormat === undefined || attrs.dataFormat === 'NHWC';

/** wasm's Conv2DBackpropInput is a plain loop, 3–10× slower than XNNPACK on all but small shapes. */
const phasedBackpropInput = (original: KernelFunc): KernelFunc => (args) => {
  const attrs = args.attrs ?? {};
  const { dy, filter } = args.inputs;
  if (!dy || !filter || !channelsLast(attrs)) return original(args);
  const { inputShape, strides, pad, dimRoundingMode } = attrs as unknown as Conv2DBackpropInputAttrs;
  const [filterH, filterW, inChannels, outChannels] = filter.shape as Shape4;
  const info = convInfo(inputShape, filter.shape as Shape4, strides, 1, pad, dimRoundingMode, false);
  const phases = info.strideHeight * info.strideWidth;
  const work = (inputShape[0] * inputShape[1] * inputShape[2] * inChannels * outChannels * filterH * filterW) / phases;
  if (work < PHASED_FROM * phases) return original(args);
  return tf.tidy(() => conv2DBackpropInputByPhases(asTensor(dy, 'dy'), asTensor(filter, 'filter'), inputShape, strides, pad, dimRoundingMode));
};

/**
 * XNNPACK's own "same" padding returns zeros when a stride exceeds the kernel (Conv2D of
 * 2×2 windows at stride 3, for instance): the wasm kernel is given tfjs's padding explicitly.
 */
const explicitSame =
  (depthwise: boolean) =>
  (original: KernelFunc): KernelFunc =>
  (args) => {
    const attrs = args.attrs ?? {};
    const { x, filter } = args.inputs;
    if (attrs.pad !== 'same' || !channelsLast(attrs) || !x || !filter) return original(args);
    const { strides, dilations } = attrs as unknown as { strides: Pair | number; dilations?: Pair | number };
    const { top, bottom, left, right } = convInfo(x.shape as Shape4, filter.shape as Shape4, strides, dilations ?? 1, 'same', undefined, depthwise).padInfo;
    const explicit: tf.backend_util.ExplicitPadding = [[0, 0], [top, bottom], [left, right], [0, 0]];
    return original({ ...args, attrs: { ...attrs, pad: explicit } });
  };

/**
 * wasm's BatchMatMul hands a product to XNNPACK only when neither side is transposed and
 * neither has a batch: backpropagation's products (x^T·dy, dy·W^T) ran in a plain loop, 10×
 * slower. Here a transposed side is transposed first (one cheap copy) and a batch of rows
 * against one matrix is folded into the rows, so XNNPACK does the product.
 */
const xnnpackMatMul = (original: KernelFunc): KernelFunc => (args) => {
  const { a, b } = args.inputs;
  if (!a || !b || a.shape.length < 2 || b.shape.length < 2) return original(args);
  const { transposeA, transposeB } = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
  const batchA = product(a.shape.slice(0, -2));
  const batchB = product(b.shape.slice(0, -2));
  const plain = !transposeA && !transposeB;
  if (batchB !== 1 || (plain && batchA === 1) || (transposeA && batchA !== 1)) return original(args);
  const [rowsA, colsA] = a.shape.slice(-2) as Pair;
  const [rowsB, colsB] = b.shape.slice(-2) as Pair;
  const m = transposeA ? colsA : rowsA;
  const n = transposeB ? rowsB : colsB;
  const batch = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return tf.tidy(() => {
    const matrix = (info: TensorInfo, name: string, rows: number, cols: number, transpose: boolean | undefined) => {
      const flat = tf.reshape(asTensor(info, name), [rows, cols]);
      return transpose ? tf.transpose(flat) : flat;
    };
    // A batch of rows against one matrix: (batch·m, k) × (k, n); a transposed side has no batch.
    const left = matrix(a, 'a', batchA * rowsA, colsA, transposeA);
    const right = matrix(b, 'b', rowsB, colsB, transposeB);
    return tf.reshape(tf.matMul(left, right), [...batch, m, n]);
  });
};

/** wasm kernels kept but wrapped: for speed, or for "same" padding it gets wrong. */
const WRAPPED: ReadonlyArray<[string, (original: KernelFunc) => KernelFunc]> = [
  [tf.Conv2DBackpropInput, phasedBackpropInput],
  [tf.BatchMatMul, xnnpackMatMul],
  [tf.Conv2D, explicitSame(false)],
  [tf.FusedConv2D, explicitSame(false)],
  [tf.DepthwiseConv2dNative, explicitSame(true)],
  [tf.FusedDepthwiseConv2D, explicitSame(true)],
];

/**
 * Registers, for the wasm backend, the kernels above it lacks, replaces those it gets wrong,
 * and wraps its slow Conv2DBackpropInput and its forward convolutions' "same" padding. Idempotent.
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
  for (const [kernelName, wrap] of WRAPPED) wrapWasmKernel(kernelName, wrap);
}

/**
 * Replaces the cpu backend's UnsortedSegmentSum (an Embedding's gradient), which builds one
 * mask over every example per segment: for a 10,000-word vocabulary a single batch took a
 * minute and gigabytes. The scatter above does the same sum in one pass. Idempotent.
 */
export function registerCpuKernelFixes(): void {
  const current = tf.getKernel(tf.UnsortedSegmentSum, 'cpu');
  if (current?.kernelFunc === unsortedSegmentSum) return;
  if (current) tf.unregisterKernel(tf.UnsortedSegmentSum, 'cpu');
  tf.registerKernel({ kernelName: tf.UnsortedSegmentSum, backendName: 'cpu', kernelFunc: unsortedSegmentSum });
}
