import { defineLayer } from '../types.js';
import { formatShape } from '../../graph/types.js';

export const embedding = defineLayer({
  type: 'Embedding',
  kerasClass: 'Embedding',
  category: 'Core',
  summary:
    'Turns whole-number token ids (e.g. word numbers) into learned vectors: a sequence of ids (batch, steps) becomes (batch, steps, output size). Usually the first layer for text.',
  params: [
    {
      kind: 'int',
      name: 'inputDim',
      label: 'Vocabulary size',
      default: 1000,
      min: 1,
      max: 10_000_000,
      help: 'How many different token ids there are; each id must be from 0 up to this number minus 1.',
    },
    { kind: 'int', name: 'outputDim', label: 'Output size', default: 32, min: 1, max: 100_000, help: 'Length of the vector learned for each token.' },
    {
      kind: 'bool',
      name: 'maskZero',
      label: 'Mask zero',
      default: false,
      advanced: true,
      help: 'Treat id 0 as padding that later recurrent layers skip; then the vocabulary size must count it.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, params) {
    const inShape = inputs[0]!;
    if (inShape.length < 2) {
      return { ok: false, code: 'WRONG_RANK', message: `Embedding needs token ids (batch, steps) but gets ${formatShape(inShape)}.` };
    }
    return { ok: true, shape: [...inShape, params.outputDim as number] };
  },
  paramCount: (_inputs, params) => ({ trainable: (params.inputDim as number) * (params.outputDim as number), nonTrainable: 0 }),
});

export const EMBEDDING_SPECS = [embedding] as const;
