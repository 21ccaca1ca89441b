import type { Fix, DiagnosticCode } from '../graph/diagnostics.js';
import type { LayerRef, Params, ParamValue, Shape } from '../graph/types.js';

interface ParamBase {
  name: string;
  label: string;
  help: string;
  /** Key in the Keras layer config; defaults to the snake_case form of `name`. */
  keras?: string;
  /** Shown under "More settings" in the inspector. */
  advanced?: boolean;
}

export type ParamSpec =
  /** `nullable`: the value may be `null`, meaning "not set" (Keras `None`), described by `nullLabel`. */
  | (ParamBase & { kind: 'int'; default: number | null; min: number; max?: number; nullable?: boolean; nullLabel?: string })
  | (ParamBase & { kind: 'float'; default: number | null; min: number; max?: number; maxExclusive?: boolean; nullable?: boolean; nullLabel?: string })
  | (ParamBase & { kind: 'enum'; default: string; options: readonly string[] })
  | (ParamBase & { kind: 'bool'; default: boolean })
  /** The size of one example (Input): whole numbers of at least 1. */
  | (ParamBase & { kind: 'shape'; default: number[] })
  /**
   * A fixed- or variable-length list of whole numbers, e.g. a kernel size 3,3. `nullable`: the
   * value may be `null` (Keras `None`, e.g. pooling strides that follow the pool size), described by `nullLabel`.
   */
  | (ParamBase & { kind: 'ints'; default: number[] | null; min: number; max?: number; length?: number; minLength?: number; nullable?: boolean; nullLabel?: string })
  /** A nested layer (the layer a wrapper such as Bidirectional wraps). */
  | (ParamBase & { kind: 'layer'; default: LayerRef; options: readonly string[] });

/**
 * What a layer says about its first output for the layers it feeds, so they can name the
 * real cause of a problem: "the LSTM feeding it returns only its last step", with the fix
 * on that LSTM (a fix with `onInput: 0` as seen from the layer being fed).
 */
export interface OutputHint {
  lastStepOf: string;
  fix: Fix;
}

export type ShapeResult =
  | {
      ok: true;
      shape: Shape;
      /** Outputs after the first, for layers with several (an LSTM returning its states). */
      extra?: readonly Shape[];
      hint?: OutputHint;
    }
  | { ok: false; code: DiagnosticCode; message: string; fix?: Fix };

export interface ParamCount {
  trainable: number;
  nonTrainable: number;
}

export type LayerCategory =
  | 'Input'
  | 'Core'
  | 'Convolution'
  | 'Pooling'
  | 'Reshaping'
  | 'Normalization'
  | 'Regularization'
  | 'Recurrent'
  | 'Attention'
  | 'Merge';

/** Keras layer config, as in `model.to_json()` (snake_case keys). */
export type KerasConfig = Record<string, unknown>;

/**
 * Everything NetCanvas knows about one layer type, as data: the palette, inspector,
 * shape checks and import/export all read this. The compiler adds one builder per type.
 */
export interface LayerSpec<T extends string = string> {
  type: T;
  kerasClass: string;
  category: LayerCategory;
  /** One or two sentences for someone new to deep learning. */
  summary: string;
  params: readonly ParamSpec[];
  /**
   * How many incoming connections the layer takes (`max: Infinity` for merges). With
   * `slots`, each input has a name (a handle on the node), in the order the layer receives them.
   */
  inputs: { min: number; max: number; slots?: readonly string[] };
  /**
   * Params that Keras takes as call arguments rather than layer config (MultiHeadAttention's
   * `use_causal_mask`): Keras JSON keeps them in the layer's inbound node, as keyword arguments.
   */
  callParams?: readonly string[];
  /**
   * NetCanvas's layer adds its result to its input, where the Keras class of the same name
   * returns only the result and models add it themselves (keras-hub's PositionEmbedding):
   * Keras JSON writes the layer followed by an Add, and import folds that pair back into one.
   */
  kerasAddsToInput?: boolean;
  /** Names of the outputs when a layer has more than one with these params (e.g. LSTM with return state). */
  outputNames?(params: Params): readonly string[];
  /** Output shape(s) from input shapes and validated params; `hints` are what each input's source said of it. */
  outputShape(inputs: readonly Shape[], params: Params, hints?: readonly (OutputHint | undefined)[]): ShapeResult;
  paramCount(inputs: readonly Shape[], params: Params): ParamCount;
  /**
   * Keras config ↔ params, for what the generic mapping (param name ↔ snake_case key,
   * same value) cannot express. `toKeras` returns keys to add or override;
   * `fromKeras` returns params to add or override.
   */
  toKeras?(params: Params): KerasConfig;
  fromKeras?(config: KerasConfig): Record<string, ParamValue>;
}

/** The count of a layer without weights. */
export const noParams = (): ParamCount => ({ trainable: 0, nonTrainable: 0 });

/** Keeps the literal `type`, so the registry can type the compiler's builder map exactly. */
export function defineLayer<const T extends string>(spec: LayerSpec<T>): LayerSpec<T> {
  return spec;
}
