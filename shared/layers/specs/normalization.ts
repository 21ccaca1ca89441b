import { defineLayer, type KerasConfig, type ShapeResult } from '../types.js';
import type { Fix } from '../../graph/diagnostics.js';
import { formatShape, type Shape } from '../../graph/types.js';

/** TensorFlow.js's normalization kernels take 2 to 4 dimensions, batch included. */
function rankProblem(layer: string, shape: Shape): ShapeResult | null {
  if (shape.length >= 2 && shape.length <= 4) return null;
  if (shape.length < 2) {
    return { ok: false, code: 'WRONG_RANK', message: `${layer} needs at least one dimension besides the batch but gets ${formatShape(shape)}.` };
  }
  return {
    ok: false,
    code: 'WRONG_RANK',
    message: `${layer} in TensorFlow.js takes at most 3 dimensions besides the batch but gets ${formatShape(shape)}: insert a Reshape that merges some of them first.`,
  };
}

const centerParam = {
  kind: 'bool',
  name: 'center',
  label: 'Center',
  default: true,
  advanced: true,
  help: 'Learn an offset (beta) added after normalizing.',
} as const;

const scaleParam = {
  kind: 'bool',
  name: 'scale',
  label: 'Scale',
  default: true,
  advanced: true,
  help: 'Learn a factor (gamma) applied after normalizing; can be off when a linear or relu layer follows.',
} as const;

const epsilonParam = {
  kind: 'float',
  name: 'epsilon',
  label: 'Epsilon',
  default: 0.001,
  min: 1e-12,
  max: 1,
  advanced: true,
  help: 'Small number added to the variance so it never divides by zero.',
} as const;

export const batchNormalization = defineLayer({
  type: 'BatchNormalization',
  kerasClass: 'BatchNormalization',
  category: 'Normalization',
  summary:
    'Rescales each feature (or channel) to a steady mean and spread, using statistics of the current batch while training and running averages afterwards. Makes deep networks train faster and more reliably.',
  params: [
    {
      kind: 'int',
      name: 'axis',
      label: 'Axis',
      default: -1,
      min: -16,
      max: 16,
      advanced: true,
      help: 'The axis of the features to normalize; -1 is the last one (the channels).',
    },
    {
      kind: 'float',
      name: 'momentum',
      label: 'Momentum',
      default: 0.99,
      min: 0,
      max: 1,
      help: 'How slowly the running averages used at prediction time follow each batch; closer to 1 is smoother.',
    },
    epsilonParam,
    centerParam,
    scaleParam,
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, params) {
    const inShape = inputs[0]!;
    const problem = rankProblem('BatchNormalization', inShape);
    if (problem) return problem;
    const rank = inShape.length;
    const axis = params.axis as number;
    const at = axis < 0 ? axis + rank : axis;
    // TensorFlow.js 4.22 trains BatchNormalization correctly only along the last axis.
    if (at !== rank - 1) {
      const where = at < 0 || at >= rank ? 'does not exist in' : at === 0 ? 'is the batch of' : 'is not the last axis of';
      return {
        ok: false,
        code: 'INVALID_PARAM',
        message: `BatchNormalization normalizes along the last axis (the features or channels), but axis ${axis} ${where} ${formatShape(inShape)}: set axis to -1.`,
        fix: { kind: 'set-param', param: 'axis', value: -1, label: 'Normalize the last axis' },
      };
    }
    if (inShape[at] === null) {
      return { ok: false, code: 'UNKNOWN_DIMENSION', message: `BatchNormalization needs a known number of features but gets ${formatShape(inShape)}.` };
    }
    return { ok: true, shape: [...inShape] };
  },
  paramCount(inputs, params) {
    const inShape = inputs[0]!;
    const features = inShape[inShape.length - 1] ?? 0;
    // gamma and beta learn; the moving mean and variance are updated, not trained.
    return { trainable: features * ((params.scale ? 1 : 0) + (params.center ? 1 : 0)), nonTrainable: 2 * features };
  },
});

/** LayerNormalization's axes as positions from 0 (the batch); null when one does not exist. */
function resolveAxes(axes: readonly number[], rank: number): number[] | null {
  const resolved = axes.map((a) => (a < 0 ? a + rank : a));
  return resolved.every((a) => a >= 0 && a < rank) ? resolved : null;
}

export const layerNormalization = defineLayer({
  type: 'LayerNormalization',
  kerasClass: 'LayerNormalization',
  category: 'Normalization',
  summary:
    'Rescales the features of each example on its own to a steady mean and spread, independent of the batch. The usual normalization in Transformers and recurrent networks.',
  params: [
    {
      kind: 'ints',
      name: 'axis',
      label: 'Axes',
      default: [-1],
      min: -16,
      max: 16,
      advanced: true,
      help: 'The axes normalized together; -1 is the last one (the features). E.g. 1,2,3 normalizes a whole image.',
    },
    epsilonParam,
    centerParam,
    scaleParam,
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, params) {
    const inShape = inputs[0]!;
    const problem = rankProblem('LayerNormalization', inShape);
    if (problem) return problem;
    const axes = params.axis as number[];
    const resolved = resolveAxes(axes, inShape.length);
    const fix: Fix = { kind: 'set-param', param: 'axis', value: [-1], label: 'Normalize the last axis' };
    const bad = (why: string): ShapeResult => ({
      ok: false,
      code: 'INVALID_PARAM',
      message: `LayerNormalization's axes ${axes.join(', ')} ${why} ${formatShape(inShape)}: use axes from 1 to ${inShape.length - 1}, or -1 for the last.`,
      fix,
    });
    if (resolved === null) return bad('include one that does not exist in');
    if (resolved.includes(0)) return bad('include the batch of');
    if (new Set(resolved).size !== resolved.length) return bad('name the same axis twice in');
    if (resolved.some((a) => inShape[a] === null)) {
      return { ok: false, code: 'UNKNOWN_DIMENSION', message: `LayerNormalization needs known sizes along the axes it normalizes but gets ${formatShape(inShape)}.` };
    }
    return { ok: true, shape: [...inShape] };
  },
  paramCount(inputs, params) {
    const inShape = inputs[0]!;
    const resolved = resolveAxes(params.axis as number[], inShape.length) ?? [];
    const size = resolved.reduce((n, a) => n * (inShape[a] ?? 0), 1);
    return { trainable: size * ((params.scale ? 1 : 0) + (params.center ? 1 : 0)), nonTrainable: 0 };
  },
  fromKeras(config: KerasConfig) {
    if (config.rms_scaling === true) {
      throw new Error('LayerNormalization has rms_scaling=True, which TensorFlow.js does not support; in Keras set rms_scaling=False and import again');
    }
    return {};
  },
});

export const NORMALIZATION_SPECS = [batchNormalization, layerNormalization] as const;
