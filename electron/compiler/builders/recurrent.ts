import type { LayerBuilder } from './types.js';
import type { RECURRENT_SPECS } from '../../../shared/layers/specs/recurrent.js';

export const RECURRENT_BUILDERS: Record<(typeof RECURRENT_SPECS)[number]['type'], LayerBuilder> = {};
