import type { GraphBuilder } from './builder.js';
import type { LayerRef, Params, Shape } from '../../../shared/graph/types.js';
import type { Weight } from '../model.js';

/**
 * One layer to write as ONNX nodes. Values between layers keep NetCanvas's layout (batch
 * first, channels last); a layer that needs another layout transposes in and back out.
 */
export interface LayerCall {
  b: GraphBuilder;
  type: string;
  /** With the registry's defaults filled in. */
  params: Params;
  inputs: readonly string[];
  /** Batch first, `null`; every other size is known. */
  inputShapes: readonly Shape[];
  outputShapes: readonly Shape[];
  /** In tfjs's order and layout. */
  weights: readonly Weight[];
  /** The layer's tfjs name. */
  name: string;
  /** Writes a layer nested in this one (the layer a wrapper wraps). */
  nest(call: Omit<LayerCall, 'b' | 'nest'>): string[];
}

export interface LayerEmitter {
  /**
   * Why this layer, so set, cannot be written exactly; null when it can. `nested` asks the
   * same of a layer it wraps.
   */
  refuse?(params: Params, inputShapes: readonly Shape[], nested: (ref: LayerRef, inputShapes: readonly Shape[]) => string | null): string | null;
  /** Writes the layer; one value per output. */
  emit(call: LayerCall): string[];
}

/** The weight whose tfjs name ends with `/suffix`; an error naming the layer when it has none. */
export function weight(call: LayerCall, suffix: string): Weight {
  const found = call.weights.find((w) => w.name === suffix || w.name.endsWith(`/${suffix}`));
  if (!found) throw new Error(`${call.type} "${call.name}" has no weight "${suffix}" (it has ${call.weights.map((w) => w.name).join(', ') || 'none'}).`);
  return found;
}

export function optionalWeight(call: LayerCall, suffix: string): Weight | undefined {
  return call.weights.find((w) => w.name === suffix || w.name.endsWith(`/${suffix}`));
}

/** A weight as an ONNX constant, named after it. */
export function constant(call: LayerCall, w: Weight, dims: readonly number[] = w.shape, values: ArrayLike<number> = w.values): string {
  const hint = w.name.startsWith(`${call.name}/`) ? w.name.slice(call.name.length + 1) : w.name;
  return call.b.floats(hint, dims, values);
}

/** Known sizes of a shape without its batch. */
export function inner(shape: Shape): number[] {
  return shape.slice(1).map((d) => {
    if (d === null) throw new Error(`ONNX export needs every size but the batch known, and gets an unknown one in (${shape.join(', ')}).`);
    return d;
  });
}
