import type { TargetWriter } from '../model.js';

export const KERAS_WRITER: TargetWriter = {
  refusals: () => [],
  files: () => Promise.reject(new Error('not written yet')),
};
