import { enumOption, INSTEAD, isActivationParam, kerasKey, MODEL_CLASSES, specForKerasClass } from './format.js';
import { ImportFailure, isObject, isWhole, type Json, type KerasLayer } from './read.js';
import { formatShape, type LayerRef, type ParamValue } from '../graph/types.js';
import type { LayerSpec, ParamSpec } from '../layers/types.js';

/** Keras layer configs → NetCanvas params, through the registry's specs. */

/** What stops an import and is worth reporting all at once: unknown layers, unsupported values. */
export class Problems {
  readonly unknown: string[] = [];
  readonly messages: string[] = [];
  readonly warnings: string[] = [];

  throwIfAny(): void {
    const parts: string[] = [];
    if (this.unknown.length > 0) {
      const one = this.unknown.length === 1;
      parts.push(`This model uses ${one ? 'a layer' : 'layers'} NetCanvas does not have yet: ${this.unknown.join(', ')}. Replace ${one ? 'it' : 'them'} and import again.`);
    }
    if (this.messages.length > 0) {
      const shown = this.messages.slice(0, 12);
      const more = this.messages.length - shown.length;
      parts.push(`${shown.join(' ')}${more > 0 ? ` (and ${more} more like ${more === 1 ? 'it' : 'them'})` : ''}`);
    }
    if (parts.length > 0) throw new ImportFailure(this.unknown.length > 0 ? 'UNSUPPORTED_LAYERS' : 'UNSUPPORTED_MODEL', parts.join(' '));
  }
}

export const describe = (className: string, name: string) => `${className} "${name}"`;

export function lookUp(className: string, name: string, problems: Problems): LayerSpec | undefined {
  if (MODEL_CLASSES.includes(className)) {
    problems.messages.push(`${describe(className, name)} is a whole model used as a layer; NetCanvas needs its layers laid out in one model. In Keras, rebuild it without the nested model and import again.`);
    return undefined;
  }
  const spec = specForKerasClass(className);
  const instead = INSTEAD[className.slice(className.lastIndexOf('>') + 1)];
  if (!spec) problems.unknown.push(`${className} ("${name}"${instead ? `; ${instead}` : ''})`);
  return spec;
}

/** Keras config → params through the specs: generic key mapping, light coercion, then `fromKeras`. */
export function importParams(spec: LayerSpec, config: Json, kwargs: Json, layer: string, problems: Problems): Record<string, ParamValue> {
  // The spec's own reading wins, so a value only it understands (ZeroPadding2D's [[t, b], [l, r]]) is not refused first.
  let overrides: Record<string, ParamValue> = {};
  if (spec.fromKeras) {
    try {
      overrides = spec.fromKeras(config);
    } catch (err) {
      // A spec refuses a Keras setting it cannot express by throwing, with the reason.
      problems.messages.push(`${layer}: ${(err as Error).message.replace(/\.?$/, '.')}`);
    }
  }
  const callParams = new Set(spec.callParams ?? []);
  const params: Record<string, ParamValue> = {};
  for (const param of spec.params) {
    if (param.name in overrides) continue;
    const key = kerasKey(param);
    // tfjs has no call arguments in its files: its layers keep them in their config.
    const source = callParams.has(param.name) && key in kwargs ? kwargs : config;
    const value = key in source ? readValue(param, source[key], layer, key, problems) : undefined;
    params[param.name] = value === undefined ? param.default : value;
  }
  Object.assign(params, overrides);
  if (config.data_format === 'channels_first') {
    problems.messages.push(`${layer} uses data_format "channels_first"; NetCanvas supports only channels_last (channels as the last dimension).`);
  }
  const dropped = Object.keys(config).filter((k) => /_(regularizer|constraint)$/.test(k) && config[k] !== null && config[k] !== undefined);
  if (dropped.length > 0) problems.warnings.push(`${layer}: NetCanvas has no ${dropped.join(', ')}; imported without.`);
  return params;
}

/** Saved-model metadata writes tuples as {"class_name": "__tuple__", "items": [...]}. */
function untuple(value: unknown): unknown {
  return isObject(value) && value.class_name === '__tuple__' && Array.isArray(value.items) ? value.items : value;
}

function readValue(param: ParamSpec, rawValue: unknown, layer: string, key: string, problems: Problems): ParamValue | undefined {
  const value = untuple(rawValue);
  const bad = (expected: string) => {
    problems.messages.push(`${layer}: "${key}" should be ${expected} but is ${JSON.stringify(rawValue)}.`);
    return undefined;
  };
  // tfjs writes null for every setting left at its default (mask_zero, unroll...); Keras writes
  // None only where it means "not set". So null is the default, except where a param may be null.
  if (value === null && param.kind !== 'layer' && !isActivationParam(param)) {
    return 'nullable' in param && param.nullable ? null : undefined;
  }
  switch (param.kind) {
    case 'int':
    case 'float': {
      // Keras 2 writes some built layers' settings as one-item lists, e.g. BatchNormalization's axis [3].
      const number = Array.isArray(value) && value.length === 1 ? value[0] : value;
      return typeof number === 'number' ? number : bad('a number');
    }
    case 'bool':
      return typeof value === 'boolean' ? value : bad('true or false');
    case 'enum': {
      // Keras 3 may write a built-in function as {"class_name": "function", "config": "relu"}.
      const text = isObject(value) && typeof value.config === 'string' ? value.config : value;
      if (text === null && param.options.includes('linear')) return 'linear'; // Keras's None activation is the identity
      if (typeof text !== 'string') return bad(`one of ${param.options.join(', ')}`);
      const option = enumOption(param, text);
      if (option !== undefined) return option;
      problems.messages.push(
        isActivationParam(param)
          ? `${layer} uses the activation "${text}", which NetCanvas does not have (it has ${param.options.join(', ')}); change it in Keras and import again.`
          : `${layer} has ${key} "${text}", which NetCanvas does not support (it takes ${param.options.join(', ')}).`,
      );
      return undefined;
    }
    case 'ints': {
      if (isWhole(value)) return Array.from({ length: param.length ?? 1 }, () => value);
      // tfjs writes Reshape's -1 ("whatever is left") as null.
      const list = Array.isArray(value) && param.min <= -1 ? value.map((d) => (d === null ? -1 : d)) : value;
      return Array.isArray(list) && list.every(isWhole) ? [...list] : bad('a whole number or a list of whole numbers');
    }
    case 'shape':
      return Array.isArray(value) && value.every(isWhole) ? [...value] : bad('a list of sizes');
    case 'layer': {
      if (!isObject(value) || typeof value.class_name !== 'string') return bad('a layer ({"class_name", "config"})');
      const config = isObject(value.config) ? value.config : {};
      const name = typeof config.name === 'string' ? config.name : value.class_name;
      const spec = lookUp(value.class_name, name, problems);
      if (!spec) return undefined;
      if (!param.options.includes(spec.type)) {
        problems.messages.push(`${layer} wraps a ${spec.type}, but it can wrap only ${param.options.join(', ')}.`);
        return undefined;
      }
      return { type: spec.type, params: importParams(spec, config, {}, `${layer}'s inner ${describe(value.class_name, name)}`, problems) } satisfies LayerRef;
    }
  }
}

export function inputShape(layer: KerasLayer): number[] {
  const c = layer.config;
  const batchShape = untuple(c.batch_input_shape ?? c.batch_shape ?? (Array.isArray(c.input_shape) ? [null, ...c.input_shape] : undefined));
  const where = `InputLayer "${layer.name}"`;
  if (!Array.isArray(batchShape) || batchShape.length < 2) {
    throw new ImportFailure('INVALID_MODEL', `${where} needs "batch_input_shape" (or "batch_shape"), the batch size first and then the size of one example, e.g. [null, 28, 28, 1].`);
  }
  const dims = batchShape.slice(1);
  if (!dims.every((d) => d === null || (isWhole(d) && d >= 1))) {
    throw new ImportFailure('INVALID_MODEL', `${where} has a shape that is not made of whole sizes: ${JSON.stringify(batchShape)}.`);
  }
  if (dims.includes(null)) {
    throw new ImportFailure(
      'UNSUPPORTED_MODEL',
      `${where} has the shape ${formatShape(batchShape as (number | null)[])}, with a size left open besides the batch; NetCanvas needs every other size fixed. Give it a fixed size in Keras (e.g. the sequence length) and import again.`,
    );
  }
  return dims as number[];
}
