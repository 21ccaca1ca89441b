import type { LayerBuilder } from './types.js';
import type { MERGE_SPECS } from '../../../shared/layers/specs/merge.js';

export const MERGE_BUILDERS: Record<(typeof MERGE_SPECS)[number]['type'], LayerBuilder> = {};
