import type { GraphBuilder } from './builder.js';

/**
 * Every activation NetCanvas offers, as ONNX ops computing what tfjs-layers 4.22 computes:
 * gelu with erf (not the tanh estimate), swish as x·sigmoid(x), softmax over the last axis,
 * hard_sigmoid as clip(0.2x + 0.5, 0, 1).
 */
const ACTIVATION_OPS: Record<string, (b: GraphBuilder, x: string) => string> = {
  linear: (_b, x) => x,
  relu: (b, x) => b.op1('Relu', [x]),
  relu6: (b, x) => b.op1('Clip', [x, b.scalar(0, 'zero'), b.scalar(6, 'six')]),
  gelu: (b, x) => {
    const cdf = b.mul(b.add(b.op1('Erf', [b.op1('Div', [x, b.scalar(Math.SQRT2, 'sqrt2')])]), b.scalar(1, 'one')), b.scalar(0.5, 'half'));
    return b.mul(x, cdf);
  },
  sigmoid: (b, x) => b.op1('Sigmoid', [x]),
  hard_sigmoid: (b, x) => b.op1('HardSigmoid', [x], { alpha: { float: 0.2 }, beta: { float: 0.5 } }),
  tanh: (b, x) => b.op1('Tanh', [x]),
  softmax: (b, x) => b.op1('Softmax', [x], { axis: -1 }),
  elu: (b, x) => b.op1('Elu', [x], { alpha: { float: 1 } }),
  selu: (b, x) => b.op1('Selu', [x]),
  swish: (b, x) => b.mul(x, b.op1('Sigmoid', [x])),
  softplus: (b, x) => b.op1('Softplus', [x]),
  softsign: (b, x) => b.op1('Softsign', [x]),
};

export function activationProblem(name: string): string | null {
  return name in ACTIVATION_OPS ? null : `its activation "${name}" has no ONNX counterpart in NetCanvas's export yet`;
}

export function activate(b: GraphBuilder, x: string, name: string): string {
  const op = ACTIVATION_OPS[name];
  if (!op) throw new Error(`ONNX export has no activation "${name}".`);
  return op(b, x);
}

/**
 * The activations ONNX's RNN, LSTM and GRU ops take, by NetCanvas name, with the alpha and
 * beta each consumes (listed only where an op has no default that matches tfjs).
 */
const RECURRENT_FUNCTIONS: Record<string, { name: string; alpha?: number; beta?: number }> = {
  linear: { name: 'Affine', alpha: 1, beta: 0 },
  relu: { name: 'Relu' },
  sigmoid: { name: 'Sigmoid' },
  hard_sigmoid: { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 },
  tanh: { name: 'Tanh' },
  elu: { name: 'Elu', alpha: 1 },
  softplus: { name: 'Softplus' },
  softsign: { name: 'Softsign' },
};

/** Whether ONNX's RNN, LSTM and GRU ops take an activation. */
export function recurrentOpsTake(name: string): boolean {
  return name in RECURRENT_FUNCTIONS;
}

/**
 * The activations, activation_alpha and activation_beta attributes of a recurrent op.
 * Alphas and betas are consumed in order by the functions that take them, as onnxruntime
 * reads them; each function that takes one is given its value, so none falls to a default.
 */
export function recurrentActivations(names: readonly string[]): { activations: string[]; alpha: number[]; beta: number[] } {
  const fns = names.map((n) => RECURRENT_FUNCTIONS[n]!);
  const alpha: number[] = [];
  const beta: number[] = [];
  for (const f of fns) {
    if (f.name === 'Affine' || f.name === 'HardSigmoid') {
      alpha.push(f.alpha!);
      beta.push(f.beta!);
    } else if (f.name === 'Elu') {
      alpha.push(f.alpha!);
    }
  }
  return { activations: fns.map((f) => f.name), alpha, beta };
}
