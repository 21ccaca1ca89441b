import type { Fix, DiagnosticCode } from '../graph/diagnostics.js';
import type { Params, Shape } from '../graph/types.js';

interface ParamBase {
  name: string;
  label: string;
  help: string;
}

export type ParamSpec =
  | (ParamBase & { kind: 'int'; default: number; min: number; max?: number })
  | (ParamBase & { kind: 'float'; default: number; min: number; max?: number; maxExclusive?: boolean })
  | (ParamBase & { kind: 'enum'; default: string; options: readonly string[] })
  | (ParamBase & { kind: 'bool'; default: boolean })
  | (ParamBase & { kind: 'shape'; default: number[] });

export type ShapeResult =
  | { ok: true; shape: Shape }
  | { ok: false; code: DiagnosticCode; message: string; fix?: Fix };

export interface ParamCount {
  trainable: number;
  nonTrainable: number;
}

export type LayerCategory = 'Input' | 'Core' | 'Regularization' | 'Reshaping';

/**
 * Everything NetCanvas knows about one layer type, as data: the palette, inspector,
 * shape checks and import/export all read this. The compiler adds one builder per type.
 */
export interface LayerSpec {
  type: string;
  kerasClass: string;
  category: LayerCategory;
  /** One or two sentences for someone new to deep learning. */
  summary: string;
  params: readonly ParamSpec[];
  inputs: { min: number; max: number };
  /** Output shape from input shapes and validated params. */
  outputShape(inputs: readonly Shape[], params: Params): ShapeResult;
  paramCount(inputs: readonly Shape[], params: Params): ParamCount;
}
