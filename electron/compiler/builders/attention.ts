import type { LayerBuilder } from './types.js';
import type { ATTENTION_SPECS } from '../../../shared/layers/specs/attention.js';

export const ATTENTION_BUILDERS: Record<(typeof ATTENTION_SPECS)[number]['type'], LayerBuilder> = {};
