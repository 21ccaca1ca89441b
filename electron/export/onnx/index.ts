import type { TargetWriter } from '../model.js';

export const ONNX_WRITER: TargetWriter = {
  refusals: () => [],
  files: () => Promise.reject(new Error('not written yet')),
};
