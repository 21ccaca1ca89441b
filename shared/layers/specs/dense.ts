import { ACTIVATIONS } from '../activations.js';
import { defineLayer } from '../types.js';
import { formatShape } from '../../graph/types.js';

export const dense = defineLayer({
  type: 'Dense',
  kerasClass: 'Dense',
  category: 'Core',
  summary:
    'A fully connected layer: every output is a weighted sum of all inputs plus a bias. The workhorse of most networks.',
  params: [
    { kind: 'int', name: 'units', label: 'Units', default: 64, min: 1, max: 1_000_000, help: 'Number of outputs.' },
    {
      kind: 'enum',
      name: 'activation',
      label: 'Activation',
      default: 'linear',
      options: ACTIVATIONS,
      help: 'Function applied to each output; relu for hidden layers, softmax for class probabilities.',
    },
    { kind: 'bool', name: 'useBias', label: 'Use bias', default: true, help: 'Add a learned offset to each output.' },
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, params) {
    const inShape = inputs[0]!;
    if (inShape.length < 2) {
      return { ok: false, code: 'SHAPE_MISMATCH', message: `Dense needs at least (batch, features) but gets ${formatShape(inShape)}.` };
    }
    // Keras applies Dense to the last axis of any rank; from images (rank 4+) that is nearly always a mistake.
    if (inShape.length > 3) {
      return {
        ok: false,
        code: 'NEEDS_FLAT_INPUT',
        message: `Dense needs a flat input (batch, features) but gets ${formatShape(inShape)}: insert Flatten.`,
        fix: { kind: 'insert-before', layerType: 'Flatten', label: 'Insert Flatten' },
      };
    }
    const last = inShape[inShape.length - 1];
    if (last === null) {
      return { ok: false, code: 'UNKNOWN_DIMENSION', message: `Dense needs a known number of input features but gets ${formatShape(inShape)}.` };
    }
    return { ok: true, shape: [...inShape.slice(0, -1), params.units as number] };
  },
  paramCount(inputs, params) {
    const inShape = inputs[0]!;
    const features = inShape[inShape.length - 1] ?? 0;
    const units = params.units as number;
    return { trainable: features * units + (params.useBias ? units : 0), nonTrainable: 0 };
  },
});
