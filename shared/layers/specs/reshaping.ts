import { spatialInput } from './convolution.js';
import { defineLayer, noParams, type KerasConfig, type ParamSpec } from '../types.js';
import { formatShape, product, type Shape } from '../../graph/types.js';


export const reshape = defineLayer({
  type: 'Reshape',
  kerasClass: 'Reshape',
  category: 'Reshaping',
  summary: 'Rearranges the values of each example into a new shape with the same number of values, e.g. 784 numbers into a 28 × 28 × 1 image.',
  params: [
    {
      kind: 'ints',
      name: 'targetShape',
      label: 'Target shape',
      default: [28, 28, 1],
      min: -1,
      max: 100_000_000,
      help: 'The new shape without the batch, e.g. 28,28,1; one size may be -1 to mean "whatever is left".',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, p) {
    const shape = inputs[0]!;
    const target = p.targetShape as number[];
    const inner = shape.slice(1);
    if (target.some((d) => d === 0)) return { ok: false, code: 'EMPTY_OUTPUT', message: `Reshape's target shape (${target.join(', ')}) has a size of 0: every size must be at least 1, or -1 once.` };
    const unknowns = target.filter((d) => d === -1).length;
    if (unknowns > 1) return { ok: false, code: 'INVALID_PARAM', message: `Reshape's target shape (${target.join(', ')}) has ${unknowns} sizes of -1; only one size can be left to work out.` };
    if (inner.some((d) => d === null)) {
      // Without -1 the output is the target whatever the input; the sizes are checked when it runs.
      if (unknowns === 0) return { ok: true, shape: [null, ...target] };
      return { ok: false, code: 'UNKNOWN_DIMENSION', message: `Reshape can work out its -1 size only from a fully known input but gets ${formatShape(shape)}: give every size in the target shape.` };
    }
    const total = product(inner as number[]);
    const known = product(target.filter((d) => d !== -1));
    if (unknowns === 1) {
      if (total % known !== 0) {
        return { ok: false, code: 'SHAPE_MISMATCH', message: `Reshape cannot lay out ${total} values from ${formatShape(shape)} as (${target.join(', ')}): ${total} is not a multiple of ${known}.` };
      }
      return { ok: true, shape: [null, ...target.map((d) => (d === -1 ? total / known : d))] };
    }
    if (known !== total) {
      return {
        ok: false,
        code: 'SHAPE_MISMATCH',
        message: `Reshape gets ${total} values per example from ${formatShape(shape)} but the target shape (${target.join(', ')}) holds ${known}: pick sizes that multiply to ${total}, or put -1 in one place.`,
      };
    }
    return { ok: true, shape: [null, ...target] };
  },
  paramCount: noParams,
});

export const permute = defineLayer({
  type: 'Permute',
  kerasClass: 'Permute',
  category: 'Reshaping',
  summary: 'Reorders the dimensions of each example, e.g. 2,1 swaps steps and features.',
  params: [{ kind: 'ints', name: 'dims', label: 'Order', default: [2, 1], min: 1, max: 16, help: 'The new order of the dimensions after the batch, counted from 1, e.g. 2,1.' }],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, p) {
    const shape = inputs[0]!;
    const dims = p.dims as number[];
    const rank = shape.length - 1;
    const sorted = [...dims].sort((a, b) => a - b);
    if (dims.length !== rank || sorted.some((d, i) => d !== i + 1)) {
      const example = Array.from({ length: rank }, (_, i) => rank - i).join(',');
      return {
        ok: false,
        code: 'INVALID_PARAM',
        message: `Permute's order (${dims.join(',')}) must list each of the ${rank} dimensions of ${formatShape(shape)} once, counted from 1, e.g. ${example}.`,
      };
    }
    return { ok: true, shape: [null, ...dims.map((d) => shape[d]!)] };
  },
  paramCount: noParams,
});

export const repeatVector = defineLayer({
  type: 'RepeatVector',
  kerasClass: 'RepeatVector',
  category: 'Reshaping',
  summary: 'Repeats a vector several times to make a sequence, e.g. to feed one encoded summary to every step of a decoder.',
  params: [{ kind: 'int', name: 'n', label: 'Repeats', default: 4, min: 1, max: 1_000_000, help: 'How many steps the output sequence has.' }],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, p) {
    const shape = inputs[0]!;
    if (shape.length !== 2) {
      return {
        ok: false,
        code: 'WRONG_RANK',
        message: `RepeatVector needs a flat input (batch, features) but gets ${formatShape(shape)}: insert Flatten.`,
        fix: { kind: 'insert-before', layerType: 'Flatten', label: 'Insert Flatten' },
      };
    }
    return { ok: true, shape: [null, p.n as number, shape[1]!] };
  },
  paramCount: noParams,
});

export const upSampling2d = defineLayer({
  type: 'UpSampling2D',
  kerasClass: 'UpSampling2D',
  category: 'Reshaping',
  summary: 'Makes an image larger by repeating (or blending) its pixels, e.g. 2,2 doubles height and width. No learned parameters.',
  params: [
    { kind: 'ints', name: 'size', label: 'Size', default: [2, 2], min: 1, max: 1024, length: 2, help: 'How many times larger, in height and width.' },
    { kind: 'enum', name: 'interpolation', label: 'Interpolation', default: 'nearest', options: ['nearest', 'bilinear'], help: '"nearest" repeats pixels; "bilinear" blends neighbours smoothly.' },
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, p) {
    const shape = inputs[0]!;
    const input = spatialInput('UpSampling2D', shape, 2);
    if (!input.ok) return input.result;
    const size = p.size as number[];
    return { ok: true, shape: [null, input.sizes[0]! * size[0]!, input.sizes[1]! * size[1]!, input.channels] };
  },
  paramCount: noParams,
});

/** Saved-model metadata writes tuples as {"class_name": "__tuple__", "items": [...]}. */
function untuple(value: unknown): unknown {
  const tuple = value as { class_name?: unknown; items?: unknown } | null;
  return typeof tuple === 'object' && tuple !== null && tuple.class_name === '__tuple__' && Array.isArray(tuple.items) ? tuple.items : value;
}

const isWhole = (d: unknown): d is number => typeof d === 'number' && Number.isInteger(d);

/** Keras's padding and cropping: one int, two (height, width), or ((top, bottom), (left, right)). */
function fourSides(config: KerasConfig, key: string): Record<string, number[]> {
  const value = untuple(config[key]);
  if (value === undefined) return {};
  if (isWhole(value)) return { [key]: [value, value, value, value] };
  if (Array.isArray(value) && value.length === 2) {
    const [h, w] = value.map(untuple);
    if (isWhole(h) && isWhole(w)) return { [key]: [h, h, w, w] };
    if (Array.isArray(h) && Array.isArray(w) && h.length === 2 && w.length === 2 && [...h, ...w].every(isWhole)) return { [key]: [...h, ...w] as number[] };
  }
  throw new Error(`${key} ${JSON.stringify(config[key])} is not one of the forms Keras uses (an int, [height, width] or [[top, bottom], [left, right]])`);
}

const asPairs = (sides: number[]) => [
  [sides[0], sides[1]],
  [sides[2], sides[3]],
];

const sidesParam = (name: string, label: string, help: string): ParamSpec => ({ kind: 'ints', name, label, default: [1, 1, 1, 1], min: 0, max: 100_000, length: 4, help });

export const zeroPadding2d = defineLayer({
  type: 'ZeroPadding2D',
  kerasClass: 'ZeroPadding2D',
  category: 'Reshaping',
  summary: 'Adds a border of zeros around each image, e.g. so a convolution keeps the edges.',
  params: [sidesParam('padding', 'Padding', 'Rows and columns of zeros to add: top, bottom, left, right.')],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, p) {
    const shape = inputs[0]!;
    const input = spatialInput('ZeroPadding2D', shape, 2);
    if (!input.ok) return input.result;
    const [t, b, l, r] = p.padding as number[];
    return { ok: true, shape: [null, input.sizes[0]! + t! + b!, input.sizes[1]! + l! + r!, input.channels] };
  },
  paramCount: noParams,
  toKeras: (p): KerasConfig => ({ padding: asPairs(p.padding as number[]) }),
  fromKeras: (config) => fourSides(config, 'padding'),
});

export const cropping2d = defineLayer({
  type: 'Cropping2D',
  kerasClass: 'Cropping2D',
  category: 'Reshaping',
  summary: 'Cuts rows and columns off the edges of each image, e.g. to make two branches the same size before merging them.',
  params: [sidesParam('cropping', 'Cropping', 'Rows and columns to cut off: top, bottom, left, right.')],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, p) {
    const shape = inputs[0]!;
    const input = spatialInput('Cropping2D', shape, 2);
    if (!input.ok) return input.result;
    const [t, b, l, r] = p.cropping as number[];
    const out: Shape = [null, input.sizes[0]! - t! - b!, input.sizes[1]! - l! - r!, input.channels];
    if ((out[1] as number) <= 0 || (out[2] as number) <= 0) {
      return {
        ok: false,
        code: 'EMPTY_OUTPUT',
        message: `Cropping2D cuts ${t! + b!} rows and ${l! + r!} columns from a ${input.sizes.join('×')} image ${formatShape(shape)}, which leaves nothing: crop less.`,
      };
    }
    return { ok: true, shape: out };
  },
  paramCount: noParams,
  toKeras: (p): KerasConfig => ({ cropping: asPairs(p.cropping as number[]) }),
  fromKeras: (config) => fourSides(config, 'cropping'),
});

export const RESHAPING_SPECS = [reshape, permute, repeatVector, upSampling2d, zeroPadding2d, cropping2d] as const;
