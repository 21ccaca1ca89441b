import type { TargetWriter } from '../model.js';

export const TFJS_WRITER: TargetWriter = {
  refusals: () => [],
  files: () => Promise.reject(new Error('not written yet')),
};
