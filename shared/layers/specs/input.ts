import { defineLayer, noParams } from '../types.js';

export const input = defineLayer({
  type: 'Input',
  kerasClass: 'InputLayer',
  category: 'Input',
  summary:
    'Where data enters the network. Its shape is the size of one example, e.g. 28 × 28 × 1 for a small grayscale image.',
  params: [
    {
      kind: 'shape',
      name: 'shape',
      label: 'Shape',
      default: [28, 28, 1],
      help: 'Size of one example, without the batch dimension, e.g. 28,28,1.',
    },
  ],
  inputs: { min: 0, max: 0 },
  outputShape: (_inputs, params) => ({ ok: true, shape: [null, ...(params.shape as number[])] }),
  paramCount: noParams,
});
