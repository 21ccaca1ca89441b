import { defineLayer, noParams } from '../types.js';
import { formatShape, product } from '../../graph/types.js';

export const flatten = defineLayer({
  type: 'Flatten',
  kerasClass: 'Flatten',
  category: 'Reshaping',
  summary: 'Lays out all values of each example in one long row, e.g. a 28 × 28 image becomes 784 numbers, so Dense layers can use them.',
  params: [],
  inputs: { min: 1, max: 1 },
  outputShape(inputs) {
    const inShape = inputs[0]!;
    const rest = inShape.slice(1);
    if (rest.length === 0) {
      return { ok: false, code: 'SHAPE_MISMATCH', message: `Flatten needs at least one dimension besides the batch but gets ${formatShape(inShape)}.` };
    }
    if (rest.some((d) => d === null)) {
      return { ok: false, code: 'UNKNOWN_DIMENSION', message: `Flatten needs every dimension known but gets ${formatShape(inShape)}.` };
    }
    return { ok: true, shape: [null, product(rest as number[])] };
  },
  paramCount: noParams,
});
