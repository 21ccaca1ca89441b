import * as tf from '@tensorflow/tfjs';
import type { LayerBuilder } from './types.js';
import type { Shape } from '../../../shared/graph/types.js';
import { reshape as reshapeSpec, type RESHAPING_SPECS } from '../../../shared/layers/specs/reshaping.js';

const pairs = (sides: number[]): [[number, number], [number, number]] => [
  [sides[0]!, sides[1]!],
  [sides[2]!, sides[3]!],
];

/**
 * tfjs-layers' Reshape reports a -1 size as unknown while building a model (it sees the
 * unknown batch and gives up), though it works it out when it runs; Keras works it out at
 * once. Layers after it need the size, so this Reshape answers with the registry's shape rule.
 */
function reshape(targetShape: number[], name: string): tf.layers.Layer {
  // tfjs turns the -1 into null in the array it is given: hand it a copy.
  const layer = tf.layers.reshape({ name, targetShape: [...targetShape] });
  const tfjsRule = layer.computeOutputShape.bind(layer);
  layer.computeOutputShape = (inputShape) => {
    const result = reshapeSpec.outputShape([inputShape as Shape], { targetShape });
    return result.ok ? [...result.shape] : tfjsRule(inputShape);
  };
  return layer;
}

/**
 * tfjs 4.22's CPU kernel for the gradient of a bilinear resize labels its result (batch,
 * width, height, channels) though it lays the values out as (batch, height, width, channels),
 * so training fails on images that are not square. The values are right: label them back.
 */
function upSampling2d(size: number[], interpolation: 'nearest' | 'bilinear', name: string): tf.layers.Layer {
  const layer = tf.layers.upSampling2d({ name, size, interpolation });
  if (interpolation === 'nearest') return layer;
  layer.call = (inputs) =>
    tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      const resize = tf.customGrad((images, save) => {
        (save as tf.GradSaveFunc)([images as tf.Tensor4D]);
        return {
          value: tf.image.resizeBilinear(images as tf.Tensor4D, [x.shape[1] * size[0]!, x.shape[2] * size[1]!]),
          gradFunc: (dy, [saved]) => tf.reshape(tf.engine().runKernel<tf.Tensor>('ResizeBilinearGrad', { images: saved!, dy }, { alignCorners: false }), x.shape),
        };
      });
      return resize(x);
    });
  return layer;
}

export const RESHAPING_BUILDERS: Record<(typeof RESHAPING_SPECS)[number]['type'], LayerBuilder> = {
  Reshape: (p, name) => reshape(p.targetShape as number[], name),
  Permute: (p, name) => tf.layers.permute({ name, dims: p.dims as number[] }),
  RepeatVector: (p, name) => tf.layers.repeatVector({ name, n: p.n as number }),
  UpSampling2D: (p, name) => upSampling2d(p.size as number[], p.interpolation as 'nearest' | 'bilinear', name),
  ZeroPadding2D: (p, name) => tf.layers.zeroPadding2d({ name, padding: pairs(p.padding as number[]) }),
  Cropping2D: (p, name) => tf.layers.cropping2D({ name, cropping: pairs(p.cropping as number[]) }),
};
