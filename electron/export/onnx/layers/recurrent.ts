import { recurrentActivations, recurrentOpsTake } from '../activations.js';
import { unrollRecurrent } from './unrolled.js';
import { constant, optionalWeight, weight, type LayerCall, type LayerEmitter } from '../layer.js';
import { permute } from '../../tensors.js';
import type { Params } from '../../../../shared/graph/types.js';

/*
 * SimpleRNN, LSTM and GRU as ONNX's RNN, LSTM and GRU ops, steps first (T, batch, features),
 * or step by step (unrolled.ts) where an activation is one those ops do not take.
 * tfjs stores one kernel (features, gates·units), one recurrent kernel and one bias with the
 * gates side by side; ONNX wants (1, gates·units, features) with its own gate order.
 */

interface Cell {
  op: 'RNN' | 'LSTM' | 'GRU';
  /** For each ONNX gate, the index of the tfjs gate: LSTM is i, f, c, o in tfjs and i, o, f, c in ONNX. */
  gates: number[];
  /** Activations in ONNX's order: gates, then the candidate, then (LSTM) the output. */
  activations(p: Params): string[];
}

const CELLS: Record<string, Cell> = {
  SimpleRNN: { op: 'RNN', gates: [0], activations: (p) => [p.activation as string] },
  LSTM: { op: 'LSTM', gates: [0, 3, 1, 2], activations: (p) => [p.recurrentActivation as string, p.activation as string, p.activation as string] },
  // z, r, h in both.
  GRU: { op: 'GRU', gates: [0, 1, 2], activations: (p) => [p.recurrentActivation as string, p.activation as string] },
};

/** (rows, gates·units) in tfjs's gate order → (1, gates·units, rows) in ONNX's. */
function gateMatrix(values: Float32Array, rows: number, units: number, gates: number[]): { values: Float32Array; dims: number[] } {
  const transposed = permute(values, [rows, gates.length * units], [1, 0]).values;
  const out = new Float32Array(transposed.length);
  gates.forEach((source, g) => out.set(transposed.subarray(source * units * rows, (source + 1) * units * rows), g * units * rows));
  return { values: out, dims: [1, gates.length * units, rows] };
}

export interface RecurrentResult {
  /** (batch, steps, units), in the order the steps were read. */
  sequence: string;
  /** (batch, units): the output after the last step read. */
  last: string;
  /** (batch, units) each: h, and c for LSTM. */
  states: string[];
}

/**
 * One direction of a recurrent layer over `x` (batch, steps, features). Going backwards
 * reverses the steps first, so the outputs come in the order tfjs gives them: the order read.
 */
export function runRecurrent(c: LayerCall, x: string, goBackwards: boolean): RecurrentResult {
  const { b } = c;
  const cell = CELLS[c.type]!;
  if (!cell.activations(c.params).every(recurrentOpsTake)) return unrollRecurrent(c, x, goBackwards);
  const units = c.params.units as number;
  const kernel = weight(c, 'kernel');
  const recurrent = weight(c, 'recurrent_kernel');
  const features = kernel.shape[0]!;
  const w = gateMatrix(kernel.values, features, units, cell.gates);
  const r = gateMatrix(recurrent.values, units, units, cell.gates);
  const inputs = [constant(c, kernel, w.dims, w.values), constant(c, recurrent, r.dims, r.values)];
  const bias = optionalWeight(c, 'bias');
  if (bias) {
    // ONNX adds an input bias and a recurrent bias; tfjs has only the first.
    const ordered = new Float32Array(2 * cell.gates.length * units);
    cell.gates.forEach((source, g) => ordered.set(bias.values.subarray(source * units, (source + 1) * units), g * units));
    inputs.push(constant(c, bias, [1, ordered.length], ordered));
  }
  let steps = b.transpose(x, [1, 0, 2]);
  if (goBackwards) steps = b.reverse(steps, 0);
  const { activations, alpha, beta } = recurrentActivations(cell.activations(c.params));
  const outputs = b.op(cell.op, [steps, ...inputs], {
    hidden_size: units,
    direction: 'forward',
    activations,
    ...(alpha.length > 0 ? { activation_alpha: { floats: alpha } } : {}),
    ...(beta.length > 0 ? { activation_beta: { floats: beta } } : {}),
    // tfjs's GRU applies the reset gate to the state before the recurrent kernel.
    ...(cell.op === 'GRU' ? { linear_before_reset: 0 } : {}),
  }, cell.op === 'LSTM' ? 3 : 2);
  const sequence = b.transpose(b.squeeze(outputs[0]!, [1]), [1, 0, 2]);
  const states = outputs.slice(1).map((s) => b.squeeze(s, [0]));
  return { sequence, last: states[0]!, states };
}

function recurrent(): LayerEmitter {
  return {
    emit: (c) => {
      const result = runRecurrent(c, c.inputs[0]!, c.params.goBackwards as boolean);
      const output = c.params.returnSequences ? result.sequence : result.last;
      return c.params.returnState ? [output, ...result.states] : [output];
    },
  };
}

export const RECURRENT_EMITTERS: Record<string, LayerEmitter> = {
  SimpleRNN: recurrent(),
  LSTM: recurrent(),
  GRU: recurrent(),
};
