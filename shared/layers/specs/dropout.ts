import { defineLayer, noParams } from '../types.js';

export const dropout = defineLayer({
  type: 'Dropout',
  kerasClass: 'Dropout',
  category: 'Regularization',
  summary:
    'During training, randomly sets a fraction of values to 0 so the network cannot rely on any single one; it helps against overfitting. Does nothing at prediction time.',
  params: [
    {
      kind: 'float',
      name: 'rate',
      label: 'Rate',
      default: 0.2,
      min: 0,
      max: 1,
      maxExclusive: true,
      help: 'Fraction of values dropped during training, from 0 up to (not including) 1.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShape: (inputs) => ({ ok: true, shape: inputs[0]! }),
  paramCount: noParams,
});
