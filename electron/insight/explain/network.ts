import * as tf from '@tensorflow/tfjs';
import { InputError } from '../session.js';

/**
 * A functional tfjs model run layer by layer on one input, as its own `predict` runs it (each
 * layer given its inputs as a list, the first input's mask passed on, masks computed after),
 * so that any layer's output can be read, or replaced by a tensor a gradient is taken at.
 * Call inside `tf.tidy`: every tensor made here is the caller's to let go of.
 */

interface LayerNode {
  inputTensors: tf.SymbolicTensor[];
  outputTensors: tf.SymbolicTensor[];
}

export interface ForwardOptions {
  /** Layer outputs given instead of computed, by layer name: the point a gradient is taken at. */
  replace?: ReadonlyMap<string, tf.Tensor>;
  /** The output layer's value before its softmax or sigmoid, where the network's head has one. */
  logits?: boolean;
}

export interface LayerValues {
  inputs: tf.Tensor[];
  /** The mask of each input (padding steps), null where there is none. */
  masks: (tf.Tensor | null)[];
}

export interface Forward {
  /** Each layer's (first) output, by layer name. */
  outputs: Map<string, tf.Tensor>;
  /** What each layer was given, by layer name. */
  inputs: Map<string, LayerValues>;
  /** The network's (first) output: logits when asked for and the head has them. */
  output: tf.Tensor;
  /** Whether `output` is logits rather than the network's own output. */
  logits: boolean;
}

/** How the output layer turns its value into probabilities: a Dense with softmax or sigmoid, a Softmax after it, or neither. */
type Head = { kind: 'dense'; squash: 'softmax' | 'sigmoid' } | { kind: 'activation' } | null;

export function headOf(layer: tf.layers.Layer): Head {
  const type = layer.getClassName();
  const activation = layer.getConfig().activation;
  if (type === 'Dense' && (activation === 'softmax' || activation === 'sigmoid')) return { kind: 'dense', squash: activation };
  if ((type === 'Activation' && activation === 'softmax') || type === 'Softmax') return { kind: 'activation' };
  return null;
}

/** A Dense layer's kernel and bias without its activation, on inputs of any rank. */
function denseLinear(layer: tf.layers.Layer, x: tf.Tensor): tf.Tensor {
  const [kernel, bias] = layer.getWeights();
  const units = kernel!.shape[1]!;
  const flat = tf.matMul(tf.reshape(x, [-1, kernel!.shape[0]!]), kernel as tf.Tensor2D);
  const y = layer.getConfig().useBias === false || !bias ? flat : tf.add(flat, bias);
  return tf.reshape(y, [...x.shape.slice(0, -1), units]);
}

/** The network's only input layer's output tensor; networks of several inputs are refused. */
export function singleInput(model: tf.LayersModel): tf.SymbolicTensor {
  if (model.inputs.length !== 1) throw new InputError(`Explanations look at a network of one input; this one has ${model.inputs.length}.`);
  return model.inputs[0]!;
}

export function forward(model: tf.LayersModel, input: tf.Tensor, options: ForwardOptions = {}): Forward {
  const values = new Map<number, tf.Tensor>([[singleInput(model).id, input]]);
  const masks = new Map<number, tf.Tensor | null>();
  const outputs = new Map<string, tf.Tensor>();
  const inputs = new Map<string, LayerValues>();
  const outputLayer = model.outputs[0]!.sourceLayer;
  const head = options.logits ? headOf(outputLayer) : null;
  for (const layer of model.layers) {
    const node = layer.inboundNodes[0] as unknown as LayerNode;
    if (layer.getClassName() === 'InputLayer') {
      outputs.set(layer.name, input);
      continue;
    }
    const given = node.inputTensors.map((t) => {
      const value = values.get(t.id);
      if (!value) throw new Error(`${layer.name}'s input ${t.name} was not computed before it.`);
      return value;
    });
    const givenMasks = node.inputTensors.map((t) => masks.get(t.id) ?? null);
    const kwargs = givenMasks.some((m) => m !== null) ? { mask: givenMasks[0] } : {};
    let made: tf.Tensor[];
    const replaced = options.replace?.get(layer.name);
    if (replaced) made = [replaced];
    else if (layer === outputLayer && head?.kind === 'dense') made = [denseLinear(layer, given[0]!)];
    else if (layer === outputLayer && head?.kind === 'activation') made = [given[0]!];
    else {
      const result = layer.apply(given, kwargs) as tf.Tensor | tf.Tensor[];
      made = Array.isArray(result) ? result : [result];
    }
    const mask = layer.supportsMasking ? (layer.computeMask(given, givenMasks as tf.Tensor[]) as tf.Tensor | tf.Tensor[] | null) : null;
    node.outputTensors.forEach((t, i) => {
      values.set(t.id, made[i]!);
      masks.set(t.id, (Array.isArray(mask) ? mask[0] : mask) ?? null);
    });
    inputs.set(layer.name, { inputs: given, masks: givenMasks });
    outputs.set(layer.name, made[0]!);
  }
  const output = values.get(model.outputs[0]!.id)!;
  return { outputs, inputs, output, logits: head !== null };
}
