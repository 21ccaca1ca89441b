import * as tf from '@tensorflow/tfjs';
import { activation, type LayerBuilder } from './types.js';
import type { Params } from '../../../shared/graph/types.js';
import type { CONVOLUTION_SPECS } from '../../../shared/layers/specs/convolution.js';

type Padding = 'valid' | 'same';

/** Puts rate − 1 zeros between a kernel's taps along each of its first `rates.length` (spatial) axes. */
function spreadKernel(kernel: tf.Tensor, rates: readonly number[]): tf.Tensor {
  return rates.reduce((k, rate, axis) => {
    if (rate === 1) return k;
    const before = k.shape.slice(0, axis);
    const after = k.shape.slice(axis + 1);
    const taps = k.shape[axis]!;
    // Each tap followed by rate − 1 zeros, laid end to end, then the zeros after the last tap dropped.
    const padding = k.shape.map((): [number, number] => [0, 0]);
    padding.splice(axis + 1, 0, [0, rate - 1]);
    const spaced = tf.pad(tf.expandDims(k, axis + 1), padding).reshape([...before, taps * rate, ...after]);
    return tf.slice(spaced, k.shape.map(() => 0), [...before, (taps - 1) * rate + 1, ...after]);
  }, kernel);
}

/**
 * tfjs 4.22 runs a dilated convolution forwards but has no gradient for one, so training
 * fails. The same convolution with the kernel spread out by zeros and a dilation of 1 trains;
 * the layer keeps its own weights, shapes and config, only its computation is replaced.
 */
function trainableDilation(layer: tf.layers.Layer, p: Params, name: string, separable: boolean): tf.layers.Layer {
  const rates = p.dilationRate as number[];
  if (rates.every((r) => r === 1)) return layer;
  const padding = p.padding as Padding;
  const activate = tf.layers.activation({ name: `${name}_activation`, activation: activation(p.activation) });
  layer.call = (inputs) =>
    tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      // Weights in the order the layer adds them: kernel(s), then bias.
      const weights = layer.weights.map((w) => w.read());
      let y: tf.Tensor;
      if (separable) {
        const depthwise = spreadKernel(weights.shift()!, rates) as tf.Tensor4D;
        y = tf.conv2d(tf.depthwiseConv2d(x as tf.Tensor4D, depthwise, 1, padding), weights.shift() as tf.Tensor4D, 1, 'valid');
      } else if (rates.length === 1) {
        y = tf.conv1d(x as tf.Tensor3D, spreadKernel(weights.shift()!, rates) as tf.Tensor3D, 1, padding);
      } else {
        y = tf.conv2d(x as tf.Tensor4D, spreadKernel(weights.shift()!, rates) as tf.Tensor4D, 1, padding);
      }
      const bias = weights.shift();
      return activate.apply(bias ? tf.add(y, bias) : y) as tf.Tensor;
    });
  return layer;
}

/** The settings every convolution shares: window, strides, padding, activation, bias. */
function windowArgs(p: Params, name: string) {
  return {
    name,
    kernelSize: p.kernelSize as number[],
    strides: p.strides as number[],
    padding: p.padding as Padding,
    activation: activation(p.activation),
    useBias: p.useBias as boolean,
  };
}

export const CONVOLUTION_BUILDERS: Record<(typeof CONVOLUTION_SPECS)[number]['type'], LayerBuilder> = {
  Conv1D: (p, name) =>
    trainableDilation(tf.layers.conv1d({ ...windowArgs(p, name), filters: p.filters as number, dilationRate: p.dilationRate as [number] }), p, name, false),
  Conv2D: (p, name) =>
    trainableDilation(tf.layers.conv2d({ ...windowArgs(p, name), filters: p.filters as number, dilationRate: p.dilationRate as [number, number] }), p, name, false),
  Conv2DTranspose: (p, name) => tf.layers.conv2dTranspose({ ...windowArgs(p, name), filters: p.filters as number }),
  DepthwiseConv2D: (p, name) =>
    tf.layers.depthwiseConv2d({ ...windowArgs(p, name), kernelSize: p.kernelSize as [number, number], depthMultiplier: p.depthMultiplier as number }),
  SeparableConv2D: (p, name) =>
    trainableDilation(
      tf.layers.separableConv2d({
        ...windowArgs(p, name),
        filters: p.filters as number,
        depthMultiplier: p.depthMultiplier as number,
        dilationRate: p.dilationRate as [number, number],
      }),
      p,
      name,
      true,
    ),
};
