import * as tf from '@tensorflow/tfjs';
import { formatShape } from '../../../shared/graph/types.js';
import { sourceKey } from '../../../shared/data/source.js';
import type { ModelToExport } from '../model.js';
import { LAYERS_MODULE_FILE, registeredClasses } from './layers-module.js';
import type { TfjsModel } from './model-json.js';

/** README.md of a TensorFlow.js export: what is in the folder and how to load it in a page and in Node. */
export function tfjsReadme(model: ModelToExport, tfjs: TfjsModel): string {
  const shape = (id: string) => formatShape(model.inference.nodes[id]!.outputShape!);
  const tokenInputs = new Set(model.graph.edges.filter((e) => ['Embedding', 'TokenAndPositionEmbedding'].includes(model.graph.nodes.find((n) => n.id === e.target)?.type ?? '')).map((e) => e.source));
  const inputs = model.inference.inputIds.map((id) => `- \`${model.layerNames.get(id)}\`: ${shape(id)}${tokenInputs.has(id) ? ', token ids (whole numbers in a float32 tensor)' : ''}`);
  const outputs = model.inference.outputIds.map((id) => `- \`${model.layerNames.get(id)}\`: ${shape(id)}`);
  const shards = tfjs.shards.length;
  const custom = tfjs.netcanvasClasses.length > 0 || tfjs.partialLayerNormalization;
  const uses = [...tfjs.netcanvasClasses, ...(tfjs.partialLayerNormalization ? ['LayerNormalization (center or scale off)'] : [])];
  const importLine = custom ? [`import './${LAYERS_MODULE_FILE}';`] : [];
  const example = model.inference.inputIds.length === 1 ? 'model.predict(x)' : 'model.predict([x1, x2, …])';
  return [
    `# ${model.name}: TensorFlow.js`,
    '',
    `A TensorFlow.js layers model exported by NetCanvas from the project "${model.project.name}".`,
    '',
    '## Weights',
    '',
    model.runId
      ? `Trained in NetCanvas run \`${model.runId}\` on ${sourceKey(model.settings.dataset)} (${model.settings.epochs} epoch${model.settings.epochs === 1 ? '' : 's'} set, ${model.settings.optimizer}, learning rate ${model.settings.learningRate}, batch size ${model.settings.batchSize}).`
      : 'Not trained: the weights are the values the network started with.',
    '',
    '## Files',
    '',
    '- `model.json`: the topology (as tfjs-layers saves it) and the weights manifest.',
    `- ${shards === 0 ? 'no weight files: the network has no weights' : `\`group1-shard1of${shards}.bin\`${shards > 1 ? ` … \`group1-shard${shards}of${shards}.bin\`` : ''}: the weights, float32, in shards of at most 4 MB`}.`,
    ...(custom
      ? [`- \`${LAYERS_MODULE_FILE}\`: NetCanvas's own layers this model uses (${uses.join(', ')}), as one ES module. It imports \`@tensorflow/tfjs\` and registers ${registeredClasses({ partialLayerNormalization: tfjs.partialLayerNormalization })} with tfjs${tfjs.partialLayerNormalization ? " (that one computes the same as tfjs's for any other LayerNormalization)" : ''}. Import it before loading the model, or tfjs reports an unknown layer.`]
      : []),
    '- `README.md`: this file.',
    '',
    '## Inputs and outputs',
    '',
    'Shapes with `?` for the batch size.',
    '',
    'Inputs, in this order:',
    ...inputs,
    '',
    'Outputs, in this order:',
    ...outputs,
    '',
    '## In a web page',
    '',
    `Serve this folder over HTTP (a page opened from file:// cannot fetch the weights). Without a bundler, an import map names the tfjs ES module (here from a CDN; \`node_modules/@tensorflow/tfjs/dist/tf.fesm.js\` served with your page works too):`,
    '',
    '```html',
    '<script type="importmap">',
    `  { "imports": { "@tensorflow/tfjs": "https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@${tf.version_layers}/dist/tf.fesm.js" } }`,
    '</script>',
    '<script type="module">',
    "  import * as tf from '@tensorflow/tfjs';",
    ...importLine.map((line) => `  ${line}`),
    "  const model = await tf.loadLayersModel('model.json');",
    `  // const y = ${example};`,
    '</script>',
    '```',
    '',
    `With a bundler (Vite, webpack, esbuild), install \`@tensorflow/tfjs\`${custom ? ` and import \`${LAYERS_MODULE_FILE}\` from your code` : ''}; the bundler resolves \`@tensorflow/tfjs\` to the same copy your code uses, which matters: the layers register with that copy.`,
    '',
    '## In Node',
    '',
    'With `@tensorflow/tfjs-node`, which reads file:// paths:',
    '',
    '```js',
    "import * as tf from '@tensorflow/tfjs-node';",
    ...importLine,
    "const model = await tf.loadLayersModel(`file://${process.cwd()}/model.json`);",
    '```',
    '',
    'With plain `@tensorflow/tfjs`, give the loader a handler that reads the files:',
    '',
    '```js',
    "import { readFile } from 'node:fs/promises';",
    "import * as tf from '@tensorflow/tfjs';",
    ...importLine,
    "const json = JSON.parse(await readFile('model.json', 'utf8'));",
    'const shards = await Promise.all(json.weightsManifest.flatMap((group) => group.paths).map((p) => readFile(p)));',
    'const weights = Buffer.concat(shards);',
    'const model = await tf.loadLayersModel({',
    '  load: async () => ({',
    '    modelTopology: json.modelTopology,',
    '    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),',
    '    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),',
    '  }),',
    '});',
    '```',
    '',
    ...(custom ? [`\`${LAYERS_MODULE_FILE}\` imports the bare name \`@tensorflow/tfjs\`, so with tfjs-node it registers with the \`@tensorflow/tfjs\` that tfjs-node itself uses: install them together so npm keeps one copy.`, ''] : []),
  ].join('\n');
}
