import type { LayerBuilder } from './types.js';
import type { ATTENTION_SPECS } from '../../../shared/layers/specs/attention.js';
import { MultiHeadAttention } from '../custom/multi-head-attention.js';
import { PositionEmbedding, TokenAndPositionEmbedding } from '../custom/positional-embedding.js';
import { TransformerEncoder } from '../custom/transformer-encoder.js';

export const ATTENTION_BUILDERS: Record<(typeof ATTENTION_SPECS)[number]['type'], LayerBuilder> = {
  TokenAndPositionEmbedding: (p, name) =>
    new TokenAndPositionEmbedding({
      name,
      vocabularySize: p.vocabularySize as number,
      sequenceLength: p.sequenceLength as number,
      embeddingDim: p.embeddingDim as number,
    }),
  PositionalEmbedding: (p, name) => new PositionEmbedding({ name, sequenceLength: p.sequenceLength as number }),
  MultiHeadAttention: (p, name) =>
    new MultiHeadAttention({
      name,
      numHeads: p.numHeads as number,
      keyDim: p.keyDim as number,
      valueDim: p.valueDim as number | null,
      dropout: p.dropout as number,
      useBias: p.useBias as boolean,
      useCausalMask: p.useCausalMask as boolean,
    }),
  TransformerEncoderBlock: (p, name) =>
    new TransformerEncoder({
      name,
      intermediateDim: p.intermediateDim as number,
      numHeads: p.numHeads as number,
      dropout: p.dropout as number,
      activation: p.activation as string,
      layerNormEpsilon: p.layerNormEpsilon as number,
      normalizeFirst: p.normalizeFirst as boolean,
    }),
};
