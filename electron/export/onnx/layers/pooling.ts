import { channelsFirst, channelsLast, padsFor } from './convolution.js';
import { inner, type LayerEmitter } from '../layer.js';

/**
 * Max pooling ignores the padding, as TensorFlow's does; average pooling divides by the
 * values inside the input only (count_include_pad 0), as tfjs's "same" average does at the border.
 */
function pooling(op: 'MaxPool' | 'AveragePool'): LayerEmitter {
  return {
    emit: (c) => {
      const rank = c.inputShapes[0]!.length;
      const sizes = inner(c.inputShapes[0]!).slice(0, -1);
      const kernel = c.params.poolSize as number[];
      const strides = (c.params.strides as number[] | null) ?? kernel;
      const x = channelsFirst(c.b, c.inputs[0]!, rank);
      const y = c.b.op1(op, [x], {
        kernel_shape: kernel,
        strides,
        pads: padsFor(c.params.padding as string, sizes, kernel, strides),
        ...(op === 'AveragePool' ? { count_include_pad: 0 } : {}),
      });
      return [channelsLast(c.b, y, rank)];
    },
  };
}

/** Over every position at once: a reduction over the spatial axes, channels last as they are. */
function global(op: 'ReduceMax' | 'ReduceMean', spatial: number): LayerEmitter {
  return { emit: (c) => [c.b.op1(op, [c.inputs[0]!], { axes: Array.from({ length: spatial }, (_, i) => i + 1), keepdims: 0 })] };
}

export const POOLING_EMITTERS: Record<string, LayerEmitter> = {
  MaxPooling1D: pooling('MaxPool'),
  MaxPooling2D: pooling('MaxPool'),
  AveragePooling1D: pooling('AveragePool'),
  AveragePooling2D: pooling('AveragePool'),
  GlobalMaxPooling1D: global('ReduceMax', 1),
  GlobalMaxPooling2D: global('ReduceMax', 2),
  GlobalAveragePooling1D: global('ReduceMean', 1),
  GlobalAveragePooling2D: global('ReduceMean', 2),
};
