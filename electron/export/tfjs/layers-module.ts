import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as esbuild from 'esbuild';
import { NETCANVAS_LAYER_CLASSES } from '../../compiler/custom/register.js';

/**
 * netcanvas-layers.js: NetCanvas's own tfjs layers as one ES module for a web page or Node,
 * bundled at export time from the very modules the compiler uses
 * (`electron/compiler/custom/register`), with `@tensorflow/tfjs` left as an import so the
 * layers register with the page's own tfjs. Works from the TypeScript sources and from the
 * compiled JavaScript in dist/ alike: the entry is found beside this file. The packaged app
 * carries no esbuild: `npm run build:electron` bundles both variants beside the compiled file
 * (`scripts/layers-module.js`), and a prebuilt one is read in preference to bundling.
 */

export const LAYERS_MODULE_FILE = 'netcanvas-layers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const extension = path.extname(fileURLToPath(import.meta.url));
/** The root the sources are laid out under (the repository, or dist/), for the paths named in the bundle's comments. */
const root = path.resolve(here, '../../..');
const customDir = path.resolve(here, '../../compiler/custom');

export interface LayersModuleOptions {
  /** Also register NetCanvas's LayerNormalization (center or scale off) in place of tfjs's own. */
  partialLayerNormalization: boolean;
}

const built = new Map<boolean, Promise<string>>();

export function layersModule(options: LayersModuleOptions): Promise<string> {
  let text = built.get(options.partialLayerNormalization);
  if (!text) {
    text = bundle(options);
    built.set(options.partialLayerNormalization, text);
    // A failure is not kept: the next export tries again.
    text.catch(() => built.delete(options.partialLayerNormalization));
  }
  return text;
}

/** The prebuilt module's file name for a variant, beside the compiled layers-module.js. */
export function prebuiltName(options: LayersModuleOptions): string {
  return options.partialLayerNormalization ? 'netcanvas-layers.partial-layer-normalization.js' : LAYERS_MODULE_FILE;
}

async function bundle(options: LayersModuleOptions): Promise<string> {
  const prebuilt = path.join(here, prebuiltName(options));
  if (extension === '.js' && existsSync(prebuilt)) return readFile(prebuilt, 'utf8');
  const register = `./register${extension}`;
  if (!existsSync(path.join(customDir, `register${extension}`))) {
    throw new Error(`${LAYERS_MODULE_FILE} is built from ${path.join(customDir, `register${extension}`)}, which is missing from this installation.`);
  }
  let build: typeof esbuild.build;
  try {
    ({ build } = await import('esbuild'));
  } catch (err) {
    throw new Error(`${LAYERS_MODULE_FILE} is bundled with esbuild, which this installation lacks (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); install it with npm install, or export a network without ${NETCANVAS_LAYER_CLASSES.join(', ')} or a LayerNormalization with center or scale off.`);
  }
  const entry = [`export * from '${register}';`, ...(options.partialLayerNormalization ? [`import { registerPartialLayerNormalization } from '${register}';`, 'registerPartialLayerNormalization();'] : [])].join('\n');
  const result = await build({
    stdin: { contents: entry, resolveDir: customDir, sourcefile: `netcanvas-layers${extension}`, loader: extension === '.ts' ? 'ts' : 'js' },
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    external: ['@tensorflow/tfjs'],
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
    banner: { js: banner(options) },
  });
  return result.outputFiles[0]!.text;
}

function banner(options: LayersModuleOptions): string {
  return [
    '/*',
    " * NetCanvas's own TensorFlow.js layers, generated from NetCanvas's source when the model was exported.",
    ' * Import it once, after @tensorflow/tfjs and before tf.loadLayersModel: it registers',
    ` * ${registeredClasses(options)} with tfjs's class registry.`,
    ' */',
  ].join('\n');
}

/** What the module registers, in words. */
export function registeredClasses(options: LayersModuleOptions): string {
  const names = [...NETCANVAS_LAYER_CLASSES, ...(options.partialLayerNormalization ? ["a LayerNormalization that also trains with center or scale off, in place of tfjs's own"] : [])];
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
