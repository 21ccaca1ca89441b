import { getLayerSpecByKerasClass } from '../layers/registry.js';
import type { LayerSpec, ParamSpec } from '../layers/types.js';

/**
 * What Keras and TensorFlow.js model JSON have in common, for the importer and the exporter:
 * key names, class-name aliases and activation names.
 */

/** Class names a whole model is saved under (Keras 2 writes Model or Functional, tfjs Model). */
export const MODEL_CLASSES: readonly string[] = ['Sequential', 'Model', 'Functional'];

/** kernelSize → kernel_size: how Keras spells a tfjs-layers config field. */
export function snakeCase(name: string): string {
  return name.replace(/([A-Z])/g, (c) => `_${c.toLowerCase()}`);
}

/** The key of a param in the Keras layer config (or call kwargs). */
export function kerasKey(param: ParamSpec): string {
  return param.keras ?? snakeCase(param.name);
}

/**
 * Other names Keras accepts for the same class. Files written by Keras always use the class's
 * own name; hand-written ones often use the short alias.
 */
const CLASS_ALIASES: readonly (readonly string[])[] = [
  ['MaxPooling1D', 'MaxPool1D'],
  ['MaxPooling2D', 'MaxPool2D'],
  ['MaxPooling3D', 'MaxPool3D'],
  ['AveragePooling1D', 'AvgPool1D'],
  ['AveragePooling2D', 'AvgPool2D'],
  ['AveragePooling3D', 'AvgPool3D'],
  ['GlobalMaxPooling1D', 'GlobalMaxPool1D'],
  ['GlobalMaxPooling2D', 'GlobalMaxPool2D'],
  ['GlobalMaxPooling3D', 'GlobalMaxPool3D'],
  ['GlobalAveragePooling1D', 'GlobalAvgPool1D'],
  ['GlobalAveragePooling2D', 'GlobalAvgPool2D'],
  ['GlobalAveragePooling3D', 'GlobalAvgPool3D'],
  ['Conv1D', 'Convolution1D'],
  ['Conv2D', 'Convolution2D'],
  ['Conv3D', 'Convolution3D'],
  ['Conv1DTranspose', 'Convolution1DTranspose'],
  ['Conv2DTranspose', 'Convolution2DTranspose', 'Deconvolution2D', 'Deconv2D'],
  ['Conv3DTranspose', 'Convolution3DTranspose', 'Deconvolution3D', 'Deconv3D'],
  ['SeparableConv1D', 'SeparableConvolution1D'],
  ['SeparableConv2D', 'SeparableConvolution2D'],
  ['DepthwiseConv2D', 'DepthwiseConvolution2D'],
  // NetCanvas's tfjs layer for a ReLU with a threshold or slope, in tfjs files it saved itself.
  ['ReLU', 'KerasReLU'],
];

/** The registry's spec for a Keras class name, trying the class's aliases too. */
export function specForKerasClass(registeredName: string): LayerSpec | undefined {
  // Keras 3 names classes from packages by their registered name, e.g. "keras_hub>TransformerEncoder".
  const className = registeredName.slice(registeredName.lastIndexOf('>') + 1);
  const direct = getLayerSpecByKerasClass(className);
  if (direct) return direct;
  const group = CLASS_ALIASES.find((names) => names.includes(className));
  for (const alias of group ?? []) {
    const spec = getLayerSpecByKerasClass(alias);
    if (spec) return spec;
  }
  return undefined;
}

/** For Keras classes NetCanvas lacks, the nearest thing it has, said as advice. */
export const INSTEAD: Readonly<Record<string, string>> = {
  ThresholdedReLU: 'ReLU with its threshold set does the same',
  PReLU: 'LeakyReLU is the nearest, with one fixed slope instead of learned ones',
  ELU: 'Activation with elu does the same when alpha is 1',
  Softmax: 'Activation with softmax does the same on the last axis',
  Identity: 'Activation with linear passes its input through',
  Lambda: 'its Python code is not in the file: rebuild that step from NetCanvas layers',
  TFOpLambda: 'a TensorFlow operation called on a tensor is not a layer: rebuild that step from NetCanvas layers',
  SlicingOpLambda: 'slicing a tensor is not a layer NetCanvas has: rebuild that step from NetCanvas layers',
  SpatialDropout2D: 'Dropout is the nearest',
  GaussianDropout: 'Dropout is the nearest',
  AlphaDropout: 'Dropout is the nearest',
  UnitNormalization: 'LayerNormalization is the nearest',
  GroupNormalization: 'LayerNormalization is the nearest',
  Attention: 'MultiHeadAttention is the nearest',
  AdditiveAttention: 'MultiHeadAttention is the nearest',
};

/** Keras activation names that NetCanvas has under another name. */
const ACTIVATION_ALIASES: Readonly<Record<string, string>> = {
  silu: 'swish',
  softmax_v2: 'softmax',
  linear_activation: 'linear',
};

export function isActivationParam(param: ParamSpec): boolean {
  return param.kind === 'enum' && /activation$/i.test(param.name);
}

/** An option of an enum param for a Keras value, through the aliases; undefined when none fits. */
export function enumOption(param: Extract<ParamSpec, { kind: 'enum' }>, value: string): string | undefined {
  if (param.options.includes(value)) return value;
  const alias = isActivationParam(param) ? ACTIVATION_ALIASES[value] : undefined;
  return alias !== undefined && param.options.includes(alias) ? alias : undefined;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Keras and tfjs layer names: the node's name where it is a valid identifier not used yet,
 * otherwise made into one the way the compiler does, so the exported model and the compiled
 * one name their layers (and so their weights) alike.
 */
export function uniqueLayerNames(nodes: readonly { id: string; name?: string }[]): Map<string, string> {
  const used = new Set<string>();
  const names = new Map<string, string>();
  for (const node of nodes) {
    const raw = node.name ?? node.id;
    const base = NAME.test(raw) ? raw : raw.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z])/, 'l_$1');
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    names.set(node.id, name);
  }
  return names;
}

/** A Keras 2 / tfjs reference to a tensor: [layer name, node index, tensor index]. */
export type TensorRef = [string, number, number];

export interface KerasLayerJson {
  class_name: string;
  name: string;
  config: Record<string, unknown>;
  inbound_nodes: [string, number, number, Record<string, unknown>][][];
}

export interface KerasModelJson {
  class_name: string;
  config: { name: string; layers: KerasLayerJson[]; input_layers: TensorRef[]; output_layers: TensorRef[] };
  keras_version: string;
  backend: string;
}

export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: KerasModelJson;
  weightsManifest: [];
}
