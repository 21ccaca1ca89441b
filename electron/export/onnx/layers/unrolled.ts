import type { RecurrentResult } from './recurrent.js';
import { activate } from '../activations.js';
import { constant, inner, optionalWeight, weight, type LayerCall } from '../layer.js';

/** Columns [from, to) of a row-major (rows, columns) matrix. */
function columns(values: Float32Array, rows: number, cols: number, from: number, to: number): Float32Array {
  const out = new Float32Array(rows * (to - from));
  for (let r = 0; r < rows; r++) out.set(values.subarray(r * cols + from, r * cols + to), r * (to - from));
  return out;
}

/**
 * A recurrent layer step by step, exactly as tfjs's cells compute it, for activations ONNX's
 * RNN, LSTM and GRU ops do not take (gelu, softmax, selu, swish, relu6): one set of nodes per step.
 */
export function unrollRecurrent(c: LayerCall, x: string, goBackwards: boolean): RecurrentResult {
  const { b } = c;
  const units = c.params.units as number;
  const steps = inner(c.inputShapes[0]!)[0]!;
  const act = (v: string) => activate(b, v, c.params.activation as string);
  const gate = (v: string) => activate(b, v, c.params.recurrentActivation as string);
  const kernel = weight(c, 'kernel');
  const recurrent = weight(c, 'recurrent_kernel');
  const bias = optionalWeight(c, 'bias');
  let projected = b.matmul(x, constant(c, kernel));
  if (bias) projected = b.add(projected, constant(c, bias));
  const gates = kernel.shape[1]! / units;
  const step = (t: number) => b.squeeze(b.slice(projected, 1, t, t + 1), [1]);

  let h = b.zeros(x, [units]);
  let cell = c.type === 'LSTM' ? b.zeros(x, [units]) : '';
  const outputs: string[] = [];
  const order = Array.from({ length: steps }, (_, t) => (goBackwards ? steps - 1 - t : t));
  if (c.type === 'GRU') {
    const gatesKernel = constant(c, recurrent, [units, 2 * units], columns(recurrent.values, units, gates * units, 0, 2 * units));
    const candidateKernel = constant(c, recurrent, [units, units], columns(recurrent.values, units, gates * units, 2 * units, 3 * units));
    for (const t of order) {
      const [xz, xr, xh] = b.op('Split', [step(t)], { axis: -1 }, 3) as [string, string, string];
      const [rz, rr] = b.op('Split', [b.matmul(h, gatesKernel)], { axis: -1 }, 2) as [string, string];
      const z = gate(b.add(xz, rz));
      const r = gate(b.add(xr, rr));
      const candidate = act(b.add(xh, b.matmul(b.mul(r, h), candidateKernel)));
      h = b.add(b.mul(z, h), b.mul(b.op1('Sub', [b.scalar(1, 'one'), z]), candidate));
      outputs.push(h);
    }
  } else {
    const r = constant(c, recurrent);
    for (const t of order) {
      const z = b.add(step(t), b.matmul(h, r));
      if (c.type === 'LSTM') {
        const [zi, zf, zc, zo] = b.op('Split', [z], { axis: -1 }, 4) as [string, string, string, string];
        cell = b.add(b.mul(gate(zf), cell), b.mul(gate(zi), act(zc)));
        h = b.mul(gate(zo), act(cell));
      } else {
        h = act(z);
      }
      outputs.push(h);
    }
  }
  const sequence = outputs.length === 1 ? b.unsqueeze(outputs[0]!, [1]) : b.op1('Concat', outputs.map((o) => b.unsqueeze(o, [1])), { axis: 1 });
  return { sequence, last: h, states: c.type === 'LSTM' ? [h, cell] : [h] };
}
