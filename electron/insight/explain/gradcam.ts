import * as tf from '@tensorflow/tfjs';
import type { Explanation } from '../../../shared/api/insight.js';
import { InputError, type PreparedInput, type Session } from '../session.js';
import { chosenClass, classScore, nameOf, probabilitiesOf } from './answer.js';
import { lastSpatialLayer, layerOf } from './layers.js';
import { fieldOf, resample, stretched } from './field.js';
import { forward } from './network.js';
import { gridOf, pictureOf, toHeatMap } from './picture.js';

/**
 * Grad-CAM: a spatial layer's channels weighted by how much the class's score rises with each
 * (its gradient averaged over the layer's pixels), summed, only what speaks for the class kept
 * (ReLU), and laid bilinearly over the input where the layer's pixels look.
 */

export function gradcam(session: Session, prepared: PreparedInput, node: string | undefined, requested?: number): Explanation {
  const x = prepared.tensor;
  const chosen = node ?? lastSpatialLayer(session)?.id;
  if (!chosen) throw new InputError('Grad-CAM looks at a layer with a (height, width, channels) output, and this network has none: try saliency instead.');
  const { name, node: id, layer } = layerOf(session, chosen);
  const probabilities = tf.tidy(() => probabilitiesOf(session, forward(session.model, x).output));
  const classIndex = chosenClass(session, probabilities, requested);
  const { height, width } = gridOf(session, x);
  const heat = tf.tidy(() => {
    const activation = forward(session.model, x).outputs.get(name)!;
    if (activation.rank !== 4) {
      throw new InputError(`Grad-CAM looks at a layer with a (height, width, channels) output, but ${layer.name} gives (${activation.shape.slice(1).join(', ')}).`);
    }
    const score = (a: tf.Tensor) => classScore(session, forward(session.model, x, { replace: new Map([[name, a]]), logits: true }).output, classIndex);
    const gradient = tf.grad(score)(activation);
    const weights = tf.mean(gradient, [1, 2], true);
    const [, mapHeight, mapWidth] = activation.shape as [number, number, number, number];
    const map = tf.relu(tf.sum(tf.mul(activation, weights), -1)).dataSync();
    const field = fieldOf(session.model, name) ?? stretched(mapHeight, mapWidth, height, width);
    return toHeatMap(tf.tensor2d(resample(map, mapHeight, mapWidth, height, width, field), [height, width]));
  });
  return { kind: 'heatmap', method: 'gradcam', image: pictureOf(session, prepared), heat, classIndex, className: nameOf(session, classIndex), layer: id };
}
