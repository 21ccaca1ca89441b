import type { LayerBuilder } from './types.js';
import type { WRAPPER_SPECS } from '../../../shared/layers/specs/wrappers.js';

export const WRAPPER_BUILDERS: Record<(typeof WRAPPER_SPECS)[number]['type'], LayerBuilder> = {};
