import type { LayerBuilder } from './types.js';
import type { EMBEDDING_SPECS } from '../../../shared/layers/specs/embedding.js';

export const EMBEDDING_BUILDERS: Record<(typeof EMBEDDING_SPECS)[number]['type'], LayerBuilder> = {};
