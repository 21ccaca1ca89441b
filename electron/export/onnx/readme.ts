import { OPSET, type OnnxModel } from './convert.js';
import { DataType, type ValueInfo } from './proto.js';
import type { ModelToExport } from '../model.js';

const typeName = (v: ValueInfo) => (v.dataType === DataType.INT64 ? 'int64' : 'float32');
const shapeText = (v: ValueInfo) => `(${v.dims.join(', ')})`;

function table(values: readonly ValueInfo[]): string {
  return ['| name | shape | type |', '| --- | --- | --- |', ...values.map((v) => `| \`${v.name}\` | ${shapeText(v)} | ${typeName(v)}${v.doc && v.dataType === DataType.INT64 ? ', token ids' : ''} |`)].join('\n');
}

/** What is in model.onnx and how to run it. */
export function onnxReadme(model: ModelToExport, onnx: OnnxModel): string {
  const source = model.runId ? `the weights of run \`${model.runId}\`` : 'weights that were never trained (no run was chosen)';
  const feedsPython = onnx.inputs
    .map((v) => `    "${v.name}": np.zeros((1, ${v.dims.slice(1).join(', ')}${v.dims.length === 2 ? ',' : ''}), dtype=np.${typeName(v)}),`)
    .join('\n');
  const feedsJs = onnx.inputs
    .map((v) => {
      const size = v.dims.slice(1).reduce<number>((a, d) => a * Number(d), 1);
      const data = v.dataType === DataType.INT64 ? `new BigInt64Array(${size})` : `new Float32Array(${size})`;
      return `  '${v.name}': new ort.Tensor('${typeName(v)}', ${data}, [1, ${v.dims.slice(1).join(', ')}]),`;
    })
    .join('\n');
  const tokens = onnx.inputs.some((v) => v.dataType === DataType.INT64);
  return `# ${model.name} as ONNX

\`model.onnx\` is the network of the NetCanvas project "${model.project.name}" with ${source}, for inference
with any ONNX runtime (ONNX opset ${OPSET}, IR version 8). Open it in [Netron](https://netron.app) to see its graph;
each node and weight is named after the NetCanvas layer it comes from.

## Inputs

${table(onnx.inputs)}

## Outputs

${table(onnx.outputs)}

\`batch\` is any number of examples. Inputs are laid out as NetCanvas's datasets give them (channels last for
images), and outputs as the network's last layers give them.${tokens ? ' Token ids are whole numbers below the vocabulary size of the embedding they feed.' : ''}
Dropout and noise layers do nothing here, as at prediction time in NetCanvas.

## Python

\`\`\`python
import numpy as np
import onnxruntime as ort

session = ort.InferenceSession("model.onnx")
outputs = session.run(None, {
${feedsPython}
})
print(outputs[0])
\`\`\`

## JavaScript (Node)

\`\`\`js
import * as ort from 'onnxruntime-node'; // onnxruntime-web in a browser

const session = await ort.InferenceSession.create('model.onnx');
const outputs = await session.run({
${feedsJs}
});
console.log(outputs['${onnx.outputs[0]?.name ?? ''}'].data);
\`\`\`
`;
}
