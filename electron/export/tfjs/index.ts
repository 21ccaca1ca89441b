import type { ExportFile, ModelToExport, TargetWriter } from '../model.js';
import { LAYERS_MODULE_FILE, layersModule } from './layers-module.js';
import { tfjsModel } from './model-json.js';
import { tfjsReadme } from './readme.js';

/** model.json with its weight shards, netcanvas-layers.js where the model needs it, and a README. */
async function tfjsFiles(model: ModelToExport): Promise<ExportFile[]> {
  const tfjs = tfjsModel(model);
  const files: ExportFile[] = [{ path: 'model.json', data: `${JSON.stringify(tfjs.modelJson)}\n` }, ...tfjs.shards];
  if (tfjs.netcanvasClasses.length > 0 || tfjs.partialLayerNormalization) {
    files.push({ path: LAYERS_MODULE_FILE, data: await layersModule({ partialLayerNormalization: tfjs.partialLayerNormalization }) });
  }
  files.push({ path: 'README.md', data: tfjsReadme(model, tfjs) });
  return files;
}

export const TFJS_WRITER: TargetWriter = {
  // Every layer NetCanvas trains is a tfjs layer already (the compiler builds them in tfjs), so none is refused.
  refusals: () => [],
  files: tfjsFiles,
};
