import * as tf from '@tensorflow/tfjs';
import { BUILDERS } from './builders.js';
import type { Diagnostic } from '../../shared/graph/diagnostics.js';
import { inferGraph } from '../../shared/graph/infer.js';
import type { Graph, GraphNode } from '../../shared/graph/types.js';
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
  const tensors = new Map<string, tf.SymbolicTensor>();
  for (const id of inference.order) {
    const node = byId.get(id)!;
    const params = withDefaults(getLayerSpec(node.type)!, node.params);
    if (node.type === 'Input') {
      tensors.set(id, tf.input({ shape: params.shape as number[], name: names.get(id)! }));
      continue;
    }
    const builder = BUILDERS[node.type as keyof typeof BUILDERS]!;
    const inputs = inference.inputsOf[id]!.map((src) => tensors.get(src)!);
    const output = builder(params, names.get(id)!).apply(inputs.length === 1 ? inputs[0]! : inputs);
    tensors.set(id, output as tf.SymbolicTensor);
  }
  return tf.model({
    inputs: inference.inputIds.map((id) => tensors.get(id)!),
    outputs: inference.outputIds.map((id) => tensors.get(id)!),
  });
}
