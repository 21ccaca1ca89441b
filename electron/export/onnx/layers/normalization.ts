import type { GraphBuilder } from '../builder.js';
import { constant, inner, optionalWeight, weight, type LayerCall, type LayerEmitter } from '../layer.js';

/** Sizes that broadcast a per-feature vector along `axis` of a value of `rank` (batch included). */
function along(rank: number, axis: number, size: number): number[] {
  return [size, ...Array<number>(rank - 1 - axis).fill(1)];
}

/**
 * At inference BatchNormalization is (x − mean) / sqrt(variance + ε) · γ + β with the
 * moving statistics, written as tfjs computes it, on whichever axis it normalizes.
 */
function batchNormalization(c: LayerCall): string {
  const { b } = c;
  const shape = c.inputShapes[0]!;
  const rank = shape.length;
  const axisParam = c.params.axis as number;
  const axis = axisParam < 0 ? axisParam + rank : axisParam;
  const size = shape[axis] as number;
  const dims = along(rank, axis, size);
  const mean = weight(c, 'moving_mean');
  const variance = weight(c, 'moving_variance');
  const epsilon = c.params.epsilon as number;
  const inverse = Float32Array.from(variance.values, (v) => 1 / Math.sqrt(v + epsilon));
  let y = b.mul(b.op1('Sub', [c.inputs[0]!, constant(c, mean, dims)]), b.floats('inverse_std', dims, inverse));
  const gamma = optionalWeight(c, 'gamma');
  if (gamma) y = b.mul(y, constant(c, gamma, dims));
  const beta = optionalWeight(c, 'beta');
  if (beta) y = b.add(y, constant(c, beta, dims));
  return y;
}

/** (x − mean) / sqrt(variance + ε) over `axes`, each kept: for axes that are not the last ones. */
function normalizeOver(b: GraphBuilder, x: string, axes: number[], epsilon: number): string {
  const mean = b.op1('ReduceMean', [x], { axes, keepdims: 1 });
  const centred = b.op1('Sub', [x, mean]);
  const variance = b.op1('ReduceMean', [b.mul(centred, centred)], { axes, keepdims: 1 });
  return b.op1('Div', [centred, b.op1('Sqrt', [b.add(variance, b.scalar(epsilon, 'epsilon'))])]);
}

/**
 * LayerNormalization: ONNX's own op (opset 17) when the axes are the last ones; otherwise
 * the same computation in reductions. γ and β keep tfjs's values, laid out along the axes.
 */
function layerNormalization(c: LayerCall): string {
  const { b } = c;
  const shape = c.inputShapes[0]!;
  const rank = shape.length;
  const axes = [...new Set((c.params.axis as number[]).map((a) => (a < 0 ? a + rank : a)))].sort((p, q) => p - q);
  const epsilon = c.params.epsilon as number;
  const sizes = inner(shape);
  const broadcast = sizes.map((d, i) => (axes.includes(i + 1) ? d : 1));
  const gamma = optionalWeight(c, 'gamma');
  const beta = optionalWeight(c, 'beta');
  const first = axes[0]!;
  const trailing = axes.every((a, i) => a === first + i) && axes.at(-1) === rank - 1;
  if (trailing) {
    const dims = sizes.slice(first - 1);
    const count = dims.reduce((p, q) => p * q, 1);
    const scale = gamma ? constant(c, gamma, dims) : b.floats('ones', dims, new Float32Array(count).fill(1));
    const bias = beta ? constant(c, beta, dims) : b.floats('zeros', dims, new Float32Array(count));
    return b.op1('LayerNormalization', [c.inputs[0]!, scale, bias], { axis: first, epsilon: { float: epsilon } });
  }
  let y = normalizeOver(b, c.inputs[0]!, axes, epsilon);
  if (gamma) y = b.mul(y, constant(c, gamma, broadcast));
  if (beta) y = b.add(y, constant(c, beta, broadcast));
  return y;
}

export const NORMALIZATION_EMITTERS: Record<string, LayerEmitter> = {
  BatchNormalization: { emit: (c) => [batchNormalization(c)] },
  LayerNormalization: { emit: (c) => [layerNormalization(c)] },
};
