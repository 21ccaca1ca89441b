import * as tf from '@tensorflow/tfjs';
import { BUILDERS, type BuildContext } from './builders/index.js';
import type { Diagnostic } from '../../shared/graph/diagnostics.js';
import { inferGraph } from '../../shared/graph/infer.js';
import type { Graph, GraphNode, LayerRef } from '../../shared/graph/types.js';
import { getLayerSpec, withDefaults } from '../../shared/layers/registry.js';

export class GraphError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(
      `The network has ${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'}: ` +
        diagnostics.map((d) => (d.nodeId ? `[${d.nodeId}] ${d.message}` : d.message)).join(' '),
    );
    this.name = 'GraphError';
  }
}

/** tfjs layer names must be unique and made of word characters. */
function layerNames(nodes: readonly GraphNode[]): Map<string, string> {
  const used = new Set<string>();
  const names = new Map<string, string>();
  for (const node of nodes) {
    const base = (node.name ?? node.id).replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z])/, 'l_$1');
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    names.set(node.id, name);
  }
  return names;
}

/** Builds a functional tfjs model from a graph, or throws GraphError with every problem found. */
export function compileGraph(graph: Graph): tf.LayersModel {
  const inference = inferGraph(graph);
  if (inference.diagnostics.length > 0) throw new GraphError(inference.diagnostics);

  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const names = layerNames(graph.nodes);
  const ctx: BuildContext = { build: buildLayer };
  const tensors = new Map<string, tf.SymbolicTensor[]>();
  for (const id of inference.order) {
    const node = byId.get(id)!;
    const params = withDefaults(getLayerSpec(node.type)!, node.params);
    if (node.type === 'Input') {
      tensors.set(id, [tf.input({ shape: params.shape as number[], name: names.get(id)! })]);
      continue;
    }
    const inputs = inference.portsOf[id]!.map((port) => tensors.get(port.node)![port.output]!);
    const layer = BUILDERS[node.type as keyof typeof BUILDERS](params, names.get(id)!, ctx);
    const output = layer.apply(inputs.length === 1 ? inputs[0]! : inputs);
    tensors.set(id, Array.isArray(output) ? (output as tf.SymbolicTensor[]) : [output as tf.SymbolicTensor]);
  }
  return tf.model({
    inputs: inference.inputIds.map((id) => tensors.get(id)![0]!),
    outputs: inference.outputIds.map((id) => tensors.get(id)![0]!),
  });
}

function buildLayer(ref: LayerRef, name: string): tf.layers.Layer {
  const spec = getLayerSpec(ref.type);
  if (!spec || ref.type === 'Input') throw new Error(`Cannot build a nested ${ref.type} layer.`);
  return BUILDERS[ref.type as keyof typeof BUILDERS](withDefaults(spec, ref.params), name, { build: buildLayer });
}
