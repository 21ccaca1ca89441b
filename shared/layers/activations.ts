export const ACTIVATIONS = [
  'linear',
  'relu',
  'gelu',
  'sigmoid',
  'tanh',
  'softmax',
  'elu',
  'selu',
  'swish',
  'softplus',
] as const;

export type ActivationName = (typeof ACTIVATIONS)[number];
