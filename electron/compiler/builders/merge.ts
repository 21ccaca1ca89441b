import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { LayerBuilder } from './types.js';
import { broadcastShapes, type MERGE_SPECS } from '../../../shared/layers/specs/merge.js';

/**
 * Keras's Subtract, which tfjs-layers 4.22 lacks: first input minus second, with the same
 * shape rules as tfjs's other merge layers (a shorter input gains axes after the batch).
 */
export class Subtract extends tf.layers.Layer {
  static className = 'Subtract';

  constructor(args: LayerArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shapes = inputShape as tf.Shape[];
    if (shapes.length !== 2) throw new Error(`${this.name} subtracts exactly 2 inputs but got ${shapes.length}.`);
    const out = broadcastShapes(shapes[0]!.slice(1), shapes[1]!.slice(1));
    if (out === null) throw new Error(`${this.name} cannot subtract shapes [${shapes[0]!.join(', ')}] and [${shapes[1]!.join(', ')}].`);
    return [null, ...out];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [a, b] = inputs as tf.Tensor[];
      const rank = Math.max(a!.rank, b!.rank);
      const lift = (x: tf.Tensor) => (x.rank === rank ? x : x.reshape([x.shape[0]!, ...Array<number>(rank - x.rank).fill(1), ...x.shape.slice(1)]));
      return tf.sub(lift(a!), lift(b!));
    });
  }
}
tf.serialization.registerClass(Subtract);

/**
 * tfjs-layers 4.22's Concatenate joins along the last axis whenever its axis is negative,
 * though it reports the shape for the axis asked; a positive axis, fixed once the input rank
 * is known, makes both agree.
 */
function concatenate(axis: number, name: string): tf.layers.Layer {
  const layer = tf.layers.concatenate({ name, axis });
  if (axis >= -1) return layer;
  const build = layer.build.bind(layer);
  layer.build = (inputShape) => {
    (layer as unknown as { axis: number }).axis = axis + (inputShape as tf.Shape[])[0]!.length;
    build(inputShape);
  };
  return layer;
}

export const MERGE_BUILDERS: Record<(typeof MERGE_SPECS)[number]['type'], LayerBuilder> = {
  Add: (_p, name) => tf.layers.add({ name }),
  Subtract: (_p, name) => new Subtract({ name }),
  Multiply: (_p, name) => tf.layers.multiply({ name }),
  Average: (_p, name) => tf.layers.average({ name }),
  Maximum: (_p, name) => tf.layers.maximum({ name }),
  Minimum: (_p, name) => tf.layers.minimum({ name }),
  Concatenate: (p, name) => concatenate(p.axis as number, name),
};
