import type { LayerBuilder } from './types.js';
import type { RESHAPING_SPECS } from '../../../shared/layers/specs/reshaping.js';

export const RESHAPING_BUILDERS: Record<(typeof RESHAPING_SPECS)[number]['type'], LayerBuilder> = {};
