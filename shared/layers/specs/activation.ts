import { ACTIVATIONS } from '../activations.js';
import { defineLayer, noParams } from '../types.js';

export const activation = defineLayer({
  type: 'Activation',
  kerasClass: 'Activation',
  category: 'Core',
  summary: 'Applies a function to every value on its own, such as relu (negatives become 0) or softmax (values become probabilities).',
  params: [
    { kind: 'enum', name: 'activation', label: 'Function', default: 'relu', options: ACTIVATIONS, help: 'The function to apply.' },
  ],
  inputs: { min: 1, max: 1 },
  outputShape: (inputs) => ({ ok: true, shape: inputs[0]! }),
  paramCount: noParams,
});
