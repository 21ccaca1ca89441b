import { convOutputLength } from '../../shared/layers/specs/convolution.js';

/**
 * What the PyTorch and ONNX writers both need of tfjs's tensors: weights laid out anew, and
 * TensorFlow's "same" padding spelled out.
 */

/** Values in row-major order with their axes reordered, as numpy's `transpose(perm)`: out axis i is axis perm[i]. */
export function permute(values: ArrayLike<number>, shape: readonly number[], perm: readonly number[]): { values: Float32Array; shape: number[] } {
  const outShape = perm.map((p) => shape[p]!);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(values.length);
  const index = new Array<number>(outShape.length).fill(0);
  for (let k = 0; k < out.length; k++) {
    let source = 0;
    for (let d = 0; d < perm.length; d++) source += index[d]! * strides[perm[d]!]!;
    out[k] = values[source]!;
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++index[d]! < outShape[d]!) break;
      index[d] = 0;
    }
  }
  return { values: out, shape: outShape };
}

/**
 * TensorFlow's padding of one spatial axis, [before, after]: none for "valid"; for "same",
 * enough for an output of ceil(size / stride), the odd one after.
 */
export function tfPadding(size: number, kernel: number, stride: number, dilation: number, padding: string): [number, number] {
  if (padding !== 'same') return [0, 0];
  const span = (kernel - 1) * dilation + 1;
  const out = convOutputLength(size, kernel, 'same', stride);
  const total = Math.max((out - 1) * stride + span - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}
