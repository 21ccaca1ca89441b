// Bundles netcanvas-layers.js (NetCanvas's own tfjs layers, for TensorFlow.js exports) beside
// the compiled exporter in dist/, so the packaged app, which carries no esbuild, can write it.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The compiled tree to write into: dist/ unless another is named.
const dist = path.resolve(process.argv[2] ?? path.join(root, 'dist'));
const dir = path.join(dist, 'electron/export/tfjs');
const { layersModule, prebuiltName } = await import(pathToFileURL(path.join(dir, 'layers-module.js')).href);
for (const partialLayerNormalization of [false, true]) {
  const options = { partialLayerNormalization };
  const file = path.join(dir, prebuiltName(options));
  writeFileSync(file, await layersModule(options));
  console.log(`Wrote ${path.relative(root, file)}`);
}
