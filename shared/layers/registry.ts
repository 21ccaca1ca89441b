import { activation } from './specs/activation.js';
import { ATTENTION_SPECS } from './specs/attention.js';
import { CONVOLUTION_SPECS } from './specs/convolution.js';
import { dense } from './specs/dense.js';
import { dropout } from './specs/dropout.js';
import { EMBEDDING_SPECS } from './specs/embedding.js';
import { EXTRA_SPECS } from './specs/extras.js';
import { flatten } from './specs/flatten.js';
import { input } from './specs/input.js';
import { MERGE_SPECS } from './specs/merge.js';
import { NORMALIZATION_SPECS } from './specs/normalization.js';
import { POOLING_SPECS } from './specs/pooling.js';
import { RECURRENT_SPECS } from './specs/recurrent.js';
import { RESHAPING_SPECS } from './specs/reshaping.js';
import { WRAPPER_SPECS } from './specs/wrappers.js';
import type { LayerSpec, ParamSpec } from './types.js';
import { isLayerRef, type ParamValue, type Params } from '../graph/types.js';

export const CORE_SPECS = [input, dense, activation, dropout, flatten] as const;

/** Palette order: families in the order a network is usually built. */
export const LAYER_SPECS = [
  ...CORE_SPECS,
  ...EXTRA_SPECS,
  ...CONVOLUTION_SPECS,
  ...POOLING_SPECS,
  ...RESHAPING_SPECS,
  ...NORMALIZATION_SPECS,
  ...EMBEDDING_SPECS,
  ...RECURRENT_SPECS,
  ...WRAPPER_SPECS,
  ...ATTENTION_SPECS,
  ...MERGE_SPECS,
] as const satisfies readonly LayerSpec[];

export type LayerType = (typeof LAYER_SPECS)[number]['type'];

const byType = new Map<string, LayerSpec>(LAYER_SPECS.map((s) => [s.type, s]));
const byKerasClass = new Map<string, LayerSpec>(LAYER_SPECS.map((s) => [s.kerasClass, s]));

export function getLayerSpec(type: string): LayerSpec | undefined {
  return byType.get(type);
}

export function getLayerSpecByKerasClass(className: string): LayerSpec | undefined {
  return byKerasClass.get(className);
}

export function layerTypes(): string[] {
  return LAYER_SPECS.map((s) => s.type);
}

export function defaultParams(spec: LayerSpec): Record<string, ParamValue> {
  return Object.fromEntries(spec.params.map((p) => [p.name, p.default]));
}

const isWhole = (d: unknown): boolean => typeof d === 'number' && Number.isInteger(d);

/** Checks one value against its spec; returns a plain-words problem or null. */
export function checkParam(spec: ParamSpec, value: ParamValue | undefined): string | null {
  switch (spec.kind) {
    case 'int':
    case 'float': {
      if (value === null && spec.nullable) return null;
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${spec.label} must be a number`;
      if (spec.kind === 'int' && !Number.isInteger(value)) return `${spec.label} must be a whole number (got ${value})`;
      if (value < spec.min) return `${spec.label} must be at least ${spec.min} (got ${value})`;
      if (spec.max !== undefined) {
        if (spec.kind === 'float' && spec.maxExclusive && value >= spec.max) return `${spec.label} must be below ${spec.max} (got ${value})`;
        if (value > spec.max) return `${spec.label} must be at most ${spec.max} (got ${value})`;
      }
      return null;
    }
    case 'enum':
      return typeof value === 'string' && spec.options.includes(value)
        ? null
        : `${spec.label} must be one of ${spec.options.join(', ')} (got ${JSON.stringify(value)})`;
    case 'bool':
      return typeof value === 'boolean' ? null : `${spec.label} must be true or false`;
    case 'shape':
      if (!Array.isArray(value) || value.length === 0) return `${spec.label} must be a list of sizes, e.g. 28,28,1`;
      return value.every((d) => isWhole(d) && (d as number) >= 1)
        ? null
        : `${spec.label} sizes must be whole numbers of at least 1 (got ${value.join(',')})`;
    case 'ints': {
      if (value === null && spec.nullable) return null;
      const example = (spec.default ?? Array.from({ length: spec.length ?? 2 }, () => spec.min)).join(',');
      if (!Array.isArray(value)) return `${spec.label} must be a list of whole numbers, e.g. ${example}`;
      if (spec.length !== undefined && value.length !== spec.length) {
        return `${spec.label} needs exactly ${spec.length} number${spec.length === 1 ? '' : 's'}, e.g. ${example} (got ${value.length})`;
      }
      if (value.length < (spec.minLength ?? 1)) return `${spec.label} needs at least ${spec.minLength ?? 1} number${(spec.minLength ?? 1) === 1 ? '' : 's'}, e.g. ${example}`;
      if (!value.every(isWhole)) return `${spec.label} must be whole numbers (got ${value.join(',')})`;
      const low = value.find((d) => d < spec.min);
      if (low !== undefined) return `${spec.label} must be at least ${spec.min} each (got ${low})`;
      const high = spec.max === undefined ? undefined : value.find((d) => d > spec.max!);
      if (high !== undefined) return `${spec.label} must be at most ${spec.max} each (got ${high})`;
      return null;
    }
    case 'layer': {
      if (!isLayerRef(value)) return `${spec.label} must be a layer, one of ${spec.options.join(', ')}`;
      if (!spec.options.includes(value.type)) return `${spec.label} must be one of ${spec.options.join(', ')} (got ${value.type})`;
      const inner = getLayerSpec(value.type);
      if (!inner) return `${spec.label}: unknown layer type "${value.type}"`;
      const params = withDefaults(inner, value.params);
      const problems = inner.params.map((p) => checkParam(p, params[p.name])).filter((m): m is string => m !== null);
      return problems.length > 0 ? `${spec.label} (${value.type}): ${problems.join('; ')}` : null;
    }
  }
}

/** Fills defaults for missing params; unknown extra params are kept for forward compatibility. */
export function withDefaults(spec: LayerSpec, params: Params): Params {
  return { ...defaultParams(spec), ...params };
}
