import { ATTENTION_BUILDERS } from './attention.js';
import { CONVOLUTION_BUILDERS } from './convolution.js';
import { CORE_BUILDERS } from './core.js';
import { EMBEDDING_BUILDERS } from './embedding.js';
import { EXTRA_BUILDERS } from './extras.js';
import { MERGE_BUILDERS } from './merge.js';
import { NORMALIZATION_BUILDERS } from './normalization.js';
import { POOLING_BUILDERS } from './pooling.js';
import { RECURRENT_BUILDERS } from './recurrent.js';
import { RESHAPING_BUILDERS } from './reshaping.js';
import type { LayerBuilder } from './types.js';
import { WRAPPER_BUILDERS } from './wrappers.js';
import type { LayerType } from '../../../shared/layers/registry.js';

export type { BuildContext, LayerBuilder } from './types.js';

/** One builder per layer type: a type without one does not compile. */
export const BUILDERS: Record<Exclude<LayerType, 'Input'>, LayerBuilder> = {
  ...CORE_BUILDERS,
  ...EXTRA_BUILDERS,
  ...CONVOLUTION_BUILDERS,
  ...POOLING_BUILDERS,
  ...RESHAPING_BUILDERS,
  ...NORMALIZATION_BUILDERS,
  ...EMBEDDING_BUILDERS,
  ...RECURRENT_BUILDERS,
  ...WRAPPER_BUILDERS,
  ...ATTENTION_BUILDERS,
  ...MERGE_BUILDERS,
};
