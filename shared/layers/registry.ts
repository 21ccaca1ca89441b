import { activation } from './specs/activation.js';
import { dense } from './specs/dense.js';
import { dropout } from './specs/dropout.js';
import { flatten } from './specs/flatten.js';
import { input } from './specs/input.js';
import type { LayerSpec, ParamSpec } from './types.js';
import type { ParamValue, Params } from '../graph/types.js';

export const LAYER_SPECS = [input, dense, activation, dropout, flatten] as const satisfies readonly LayerSpec[];

export type LayerType = (typeof LAYER_SPECS)[number]['type'];

const byType = new Map<string, LayerSpec>(LAYER_SPECS.map((s) => [s.type, s]));

export function getLayerSpec(type: string): LayerSpec | undefined {
  return byType.get(type);
}

export function layerTypes(): string[] {
  return LAYER_SPECS.map((s) => s.type);
}

export function defaultParams(spec: LayerSpec): Record<string, ParamValue> {
  return Object.fromEntries(spec.params.map((p) => [p.name, p.default]));
}

/** Checks one value against its spec; returns a plain-words problem or null. */
export function checkParam(spec: ParamSpec, value: ParamValue | undefined): string | null {
  switch (spec.kind) {
    case 'int':
    case 'float': {
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
      return value.every((d) => Number.isInteger(d) && d >= 1)
        ? null
        : `${spec.label} sizes must be whole numbers of at least 1 (got ${value.join(',')})`;
  }
}

/** Fills defaults for missing params; unknown extra params are kept for forward compatibility. */
export function withDefaults(spec: LayerSpec, params: Params): Params {
  return { ...defaultParams(spec), ...params };
}
