import { spatialInput, windowSizes } from './convolution.js';
import { defineLayer, noParams, type ParamSpec } from '../types.js';
import { formatShape } from '../../graph/types.js';


function pooling<const T extends string>(type: T, spatial: 1 | 2, kind: 'max' | 'average') {
  const what = kind === 'max' ? 'keeps the largest value' : 'keeps the average';
  const params: ParamSpec[] = [
    {
      kind: 'ints',
      name: 'poolSize',
      label: 'Pool size',
      default: Array.from({ length: spatial }, () => 2),
      min: 1,
      max: 1024,
      length: spatial,
      help: spatial === 1 ? 'How many steps each window covers.' : 'Height and width of each window; 2,2 halves the image.',
    },
    {
      kind: 'ints',
      name: 'strides',
      label: 'Strides',
      default: null,
      nullable: true,
      nullLabel: 'same as pool size',
      min: 1,
      max: 1024,
      length: spatial,
      help: 'How far the window moves each time; empty means the same as the pool size, as in Keras.',
      advanced: true,
    },
    {
      kind: 'enum',
      name: 'padding',
      label: 'Padding',
      default: 'valid',
      options: ['valid', 'same'],
      help: '"valid" drops leftover edges; "same" pads them so nothing is dropped.',
      advanced: true,
    },
  ];
  return defineLayer({
    type,
    kerasClass: type,
    category: 'Pooling',
    summary:
      spatial === 1
        ? `Shrinks a sequence: of each window of steps it ${what}, per channel.`
        : `Shrinks an image: of each small window (2×2 by default) it ${what}, per channel, so later layers see a coarser, cheaper picture.`,
    params,
    inputs: { min: 1, max: 1 },
    outputShape(inputs, p) {
      const shape = inputs[0]!;
      const input = spatialInput(type, shape, spatial);
      if (!input.ok) return input.result;
      const poolSize = p.poolSize as number[];
      // Keras's strides None means "the pool size".
      const strides = (p.strides as number[] | null) ?? poolSize;
      const out = windowSizes(type, 'pool', shape, input.sizes, poolSize, strides, p.padding as string);
      if (!out.ok) return out.result;
      return { ok: true, shape: [null, ...out.out, input.channels] };
    },
    paramCount: noParams,
  });
}

function globalPooling<const T extends string>(type: T, spatial: 1 | 2, kind: 'max' | 'average') {
  const what = kind === 'max' ? 'largest value' : 'average';
  return defineLayer({
    type,
    kerasClass: type,
    category: 'Pooling',
    summary:
      spatial === 1
        ? `Turns a whole sequence into one vector: the ${what} of each channel over all steps.`
        : `Turns a whole image into one vector: the ${what} of each channel over all positions. A light alternative to Flatten before the last Dense.`,
    params: [],
    inputs: { min: 1, max: 1 },
    outputShape(inputs) {
      const shape = inputs[0]!;
      if (shape.length !== spatial + 2) {
        const wanted = spatial === 1 ? '(batch, steps, channels)' : '(batch, height, width, channels)';
        const other = type.replace(spatial === 1 ? '1D' : '2D', spatial === 1 ? '2D' : '1D');
        const hint =
          shape.length === 2
            ? ', which is already one vector per example: remove this layer'
            : shape.length === 3 && spatial === 2
              ? `, a sequence: use ${other}`
              : shape.length === 4 && spatial === 1
                ? `, an image: use ${other}`
                : '';
        return { ok: false, code: 'WRONG_RANK', message: `${type} needs ${wanted} but gets ${formatShape(shape)}${hint}.` };
      }
      return { ok: true, shape: [null, shape.at(-1) ?? null] };
    },
    paramCount: noParams,
    fromKeras(config) {
      if (config.keepdims === true) {
        throw new Error(`keepdims true is not supported: TensorFlow.js's ${type} always returns one vector per example`);
      }
      return {};
    },
  });
}

export const POOLING_SPECS = [
  pooling('MaxPooling1D', 1, 'max'),
  pooling('MaxPooling2D', 2, 'max'),
  pooling('AveragePooling1D', 1, 'average'),
  pooling('AveragePooling2D', 2, 'average'),
  globalPooling('GlobalMaxPooling1D', 1, 'max'),
  globalPooling('GlobalMaxPooling2D', 2, 'max'),
  globalPooling('GlobalAveragePooling1D', 1, 'average'),
  globalPooling('GlobalAveragePooling2D', 2, 'average'),
] as const;
