import type { LayerBuilder } from './types.js';
import type { CONVOLUTION_SPECS } from '../../../shared/layers/specs/convolution.js';

export const CONVOLUTION_BUILDERS: Record<(typeof CONVOLUTION_SPECS)[number]['type'], LayerBuilder> = {};
