import * as tf from '@tensorflow/tfjs';
import { BUILDERS, type BuildContext } from './builders/index.js';
import type { Diagnostic } from '../../shared/graph/diagnostics.js';
import { analyseNetwork } from '../../shared/graph/blocks.js';
import type { Graph, LayerRef } from '../../shared/graph/types.js';
import { uniqueLayerNames } from '../../shared/keras/format.js';
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

/** Builds a functional tfjs model from a graph, or throws GraphError with every problem found. */
export function compileGraph(document: Graph): tf.LayersModel {
  const { network: graph, inference } = analyseNetwork(document);
  if (inference.diagnostics.length > 0) throw new GraphError(inference.diagnostics);

  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  // The same names as Keras and tfjs exports give the layers, so weights are found by them.
  const names = uniqueLayerNames(graph.nodes);
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
    // After apply, so the weights the layer built are frozen with it.
    if (node.frozen) freeze(layer);
    tensors.set(id, Array.isArray(output) ? (output as tf.SymbolicTensor[]) : [output as tf.SymbolicTensor]);
  }
  return tf.model({
    inputs: inference.inputIds.map((id) => tensors.get(id)![0]!),
    outputs: inference.outputIds.map((id) => tensors.get(id)![0]!),
  });
}

/**
 * Keeps a layer's weights out of training. A frozen BatchNormalization also runs in inference
 * mode, as in Keras 2: tfjs alone would still move its moving mean and variance while training.
 */
function freeze(layer: tf.layers.Layer): void {
  layer.trainable = false;
  if (layer.getClassName() === 'BatchNormalization') {
    const call = layer.call.bind(layer);
    layer.call = (inputs, kwargs) => call(inputs, { ...kwargs, training: false });
  }
  const inner = (layer as { layer?: unknown }).layer;
  if (inner instanceof tf.layers.Layer) freeze(inner);
}

function buildLayer(ref: LayerRef, name: string): tf.layers.Layer {
  const spec = getLayerSpec(ref.type);
  if (!spec || ref.type === 'Input') throw new Error(`Cannot build a nested ${ref.type} layer.`);
  return BUILDERS[ref.type as keyof typeof BUILDERS](withDefaults(spec, ref.params), name, { build: buildLayer });
}

type AddWeight = (name: string, shape: tf.Shape, dtype: unknown, initializer: unknown, ...rest: unknown[]) => tf.LayerVariable;

/**
 * The graph's model with every weight zero, for a model whose weights are put in right after
 * (a checkpoint, an export): initializers would be thrown away, and tfjs's orthogonal one takes
 * most of a minute on a large LSTM. compileGraph is synchronous, so the stand-in addWeight is in
 * place for this build alone.
 */
export function compileGraphWithZeros(graph: Graph): tf.LayersModel {
  const layer = tf.layers.Layer.prototype as unknown as { addWeight: AddWeight };
  const addWeight = layer.addWeight;
  const zeros = tf.initializers.zeros();
  layer.addWeight = function (this: tf.layers.Layer, name, shape, dtype, _initializer, ...rest) {
    return addWeight.call(this, name, shape, dtype, zeros, ...rest);
  };
  try {
    return compileGraph(graph);
  } finally {
    layer.addWeight = addWeight;
  }
}
