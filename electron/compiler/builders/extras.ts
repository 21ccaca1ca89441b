import type { LayerBuilder } from './types.js';
import type { EXTRA_SPECS } from '../../../shared/layers/specs/extras.js';

export const EXTRA_BUILDERS: Record<(typeof EXTRA_SPECS)[number]['type'], LayerBuilder> = {};
