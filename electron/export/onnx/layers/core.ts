import { activate, activationProblem } from '../activations.js';
import type { GraphBuilder } from '../builder.js';
import { constant, optionalWeight, weight, type LayerCall, type LayerEmitter } from '../layer.js';

const identity: LayerEmitter = { emit: (c) => [c.inputs[0]!] };

const byActivation: LayerEmitter['refuse'] = (p) => activationProblem(p.activation as string);

/** x·W + b on the last axis, then the activation: Dense. */
export function dense(c: LayerCall, x: string, activation: string): string {
  const kernel = weight(c, 'kernel');
  let y = c.b.matmul(x, constant(c, kernel));
  const bias = optionalWeight(c, 'bias');
  if (bias) y = c.b.add(y, constant(c, bias));
  return activate(c.b, y, activation);
}

/** Token ids as int64, whatever type they arrive in (tfjs truncates floats towards zero, as Cast does). */
export function tokenIds(b: GraphBuilder, x: string): string {
  return b.op1('Cast', [x], { to: 7 });
}

export const CORE_EMITTERS: Record<string, LayerEmitter> = {
  Dense: { refuse: byActivation, emit: (c) => [dense(c, c.inputs[0]!, c.params.activation as string)] },
  Activation: { refuse: byActivation, emit: (c) => [activate(c.b, c.inputs[0]!, c.params.activation as string)] },
  // Inference: dropout and noise do nothing.
  Dropout: identity,
  GaussianNoise: identity,
  Flatten: { emit: (c) => [c.b.op1('Flatten', [c.inputs[0]!], { axis: 1 })] },
  LeakyReLU: { emit: (c) => [c.b.op1('LeakyRelu', [c.inputs[0]!], { alpha: { float: c.params.alpha as number } })] },
  ReLU: {
    // As Keras's backend: x above the threshold (capped), minus slope · relu(threshold − x).
    emit: (c) => {
      const { b } = c;
      const x = c.inputs[0]!;
      const threshold = c.params.threshold as number;
      const maxValue = c.params.maxValue as number | null;
      const slope = c.params.negativeSlope as number;
      let positive = threshold === 0 ? b.op1('Relu', [x]) : b.mul(x, b.op1('Cast', [b.op1('Greater', [x, b.scalar(threshold, 'threshold')])], { to: 1 }));
      if (maxValue !== null) positive = b.op1('Clip', [positive, b.scalar(0, 'zero'), b.scalar(maxValue, 'max_value')]);
      if (slope === 0) return [positive];
      const below = b.op1('Relu', [b.op1('Sub', [b.scalar(threshold, 'threshold'), x])]);
      return [b.op1('Sub', [positive, b.mul(below, b.scalar(slope, 'negative_slope'))])];
    },
  },
  Embedding: {
    emit: (c) => [c.b.op1('Gather', [constant(c, weight(c, 'embeddings')), tokenIds(c.b, c.inputs[0]!)], { axis: 0 })],
  },
};
