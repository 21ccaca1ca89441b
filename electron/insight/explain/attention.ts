import * as tf from '@tensorflow/tfjs';
import type { Explanation } from '../../../shared/api/insight.js';
import { MultiHeadAttention } from '../../compiler/custom/multi-head-attention.js';
import { InputError, type PreparedInput, type Session } from '../session.js';
import { layerOf, layersInOrder } from './layers.js';
import { forward } from './network.js';
import { tokensOf } from './tokens.js';

/** Each head of a MultiHeadAttention layer: how much each query position reads each key, for this input. */

export function attention(session: Session, prepared: PreparedInput, node: string | undefined): Explanation {
  const chosen = node ?? layersInOrder(session).find((l) => l.type === 'MultiHeadAttention')?.id;
  if (!chosen) throw new InputError('This network has no MultiHeadAttention layer to show the attention of.');
  const { name, node: id, layer } = layerOf(session, chosen);
  if (!(layer instanceof MultiHeadAttention)) {
    const type = session.graph.nodes.find((n) => n.id === id)?.type ?? layer.getClassName();
    throw new InputError(`Attention is read from a MultiHeadAttention layer, and ${name} is a ${type}.`);
  }
  const heads = tf.tidy(() => {
    const given = forward(session.model, prepared.tensor).inputs.get(name)!;
    return layer.attentionWeights(given.inputs, given.masks[0] ?? null).arraySync()[0]!;
  });
  const queries = positionLabels(session, prepared, heads[0]?.length ?? 0);
  const keys = positionLabels(session, prepared, heads[0]?.[0]?.length ?? 0);
  return { kind: 'attention', layer: id, queries, keys, heads };
}

/** The input's tokens when the attention runs over its positions, else the positions' numbers. */
function positionLabels(session: Session, prepared: PreparedInput, count: number): string[] {
  const tokens = session.info.differentiable ? null : tokensOf(session, prepared);
  if (tokens && tokens.length === count) return tokens;
  return Array.from({ length: count }, (_, i) => String(i + 1));
}
