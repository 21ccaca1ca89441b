import type { LayerBuilder } from './types.js';
import type { POOLING_SPECS } from '../../../shared/layers/specs/pooling.js';

export const POOLING_BUILDERS: Record<(typeof POOLING_SPECS)[number]['type'], LayerBuilder> = {};
