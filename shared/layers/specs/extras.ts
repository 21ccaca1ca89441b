import { defineLayer, noParams } from '../types.js';

const same = (inputs: readonly (readonly (number | null)[])[]) => ({ ok: true as const, shape: inputs[0]! });

export const leakyRelu = defineLayer({
  type: 'LeakyReLU',
  kerasClass: 'LeakyReLU',
  category: 'Core',
  summary: 'Like relu, but negative values are scaled down instead of cut to zero, so no unit goes silent. Common in GAN discriminators.',
  params: [{ kind: 'float', name: 'alpha', label: 'Negative slope', default: 0.3, min: 0, help: 'What negative values are multiplied by, e.g. 0.2.' }],
  inputs: { min: 1, max: 1 },
  outputShape: same,
  paramCount: noParams,
  // Keras 3 calls the slope negative_slope.
  fromKeras: (config): Record<string, number> => (typeof config.negative_slope === 'number' ? { alpha: config.negative_slope } : {}),
});

export const gaussianNoise = defineLayer({
  type: 'GaussianNoise',
  kerasClass: 'GaussianNoise',
  category: 'Regularization',
  summary: 'While training, adds a little random noise to every value so the network cannot rely on exact inputs. Does nothing at test time.',
  params: [{ kind: 'float', name: 'stddev', label: 'Noise size', default: 0.1, min: 0, help: 'Standard deviation of the noise added.' }],
  inputs: { min: 1, max: 1 },
  outputShape: same,
  paramCount: noParams,
});

export const relu = defineLayer({
  type: 'ReLU',
  kerasClass: 'ReLU',
  category: 'Core',
  summary:
    'Relu with optional limits: values above a cap are cut to it (a cap of 6 is relu6, as in MobileNet), and values below a threshold are scaled by a slope instead of set to 0.',
  params: [
    {
      kind: 'float',
      name: 'maxValue',
      label: 'Cap',
      default: null,
      min: 0,
      nullable: true,
      nullLabel: 'none',
      help: 'Largest value let through, e.g. 6; leave empty for no cap.',
    },
    { kind: 'float', name: 'negativeSlope', label: 'Negative slope', default: 0, min: 0, advanced: true, help: 'What values below the threshold are multiplied by (after subtracting it); 0 cuts them to 0.' },
    { kind: 'float', name: 'threshold', label: 'Threshold', default: 0, min: 0, advanced: true, help: 'Values at or below it count as negative.' },
  ],
  inputs: { min: 1, max: 1 },
  outputShape: same,
  paramCount: noParams,
});

export const EXTRA_SPECS = [leakyRelu, relu, gaussianNoise] as const;
