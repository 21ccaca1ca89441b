export const ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
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
