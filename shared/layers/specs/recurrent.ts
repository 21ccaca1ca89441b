import { ACTIVATIONS } from '../activations.js';
import { defineLayer, type KerasConfig, type OutputHint, type ParamSpec, type ShapeResult } from '../types.js';
import { formatShape, type ParamValue, type Params, type Shape } from '../../graph/types.js';

/** Gate activations: the usual ones plus hard_sigmoid, which Keras before 2.3 used by default. */
export const RECURRENT_ACTIVATIONS = [...ACTIVATIONS, 'hard_sigmoid'] as const;

/** The hint a layer returning only its last step gives: the fix turns on its return sequences. */
export function lastStepHint(layer: string, param: string, value: ParamValue): OutputHint {
  return { lastStepOf: layer, fix: { kind: 'set-param', onInput: 0, param, value, label: `Return sequences from ${layer}` } };
}

const known = (dims: readonly (number | null)[]): dims is number[] => dims.every((d) => d !== null);

/**
 * WRONG_RANK for a layer that needs at least (batch, steps, …), or null when `shape` has a
 * time axis. `needs` describes the shape in words, e.g. "a sequence (batch, steps, features)".
 */
export function missingTimeAxis(layer: string, needs: string, shape: Shape, hint?: OutputHint): ShapeResult | null {
  if (shape.length >= 3) return null;
  const prefix = `${layer} needs ${needs} but gets ${formatShape(shape)}`;
  if (hint) {
    return {
      ok: false,
      code: 'WRONG_RANK',
      message: `${prefix}, because the ${hint.lastStepOf} feeding it returns only its last step: turn on Return sequences in that ${hint.lastStepOf}.`,
      fix: hint.fix,
    };
  }
  const features = shape[1];
  if (shape.length === 2 && features !== null && features !== undefined) {
    return {
      ok: false,
      code: 'WRONG_RANK',
      message: `${prefix}: for token ids insert an Embedding first; for one value per step insert Reshape to (${features}, 1).`,
    };
  }
  return { ok: false, code: 'WRONG_RANK', message: `${prefix}: feed it a sequence, e.g. from an Embedding or a recurrent layer with Return sequences on.` };
}

/** Checks for exactly (batch, steps, features) with known features; null when the shape fits. */
export function sequenceProblem(layer: string, shape: Shape, hint?: OutputHint): ShapeResult | null {
  const needs = 'a sequence (batch, steps, features)';
  const missing = missingTimeAxis(layer, needs, shape, hint);
  if (missing) return missing;
  const inner = shape.slice(1);
  if (inner.length > 2) {
    const prefix = `${layer} needs ${needs} but gets ${formatShape(shape)}`;
    if (!known(inner)) return { ok: false, code: 'WRONG_RANK', message: `${prefix}: insert Reshape to lay it out as (steps, features).` };
    // Rows as steps: how an image is usually read by a recurrent layer.
    const steps = inner[0]!;
    const features = inner.slice(1).reduce((a, b) => a * b, 1);
    return {
      ok: false,
      code: 'WRONG_RANK',
      message: `${prefix}: insert Reshape to (${steps}, ${features}) so each row becomes one step.`,
      fix: { kind: 'insert-before', layerType: 'Reshape', params: { targetShape: [steps, features] }, label: `Insert Reshape to (${steps}, ${features})` },
    };
  }
  if (shape[2] === null) {
    return { ok: false, code: 'UNKNOWN_DIMENSION', message: `${layer} needs a known number of features per step but gets ${formatShape(shape)}.` };
  }
  return null;
}

const dropoutParam = (name: string, label: string, help: string, advanced: boolean): ParamSpec => ({
  kind: 'float',
  name,
  label,
  default: 0,
  min: 0,
  max: 1,
  maxExclusive: true,
  help,
  ...(advanced ? { advanced: true } : {}),
});

function recurrentParams(gated: boolean): ParamSpec[] {
  return [
    { kind: 'int', name: 'units', label: 'Units', default: 32, min: 1, max: 100_000, help: 'Size of the memory it carries from step to step, and of each output.' },
    { kind: 'enum', name: 'activation', label: 'Activation', default: 'tanh', options: ACTIVATIONS, help: 'Function applied to the new memory at each step; tanh is the usual choice.' },
    ...(gated
      ? [
          {
            kind: 'enum',
            name: 'recurrentActivation',
            label: 'Gate activation',
            default: 'sigmoid',
            options: RECURRENT_ACTIVATIONS,
            help: 'Function of the gates that decide what to keep and what to forget; sigmoid is the usual choice.',
          } satisfies ParamSpec,
        ]
      : []),
    { kind: 'bool', name: 'useBias', label: 'Use bias', default: true, help: 'Add a learned offset at each step.' },
    {
      kind: 'bool',
      name: 'returnSequences',
      label: 'Return sequences',
      default: false,
      help: 'Output every step (batch, steps, units) instead of only the last one (batch, units); turn on to feed another recurrent layer.',
    },
    {
      kind: 'bool',
      name: 'returnState',
      label: 'Return state',
      default: false,
      help: 'Also output the memory after the last step, as extra outputs (e.g. to start a decoder).',
    },
    dropoutParam('dropout', 'Dropout', 'Fraction of the inputs dropped at random while training, against overfitting.', false),
    dropoutParam('recurrentDropout', 'Recurrent dropout', 'Fraction of the memory dropped at random at each step while training.', true),
    { kind: 'bool', name: 'goBackwards', label: 'Go backwards', default: false, advanced: true, help: 'Read the sequence from its last step to its first.' },
  ];
}

/** Keras settings a tfjs recurrent layer cannot have; refused on import with the reason. */
function refuseUnsupported(type: string, config: KerasConfig): void {
  if (config.stateful === true) {
    throw new Error(`${type} is stateful (it carries its memory from one batch to the next), which NetCanvas does not support; in Keras set stateful=False and import again`);
  }
  if (config.time_major === true) {
    throw new Error(`${type} has time_major=True (steps before the batch); NetCanvas needs the batch first: set time_major=False in Keras and import again`);
  }
}

/**
 * One recurrent layer type. `gates` is how many weight sets it learns (LSTM 4, GRU 3,
 * SimpleRNN 1); `states` names the extra outputs it has with Return state.
 */
function recurrentLayer<const T extends string>(spec: {
  type: T;
  summary: string;
  gates: number;
  states: readonly string[];
  params: ParamSpec[];
  toKeras?: () => KerasConfig;
  refuse?: (config: KerasConfig) => void;
}) {
  const { type, gates, states } = spec;
  return defineLayer({
    type,
    kerasClass: type,
    category: 'Recurrent',
    summary: spec.summary,
    params: spec.params,
    inputs: { min: 1, max: 1 },
    outputNames: (params: Params) => (params.returnState ? ['output', ...states] : ['output']),
    outputShape(inputs, params, hints) {
      const inShape = inputs[0]!;
      const problem = sequenceProblem(type, inShape, hints?.[0]);
      if (problem) return problem;
      const units = params.units as number;
      const batch = inShape[0] ?? null;
      const shape: Shape = params.returnSequences ? [batch, inShape[1] ?? null, units] : [batch, units];
      const hint = params.returnSequences ? {} : { hint: lastStepHint(type, 'returnSequences', true) };
      return { ok: true, shape, ...hint, ...(params.returnState ? { extra: states.map(() => [batch, units]) } : {}) };
    },
    paramCount(inputs, params) {
      const inShape = inputs[0]!;
      const features = inShape[inShape.length - 1] ?? 0;
      const units = params.units as number;
      return { trainable: gates * (features * units + units * units + (params.useBias ? units : 0)), nonTrainable: 0 };
    },
    ...(spec.toKeras ? { toKeras: spec.toKeras } : {}),
    fromKeras(config) {
      refuseUnsupported(type, config);
      spec.refuse?.(config);
      return {};
    },
  });
}

export const simpleRNN = recurrentLayer({
  type: 'SimpleRNN',
  summary:
    'Reads a sequence one step at a time, keeping a small memory that mixes each new step with what came before. Simple, but forgets quickly over long sequences.',
  gates: 1,
  states: ['state'],
  params: recurrentParams(false),
});

export const lstm = recurrentLayer({
  type: 'LSTM',
  summary:
    'Reads a sequence one step at a time with a memory whose gates learn what to keep and what to forget, so it can link steps far apart. The usual choice for text and time series.',
  gates: 4,
  states: ['state h', 'state c'],
  params: [
    ...recurrentParams(true),
    {
      kind: 'bool',
      name: 'unitForgetBias',
      label: 'Unit forget bias',
      default: true,
      advanced: true,
      help: 'Start the forget gate at 1 so the memory is kept early in training.',
    },
  ],
});

export const gru = recurrentLayer({
  type: 'GRU',
  summary:
    'Reads a sequence one step at a time with a gated memory, like an LSTM but with fewer weights. Often as good, and faster to train.',
  gates: 3,
  states: ['state'],
  params: recurrentParams(true),
  // TensorFlow.js's GRU applies the reset gate before the recurrent weights; Keras needs telling.
  toKeras: () => ({ reset_after: false }),
  refuse(config) {
    if (config.reset_after === true) {
      throw new Error(
        'GRU has reset_after=True (Keras’s default), which TensorFlow.js does not support: it applies the reset gate only before the recurrent weights. In Keras build the GRU with reset_after=False and import again',
      );
    }
  },
});

export const RECURRENT_SPECS = [simpleRNN, lstm, gru] as const;
