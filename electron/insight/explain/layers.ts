import type * as tf from '@tensorflow/tfjs';
import type { InsightLayer } from '../../../shared/api/insight.js';
import { InputError, type Session } from '../session.js';

/** The layers an explanation looks at: the one a request names (a graph node id), or the one it looks at unless told. */

export interface ChosenLayer {
  /** The graph node's id. */
  node: string;
  /** The tfjs layer's name. */
  name: string;
  layer: tf.layers.Layer;
}

/** The network's layers in the order they compute (the graph's topological order), the Input left out. */
export function layersInOrder(session: Session): InsightLayer[] {
  const byId = new Map(session.info.layers.map((l) => [l.id, l]));
  return session.inference.order.flatMap((id) => byId.get(id) ?? []);
}

/** The layer of graph node `node` (a tfjs layer's name is taken too), or an InputError naming the node. */
export function layerOf(session: Session, node: string): ChosenLayer {
  const name = session.layerOfNode.get(node) ?? (session.nodeOfLayer.has(node) ? node : null);
  const layer = name === null ? null : session.model.layers.find((l) => l.name === name);
  if (!name || !layer) throw new InputError(`There is no layer "${node}" in this network.`);
  return { node: session.nodeOfLayer.get(name) ?? node, name, layer };
}

/** The last layer with a (height, width, channels) output of more than one pixel, a convolution rather than a pooling where there is one. */
export function lastSpatialLayer(session: Session): InsightLayer | null {
  const spatial = layersInOrder(session).filter((l) => l.spatial && (l.outputShape[1] ?? 0) * (l.outputShape[2] ?? 0) > 1);
  const convolutions = spatial.filter((l) => /Conv/.test(l.type));
  return convolutions.at(-1) ?? spatial.at(-1) ?? null;
}

/** The layer feeding the output: what a network made of its input just before answering. */
export function lastHiddenLayer(session: Session): InsightLayer | null {
  const outputs = new Set(session.inference.outputIds);
  return layersInOrder(session).filter((l) => !outputs.has(l.id)).at(-1) ?? null;
}
