import type { LayerBuilder } from './types.js';
import type { NORMALIZATION_SPECS } from '../../../shared/layers/specs/normalization.js';

export const NORMALIZATION_BUILDERS: Record<(typeof NORMALIZATION_SPECS)[number]['type'], LayerBuilder> = {};
