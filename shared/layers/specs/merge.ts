import { defineLayer, noParams, type ShapeResult } from '../types.js';
import { formatShape, type Shape } from '../../graph/types.js';

function listInputs(inputs: readonly Shape[]): string {
  return inputs.map((s, i) => `input ${i + 1} is ${formatShape(s)}`).join(', ');
}

/**
 * The shape value-by-value merges give, without the batch, as tfjs-layers and Keras 2
 * compute it: shapes line up from the last axis; a size of 1 stretches to the other size;
 * a shorter shape gains leading axes. Unknown sizes stay unknown. Null when they clash.
 */
export function broadcastShapes(a: Shape, b: Shape): Shape | null {
  if (a.length < b.length) return broadcastShapes(b, a);
  const out: (number | null)[] = a.slice(0, a.length - b.length);
  for (let k = 0; k < b.length; k++) {
    const i = a[a.length - b.length + k] ?? null;
    const j = b[k] ?? null;
    if (i === null || j === null) out.push(null);
    else if (i === 1) out.push(j);
    else if (j === 1) out.push(i);
    else if (i === j) out.push(i);
    else return null;
  }
  return out;
}

function elementwiseShape(type: string, inputs: readonly Shape[], stretches: boolean): ShapeResult {
  if (!stretches) {
    const first = JSON.stringify(inputs[0]!.slice(1));
    if (inputs.some((s) => JSON.stringify(s.slice(1)) !== first)) {
      return {
        ok: false,
        code: 'MERGE_MISMATCH',
        message: `${type} compares its inputs value by value, so they need exactly the same shape (TensorFlow.js cannot train it when sizes differ), but ${listInputs(inputs)}.`,
      };
    }
  }
  let out: Shape | null = inputs[0]!.slice(1);
  for (const shape of inputs.slice(1)) {
    out = broadcastShapes(out, shape.slice(1));
    if (out === null) {
      return {
        ok: false,
        code: 'MERGE_MISMATCH',
        message: `${type} combines its inputs value by value, so their shapes must match (a size of 1 stretches to fit), but ${listInputs(inputs)}: make the sizes match, or use Concatenate to join them side by side.`,
      };
    }
  }
  return { ok: true, shape: [null, ...out] };
}


/**
 * A value-by-value merge. Without `stretches`, the inputs need identical shapes: tfjs 4.22
 * computes Maximum and Minimum for stretched sizes but fails to train them.
 */
function elementwise<const T extends string>(type: T, summary: string, options: { maxInputs?: number; stretches?: boolean } = {}) {
  const stretches = options.stretches ?? true;
  return defineLayer({
    type,
    kerasClass: type,
    category: 'Merge',
    summary,
    params: [],
    inputs: { min: 2, max: options.maxInputs ?? Infinity },
    outputShape: (inputs) => elementwiseShape(type, inputs, stretches),
    paramCount: noParams,
  });
}

export const add = elementwise('Add', 'Adds its inputs value by value, e.g. to make a skip connection around a block of layers. The inputs need the same shape.');
export const subtract = elementwise(
  'Subtract',
  'Subtracts its second input from its first, value by value. It takes exactly two inputs of the same shape.',
  { maxInputs: 2 },
);
export const multiply = elementwise('Multiply', 'Multiplies its inputs value by value, e.g. to let one branch scale or gate another. The inputs need the same shape.');
export const average = elementwise('Average', 'Averages its inputs value by value, e.g. to combine the predictions of several branches. The inputs need the same shape.');
export const maximum = elementwise('Maximum', 'Keeps the largest of its inputs at each position. The inputs need the same shape.', { stretches: false });
export const minimum = elementwise('Minimum', 'Keeps the smallest of its inputs at each position. The inputs need the same shape.', { stretches: false });

export const concatenate = defineLayer({
  type: 'Concatenate',
  kerasClass: 'Concatenate',
  category: 'Merge',
  summary:
    'Joins its inputs side by side along one axis, e.g. two feature vectors of 16 and 8 become one of 24. All other sizes must match.',
  params: [
    {
      kind: 'int',
      name: 'axis',
      label: 'Axis',
      default: -1,
      min: -16,
      max: 16,
      help: 'The axis to join along; -1 is the last one (the features or channels).',
    },
  ],
  inputs: { min: 2, max: Infinity },
  outputShape(inputs, params) {
    const first = inputs[0]!;
    const rank = first.length;
    if (inputs.some((s) => s.length !== rank)) {
      return {
        ok: false,
        code: 'MERGE_MISMATCH',
        message: `Concatenate needs inputs with the same number of dimensions, but ${listInputs(inputs)}: insert Flatten or Reshape on the one that differs.`,
      };
    }
    const axis = params.axis as number;
    const at = axis < 0 ? axis + rank : axis;
    if (at < 0 || at >= rank) {
      return {
        ok: false,
        code: 'INVALID_PARAM',
        message: `Concatenate's axis ${axis} does not exist in ${formatShape(first)}: use an axis from 1 to ${rank - 1}, or -1 for the last.`,
        fix: { kind: 'set-param', param: 'axis', value: -1, label: 'Join along the last axis' },
      };
    }
    if (at === 0) {
      return {
        ok: false,
        code: 'INVALID_PARAM',
        message: `Concatenate's axis ${axis} is the batch; joining examples into one batch is not a layer's job: use -1 to join features.`,
        fix: { kind: 'set-param', param: 'axis', value: -1, label: 'Join along the last axis' },
      };
    }
    const others = (s: Shape) => s.filter((_, i) => i !== at);
    const reference = JSON.stringify(others(first));
    if (inputs.some((s) => JSON.stringify(others(s)) !== reference)) {
      return {
        ok: false,
        code: 'MERGE_MISMATCH',
        message: `Concatenate joins along axis ${axis}, so every other size must match, but ${listInputs(inputs)}.`,
      };
    }
    const sizes = inputs.map((s) => s[at] ?? null);
    const joined = sizes.includes(null) ? null : (sizes as number[]).reduce((a, b) => a + b, 0);
    return { ok: true, shape: first.map((d, i) => (i === at ? joined : d)) };
  },
  paramCount: noParams,
});

export const MERGE_SPECS = [add, subtract, multiply, average, maximum, minimum, concatenate] as const;
