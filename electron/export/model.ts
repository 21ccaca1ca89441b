import type * as tf from '@tensorflow/tfjs';
import { networkOf } from '../../shared/graph/blocks.js';
import { inferGraph, type Inference } from '../../shared/graph/infer.js';
import type { Graph } from '../../shared/graph/types.js';
import { uniqueLayerNames } from '../../shared/keras/format.js';
import { getLayerSpec } from '../../shared/layers/registry.js';
import type { Project } from '../../shared/project/schema.js';
import type { ResolvedRunConfig } from '../training/run-config.js';

/**
 * What every export target reads: the graph, checked, with each layer's trained weights as
 * tfjs holds them. Targets are functions of this alone, so a test can export a freshly built
 * model exactly as the CLI exports a trained run.
 */

/** One weight array of a layer, in tfjs's layout (kernels HWIO, channels last). */
export interface Weight {
  /** tfjs's name for it, e.g. `conv1/kernel`, `lstm/lstm_cell/recurrent_kernel`. */
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface ModelToExport {
  /** An identifier: the model's name in the files written (Python class, Keras model name). */
  name: string;
  graph: Graph;
  /** Shape inference of `graph`, with no diagnostics. */
  inference: Inference;
  /** Node id → the layer's name in tfjs (and so in Keras files and weight names). */
  layerNames: ReadonlyMap<string, string>;
  /** Node id → the layer's weights, in the order tfjs's `layer.weights` lists them; absent for layers without. */
  weights: ReadonlyMap<string, readonly Weight[]>;
  /** The project, for what a target writes about training (dataset, task). */
  project: Project;
  /** The run's settings, when a trained run is exported; else the project's defaults resolved. */
  settings: ResolvedRunConfig;
  /** The run it came from, named in READMEs; null for an untrained model. */
  runId: string | null;
}

/** One file of an export, relative to its folder (forward slashes). */
export interface ExportFile {
  path: string;
  data: string | Uint8Array;
}

/** Why a target cannot express one layer. */
export interface Refusal {
  nodeId: string;
  /** How the user sees the layer: `Conv2D "conv1"`. */
  layer: string;
  reason: string;
}

export const EXPORT_TARGETS = ['tfjs', 'pytorch', 'onnx', 'keras'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export const EXPORT_TARGET_LABELS: Record<ExportTarget, string> = {
  tfjs: 'TensorFlow.js (model.json and weights)',
  pytorch: 'PyTorch (model.py, weights, predict.py, train.py)',
  onnx: 'ONNX (model.onnx)',
  keras: 'Keras (JSON, .h5 weights and a loading script)',
};

/** An export a target cannot write faithfully: every layer it cannot express, each with its reason. */
export class ExportRefused extends Error {
  constructor(
    readonly target: ExportTarget,
    readonly refusals: readonly Refusal[],
  ) {
    const list = refusals.map((r) => `${r.layer}: ${r.reason}`).join(' ');
    super(`${EXPORT_TARGET_LABELS[target].replace(/ \(.*$/, '')} cannot express ${refusals.length === 1 ? 'one layer' : `${refusals.length} layers`} of this network. ${list}`);
    this.name = 'ExportRefused';
  }
}

export function describeNode(graph: Graph, nodeId: string): string {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) return nodeId;
  return `${node.type} "${node.name ?? node.id}"`;
}

/** Python and JavaScript identifiers: letters, digits and `_`, not starting with a digit. */
export function identifier(name: string, fallback = 'model'): string {
  const cleaned = name.trim().replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!cleaned) return fallback;
  return /^[0-9]/.test(cleaned) ? `m_${cleaned}` : cleaned;
}

/**
 * The export of a compiled tfjs model of `graph` (freshly built or with a run's weights put
 * in): each node's weights read from the layer of its name.
 */
export async function modelToExport(
  document: Graph,
  model: tf.LayersModel,
  context: { name: string; project: Project; settings: ResolvedRunConfig; runId: string | null },
): Promise<ModelToExport> {
  // The compiler builds the network a graph's blocks stand for, its layers named by their blocks: read those.
  const graph = networkOf(document);
  const inference = inferGraph(graph);
  if (inference.diagnostics.length > 0) throw new Error(`The network has problems to fix before it can be exported: ${inference.diagnostics.map((d) => d.message).join(' ')}`);
  const layerNames = uniqueLayerNames(graph.nodes);
  const weights = new Map<string, Weight[]>();
  for (const node of graph.nodes) {
    if (getLayerSpec(node.type)?.inputs.max === 0) continue;
    const layer = model.getLayer(layerNames.get(node.id)!);
    if (layer.weights.length === 0) continue;
    const list: Weight[] = [];
    for (const variable of layer.weights) {
      const values = (await variable.read().data()) as Float32Array;
      list.push({ name: variable.originalName, shape: [...variable.shape] as number[], values: Float32Array.from(values) });
    }
    weights.set(node.id, list);
  }
  return { name: identifier(context.name), graph, inference, layerNames, weights, project: context.project, settings: context.settings, runId: context.runId };
}

/** One export target: which layers it cannot express (empty when all), and its files. */
export interface TargetWriter {
  refusals(model: ModelToExport): Refusal[];
  files(model: ModelToExport): Promise<ExportFile[]>;
}
