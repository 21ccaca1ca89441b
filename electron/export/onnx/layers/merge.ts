import type { LayerCall, LayerEmitter } from '../layer.js';

/**
 * tfjs's merges give a shorter input new axes right after the batch before broadcasting
 * (ONNX would add them before it); a size of 1 then stretches as in ONNX.
 */
function lifted(c: LayerCall): string[] {
  const rank = Math.max(...c.inputShapes.map((s) => s.length));
  return c.inputs.map((x, i) => {
    const missing = rank - c.inputShapes[i]!.length;
    return missing === 0 ? x : c.b.unsqueeze(x, Array.from({ length: missing }, (_, k) => k + 1));
  });
}

const variadic = (op: string): LayerEmitter => ({ emit: (c) => [c.b.op1(op, lifted(c))] });

export const MERGE_EMITTERS: Record<string, LayerEmitter> = {
  Add: variadic('Sum'),
  Subtract: variadic('Sub'),
  Multiply: {
    emit: (c) => {
      const [first, ...rest] = lifted(c);
      return [rest.reduce((acc, x) => c.b.mul(acc, x), first!)];
    },
  },
  // tfjs adds, then multiplies by 1 / the number of inputs.
  Average: { emit: (c) => [c.b.mul(c.b.op1('Sum', lifted(c)), c.b.scalar(1 / c.inputs.length, 'reciprocal'))] },
  Maximum: variadic('Max'),
  Minimum: variadic('Min'),
  Concatenate: {
    emit: (c) => {
      const rank = c.inputShapes[0]!.length;
      const axis = c.params.axis as number;
      return [c.b.op1('Concat', [...c.inputs], { axis: axis < 0 ? axis + rank : axis })];
    },
  },
};
