import { buildOnnx, onnxRefusals } from './convert.js';
import { onnxReadme } from './readme.js';
import { ExportRefused, type TargetWriter } from '../model.js';

/** model.onnx (opset 17, weights inside) and a README saying how to run it. */
export const ONNX_WRITER: TargetWriter = {
  refusals: onnxRefusals,
  files: (model) => {
    const refusals = onnxRefusals(model);
    if (refusals.length > 0) return Promise.reject(new ExportRefused('onnx', refusals));
    const onnx = buildOnnx(model);
    return Promise.resolve([
      { path: 'model.onnx', data: onnx.bytes },
      { path: 'README.md', data: onnxReadme(model, onnx) },
    ]);
  },
};
