import * as tf from '@tensorflow/tfjs';
import { compileGraphWithZeros } from '../../compiler/compile.js';
import { NETCANVAS_LAYER_CLASSES } from '../../compiler/custom/register.js';
import type { ExportFile, ModelToExport, Weight } from '../model.js';

/**
 * model.json and its weight shards, as tfjs's converter writes them: the topology is what the
 * compiled model's own `toJSON` says (the model is rebuilt from the graph, so the classes and
 * configs are exactly what `tf.loadLayersModel` reads back), the weights are the run's.
 */

/** tfjs's converter splits the weights into shards of this size. */
export const SHARD_BYTES = 4 * 1024 * 1024;

export interface TfjsModel {
  modelJson: TfjsModelJson;
  shards: ExportFile[];
  /** NetCanvas's own classes the model uses, which netcanvas-layers.js must register. */
  netcanvasClasses: string[];
  /** Whether it has a LayerNormalization with center or scale off (NetCanvas's partial one). */
  partialLayerNormalization: boolean;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

export function tfjsModel(model: ModelToExport): TfjsModel {
  const rebuilt = compileGraphWithZeros(model.graph);
  try {
    const modelTopology = rebuilt.toJSON(null, false) as unknown as Record<string, unknown>;
    fixConfigs(rebuilt, modelTopology);
    const { specs, data } = weightsInOrder(model, rebuilt);
    const shards = shardsOf(data);
    const classes = classNames(modelTopology);
    return {
      modelJson: {
        format: 'layers-model',
        generatedBy: `NetCanvas, as TensorFlow.js tfjs-layers v${tf.version_layers} saves models`,
        convertedBy: null,
        modelTopology,
        weightsManifest: specs.length === 0 ? [] : [{ paths: shards.map((s) => s.path), weights: specs }],
      },
      shards,
      netcanvasClasses: NETCANVAS_LAYER_CLASSES.filter((c) => classes.has(c)),
      partialLayerNormalization: hasPartialLayerNormalization(modelTopology),
    };
  } finally {
    rebuilt.dispose();
  }
}

/**
 * The run's weights in the rebuilt model's order, each checked against the variable tfjs's
 * loader will put it in (it matches them by name: `layer/kernel`).
 */
function weightsInOrder(model: ModelToExport, rebuilt: tf.LayersModel): { specs: WeightSpec[]; data: Uint8Array } {
  const nodeOf = new Map([...model.layerNames].map(([id, name]) => [name, id]));
  const specs: WeightSpec[] = [];
  const parts: Float32Array[] = [];
  const used = new Set<string>();
  for (const layer of rebuilt.layers) {
    if (layer.weights.length === 0) continue;
    const id = nodeOf.get(layer.name);
    const given: readonly Weight[] = (id === undefined ? undefined : model.weights.get(id)) ?? [];
    const where = `layer "${layer.name}"`;
    const expected = layer.weights.map((w) => `${w.originalName} (${w.shape.join('×')})`);
    const found = given.map((w) => `${w.name} (${w.shape.join('×')})`);
    if (expected.join() !== found.join()) {
      throw new Error(`The weights given for ${where} do not fit the network: it has ${expected.join(', ')} but the run holds ${found.join(', ') || 'none'}.`);
    }
    for (const weight of given) {
      specs.push({ name: weight.name, shape: [...weight.shape], dtype: 'float32' });
      parts.push(weight.values);
    }
    used.add(id!);
  }
  const extra = [...model.weights.keys()].filter((id) => !used.has(id));
  if (extra.length > 0) throw new Error(`The run holds weights for ${extra.map((id) => `"${model.layerNames.get(id) ?? id}"`).join(', ')}, which the network has no weights for.`);
  const data = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    // tfjs reads float32 little-endian, as Float32Array holds it on every platform NetCanvas runs on.
    data.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), at);
    at += part.byteLength;
  }
  return { specs, data };
}

/** `group1-shard1of2.bin`, … : consecutive slices of the weights, at most SHARD_BYTES each. */
export function shardsOf(data: Uint8Array): ExportFile[] {
  if (data.byteLength === 0) return [];
  const count = Math.ceil(data.byteLength / SHARD_BYTES);
  return Array.from({ length: count }, (_, i) => ({
    path: `group1-shard${i + 1}of${count}.bin`,
    data: data.slice(i * SHARD_BYTES, Math.min((i + 1) * SHARD_BYTES, data.byteLength)),
  }));
}

interface LayerJson {
  class_name: string;
  name?: string;
  config: Record<string, unknown>;
}

/**
 * Settings tfjs-layers 4.22 saves in a form its own loader misreads, or leaves out, put back
 * from the built layer: Reshape saves a -1 size as null and works it out on loading only when
 * the batch size is known, so the layers after it would see an unknown size (the compiler's
 * Reshape knows it); SeparableConv2D leaves out its depth multiplier, so it loads as 1.
 */
const CONFIG_FIXES: Record<string, (config: Record<string, unknown>, layer: tf.layers.Layer) => void> = {
  Reshape: (config, layer) => {
    const shape = (layer.outputShape as (number | null)[]).slice(1);
    if (shape.every((d) => d !== null)) config.target_shape = shape;
  },
  SeparableConv2D: (config, layer) => {
    config.depth_multiplier = (layer as unknown as { depthMultiplier: number }).depthMultiplier;
  },
};

function fixConfigs(rebuilt: tf.LayersModel, topology: Record<string, unknown>): void {
  const fix = (json: LayerJson, layer: tf.layers.Layer) => {
    CONFIG_FIXES[json.class_name]?.(json.config, layer);
    // A wrapper's layer (TimeDistributed's), saved inside its config.
    const inner = (layer as unknown as { layer?: tf.layers.Layer }).layer;
    const innerJson = json.config.layer as LayerJson | undefined;
    if (inner && innerJson?.class_name) fix(innerJson, inner);
  };
  for (const json of (topology.config as { layers: LayerJson[] }).layers) fix(json, rebuilt.getLayer(json.name ?? (json.config.name as string)));
}

/** Every class name in the topology, nested layers' too. */
function classNames(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) classNames(item, found);
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.class_name === 'string') found.add(record.class_name);
    for (const item of Object.values(record)) classNames(item, found);
  }
  return found;
}

function hasPartialLayerNormalization(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasPartialLayerNormalization);
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  const config = record.config as Record<string, unknown> | undefined;
  if (record.class_name === 'LayerNormalization' && config && (config.center === false || config.scale === false)) return true;
  return Object.values(record).some(hasPartialLayerNormalization);
}
