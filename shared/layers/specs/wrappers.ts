import { lastStepHint, missingTimeAxis, sequenceProblem } from './recurrent.js';
import { getLayerSpec, withDefaults } from '../registry.js';
import { defineLayer, noParams, type KerasConfig, type LayerSpec, type ShapeResult } from '../types.js';
import type { Fix } from '../../graph/diagnostics.js';
import { formatShape, isLayerRef, type LayerRef, type ParamValue, type Params, type Shape } from '../../graph/types.js';

/*
 * Wrapped layers are looked up in the registry when a shape is asked for, never at module
 * load: the registry imports this file, and the wrapped specs may live in any family file.
 */

interface Wrapped {
  ref: LayerRef;
  spec: LayerSpec;
  params: Params;
}

function wrapped(params: Params): Wrapped | null {
  const ref = params.layer;
  if (!isLayerRef(ref)) return null;
  const spec = getLayerSpec(ref.type);
  return spec ? { ref, spec, params: withDefaults(spec, ref.params) } : null;
}

function noLayer(wrapper: string): ShapeResult {
  return { ok: false, code: 'INVALID_PARAM', message: `${wrapper} has no layer to wrap: choose one in its Layer setting.` };
}

/** The wrapper's `layer` param with one of the wrapped layer's params changed. */
function withInner(inner: Wrapped, param: string, value: ParamValue): LayerRef {
  return { type: inner.ref.type, params: { ...inner.ref.params, [param]: value } };
}

/**
 * A fix the wrapped layer offers, restated for the wrapper: a change to one of its own params
 * becomes a change to the wrapper's `layer`; a layer to insert is inserted wrapped in
 * TimeDistributed when `stepwise` lists it. Fixes on other nodes do not carry over.
 */
function liftFix(inner: Wrapped, fix: Fix | undefined, stepwise: readonly string[]): Fix | undefined {
  if (!fix) return undefined;
  if (fix.kind === 'set-param') {
    if (fix.onInput !== undefined || fix.nodeId !== undefined) return undefined;
    return { kind: 'set-param', param: 'layer', value: withInner(inner, fix.param, fix.value), label: fix.label };
  }
  // A layer inserted before the wrapper must itself run on every step to mean the same.
  if (!stepwise.includes(fix.layerType)) return undefined;
  return {
    kind: 'insert-before',
    layerType: 'TimeDistributed',
    params: { layer: { type: fix.layerType, params: fix.params ?? {} } },
    label: `Insert TimeDistributed(${fix.layerType})`,
  };
}

export const bidirectional = defineLayer({
  type: 'Bidirectional',
  kerasClass: 'Bidirectional',
  category: 'Recurrent',
  summary:
    'Runs a recurrent layer over the sequence twice, once forwards and once backwards, and combines both, so each step sees what comes before and after it. Twice the weights of the wrapped layer.',
  params: [
    {
      kind: 'layer',
      name: 'layer',
      label: 'Layer',
      default: { type: 'LSTM', params: { units: 32 } },
      options: ['SimpleRNN', 'LSTM', 'GRU'],
      help: 'The recurrent layer to run in both directions; a copy of it reads the sequence backwards.',
    },
    {
      kind: 'enum',
      name: 'mergeMode',
      label: 'Merge mode',
      default: 'concat',
      options: ['concat', 'sum', 'mul', 'ave'],
      help: 'How the two directions are combined: side by side (concat, twice the units), added, multiplied or averaged.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputNames(params) {
    const inner = wrapped(params);
    const names = inner?.spec.outputNames?.(inner.params) ?? ['output'];
    const states = names.slice(1);
    return ['output', ...states.map((s) => `forward ${s}`), ...states.map((s) => `backward ${s}`)];
  },
  outputShape(inputs, params, hints) {
    const inner = wrapped(params);
    if (!inner) return noLayer('Bidirectional');
    const inShape = inputs[0]!;
    const problem = sequenceProblem('Bidirectional', inShape, hints?.[0]);
    if (problem) return problem;
    const result = inner.spec.outputShape(inputs, inner.params, hints);
    if (!result.ok) {
      const fix = liftFix(inner, result.fix, []);
      return { ok: false, code: result.code, message: `Bidirectional's ${result.message}`, ...(fix ? { fix } : {}) };
    }
    const out = result.shape;
    const last = out[out.length - 1] ?? null;
    const merged: Shape = params.mergeMode === 'concat' ? [...out.slice(0, -1), last === null ? null : last * 2] : [...out];
    const hint = inner.params.returnSequences ? {} : { hint: lastStepHint('Bidirectional', 'layer', withInner(inner, 'returnSequences', true)) };
    const states = result.extra ?? [];
    return { ok: true, shape: merged, ...hint, ...(states.length > 0 ? { extra: [...states, ...states].map((s) => [...s]) } : {}) };
  },
  paramCount(inputs, params) {
    const inner = wrapped(params);
    if (!inner) return noParams();
    const count = inner.spec.paramCount(inputs, inner.params);
    return { trainable: 2 * count.trainable, nonTrainable: 2 * count.nonTrainable };
  },
  fromKeras(config: KerasConfig) {
    // Keras 3 writes the backward copy too; TensorFlow.js always derives it from the forward layer.
    const forward = config.layer as { class_name?: unknown; config?: Record<string, unknown> } | undefined;
    const backward = config.backward_layer as { class_name?: unknown; config?: Record<string, unknown> } | undefined;
    if (backward && typeof backward === 'object') {
      const same =
        backward.class_name === forward?.class_name &&
        ['units', 'activation', 'recurrent_activation', 'use_bias', 'return_sequences', 'return_state'].every(
          (key) => JSON.stringify(backward.config?.[key]) === JSON.stringify(forward?.config?.[key]),
        );
      if (!same) {
        throw new Error('Bidirectional has a backward layer that differs from its forward layer; NetCanvas runs the same layer both ways. In Keras drop backward_layer and import again');
      }
    }
    return {};
  },
});

/** What TimeDistributed can wrap: layers that take one step's values and give one output. */
const TIME_DISTRIBUTED_OPTIONS = [
  'Dense',
  'Activation',
  'Dropout',
  'Flatten',
  'BatchNormalization',
  'LayerNormalization',
  'SimpleRNN',
  'LSTM',
  'GRU',
  'Conv1D',
  'Conv2D',
  'MaxPooling1D',
  'MaxPooling2D',
  'AveragePooling1D',
  'AveragePooling2D',
  'GlobalMaxPooling1D',
  'GlobalMaxPooling2D',
  'GlobalAveragePooling1D',
  'GlobalAveragePooling2D',
] as const;

export const timeDistributed = defineLayer({
  type: 'TimeDistributed',
  kerasClass: 'TimeDistributed',
  category: 'Recurrent',
  summary:
    'Applies the same layer, with the same weights, to every step of a sequence separately, e.g. one Dense to each step or one Conv2D to each frame of a video.',
  params: [
    {
      kind: 'layer',
      name: 'layer',
      label: 'Layer',
      default: { type: 'Dense', params: { units: 32 } },
      options: TIME_DISTRIBUTED_OPTIONS,
      help: 'The layer applied to each step; it sees one step at a time, without the time axis.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, params, hints) {
    const inner = wrapped(params);
    if (!inner) return noLayer('TimeDistributed');
    const inShape = inputs[0]!;
    const missing = missingTimeAxis('TimeDistributed', 'a sequence (batch, steps, …)', inShape, hints?.[0]);
    if (missing) return missing;
    const steps = inShape[1] ?? null;
    const step: Shape = [inShape[0] ?? null, ...inShape.slice(2)];
    const result = inner.spec.outputShape([step], inner.params);
    if (!result.ok) {
      const fix = liftFix(inner, result.fix, TIME_DISTRIBUTED_OPTIONS);
      const each = steps === null ? 'each step' : `each of its ${steps} step${steps === 1 ? '' : 's'}`;
      return {
        ok: false,
        code: result.code,
        message: `TimeDistributed runs ${inner.ref.type} on ${each}, shaped ${formatShape(step)}: ${result.message}`,
        ...(fix ? { fix } : {}),
      };
    }
    if (result.extra && result.extra.length > 0) {
      return {
        ok: false,
        code: 'INVALID_PARAM',
        message: `TimeDistributed can wrap only a layer with one output, but its ${inner.ref.type} returns its state too: turn off Return state.`,
        fix: { kind: 'set-param', param: 'layer', value: withInner(inner, 'returnState', false), label: 'Turn off Return state' },
      };
    }
    return { ok: true, shape: [result.shape[0] ?? null, steps, ...result.shape.slice(1)] };
  },
  paramCount(inputs, params) {
    const inner = wrapped(params);
    if (!inner) return noParams();
    const inShape = inputs[0]!;
    return inner.spec.paramCount([[inShape[0] ?? null, ...inShape.slice(2)]], inner.params);
  },
});

export const WRAPPER_SPECS = [bidirectional, timeDistributed] as const;
