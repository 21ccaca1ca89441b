import * as tf from '@tensorflow/tfjs';
import { gradientProblem } from './tf-backend.js';

export interface MissingKernel {
  layer: string;
  className: string;
  reason: string;
}

/**
 * The first layer of `model` that the current backend cannot train, found by taking the
 * gradient through each layer on its own: a sentence about "Conv2DBackpropFilter" means
 * little to someone who drew a Conv2D.
 */
export function layerLackingGradient(model: tf.LayersModel): MissingKernel | null {
  if (gradientProblem(model) === null) return null;
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const inputShapes = (Array.isArray(layer.input) ? layer.input : [layer.input]).map((t) => t.shape.slice(1) as number[]);
    const inputs = inputShapes.map((shape) => tf.input({ shape }));
    let probe: tf.LayersModel;
    try {
      const out = layer.apply(inputs.length === 1 ? inputs[0]! : inputs) as tf.SymbolicTensor | tf.SymbolicTensor[];
      probe = tf.model({ inputs, outputs: out });
    } catch {
      continue;
    }
    const reason = gradientProblem(probe);
    if (reason !== null) return { layer: layer.name, className: layer.getClassName(), reason };
  }
  return { layer: model.name, className: 'Model', reason: gradientProblem(model)! };
}
