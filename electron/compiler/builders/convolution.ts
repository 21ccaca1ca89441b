import * as tf from '@tensorflow/tfjs';
import { activation, type LayerBuilder } from './types.js';
import type { CONVOLUTION_SPECS } from '../../../shared/layers/specs/convolution.js';

type Padding = 'valid' | 'same';

export const CONVOLUTION_BUILDERS: Record<(typeof CONVOLUTION_SPECS)[number]['type'], LayerBuilder> = {
  Conv1D: (p, name) =>
    tf.layers.conv1d({
      name,
      filters: p.filters as number,
      kernelSize: p.kernelSize as number[],
      strides: p.strides as number[],
      padding: p.padding as Padding,
      dilationRate: p.dilationRate as [number],
      activation: activation(p.activation),
      useBias: p.useBias as boolean,
    }),
  Conv2D: (p, name) =>
    tf.layers.conv2d({
      name,
      filters: p.filters as number,
      kernelSize: p.kernelSize as number[],
      strides: p.strides as number[],
      padding: p.padding as Padding,
      dilationRate: p.dilationRate as [number, number],
      activation: activation(p.activation),
      useBias: p.useBias as boolean,
    }),
  Conv2DTranspose: (p, name) =>
    tf.layers.conv2dTranspose({
      name,
      filters: p.filters as number,
      kernelSize: p.kernelSize as number[],
      strides: p.strides as number[],
      padding: p.padding as Padding,
      activation: activation(p.activation),
      useBias: p.useBias as boolean,
    }),
  DepthwiseConv2D: (p, name) =>
    tf.layers.depthwiseConv2d({
      name,
      kernelSize: p.kernelSize as [number, number],
      strides: p.strides as number[],
      padding: p.padding as Padding,
      depthMultiplier: p.depthMultiplier as number,
      activation: activation(p.activation),
      useBias: p.useBias as boolean,
    }),
  SeparableConv2D: (p, name) =>
    tf.layers.separableConv2d({
      name,
      filters: p.filters as number,
      kernelSize: p.kernelSize as number[],
      strides: p.strides as number[],
      padding: p.padding as Padding,
      depthMultiplier: p.depthMultiplier as number,
      dilationRate: p.dilationRate as [number, number],
      activation: activation(p.activation),
      useBias: p.useBias as boolean,
    }),
};
