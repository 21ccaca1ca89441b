import type { Weight } from '../model.js';
import { permute, tfPadding } from '../tensors.js';
import type { LayerRef, Params, Shape } from '../../../shared/graph/types.js';
import { getLayerSpec, withDefaults } from '../../../shared/layers/registry.js';

/**
 * How each NetCanvas layer type is written in model.py: the module it adds (if any), the
 * expression that calls it in `forward`, and its weights under PyTorch's names and layouts.
 * A layer or setting that cannot be written exactly throws `Unsupported` with the reason.
 */

export class Unsupported extends Error {}

/** One entry of the state_dict, relative to the layer's attribute (e.g. `weight`). */
export interface StateEntry {
  key: string;
  shape: number[];
  values: Float32Array;
  /**
   * The tfjs weight it is made of: its values read as `shape`, then laid out by `perm` (none:
   * as they are), then read as the entry's shape. Undoing that gives tfjs's values back.
   */
  from: { name: string; shape: number[]; perm: number[] | null };
}

export interface Emitted {
  /** The Python expression constructing the module, or null for layers written inline. */
  module: string | null;
  /** The expression computing the layer's outputs from its inputs' expressions; `self` is `self.<attribute>`. */
  call(inputs: readonly string[], self: string): string;
  state: StateEntry[];
  /** Names of the model.py snippets the layer uses. */
  snippets: string[];
}

export interface LayerInput {
  type: string;
  params: Params;
  inputShapes: readonly Shape[];
  outputShapes: readonly Shape[];
  /** The layer's weights as tfjs lists them. */
  weights: readonly Weight[];
}

interface ActivationForm {
  /** The activation applied to an expression. */
  call: (x: string) => string;
  /** The activation as a callable, for modules that take one. */
  fn: string;
  snippet?: string;
}

/** Every activation NetCanvas offers (and the gates' hard_sigmoid), as TensorFlow.js computes it. */
const ACTIVATION_FORMS: Record<string, ActivationForm> = {
  linear: { call: (x) => x, fn: 'nn.Identity()' },
  relu: { call: (x) => `torch.relu(${x})`, fn: 'torch.relu' },
  relu6: { call: (x) => `F.relu6(${x})`, fn: 'F.relu6' },
  // tfjs's gelu is the exact one (with erf), as PyTorch's default.
  gelu: { call: (x) => `F.gelu(${x})`, fn: 'F.gelu' },
  sigmoid: { call: (x) => `torch.sigmoid(${x})`, fn: 'torch.sigmoid' },
  tanh: { call: (x) => `torch.tanh(${x})`, fn: 'torch.tanh' },
  softmax: { call: (x) => `torch.softmax(${x}, dim=-1)`, fn: 'nn.Softmax(dim=-1)' },
  elu: { call: (x) => `F.elu(${x})`, fn: 'F.elu' },
  selu: { call: (x) => `torch.selu(${x})`, fn: 'torch.selu' },
  swish: { call: (x) => `F.silu(${x})`, fn: 'F.silu' },
  softplus: { call: (x) => `F.softplus(${x})`, fn: 'F.softplus' },
  softsign: { call: (x) => `F.softsign(${x})`, fn: 'F.softsign' },
  hard_sigmoid: { call: (x) => `hard_sigmoid(${x})`, fn: 'hard_sigmoid', snippet: 'hard_sigmoid' },
  hardSigmoid: { call: (x) => `hard_sigmoid(${x})`, fn: 'hard_sigmoid', snippet: 'hard_sigmoid' },
};

function activationForm(name: unknown): ActivationForm {
  const form = typeof name === 'string' ? ACTIVATION_FORMS[name] : undefined;
  if (!form) throw new Unsupported(`the activation ${JSON.stringify(name)} has no PyTorch form in this export`);
  return form;
}

const py = (value: unknown): string => {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return value.length === 1 ? `(${py(value[0])},)` : `(${value.map(py).join(', ')})`;
  throw new Error(`No Python literal for ${JSON.stringify(value)}.`);
};

/** A float as Python writes it, always with a decimal point or exponent. */
const pyFloat = (value: number): string => (Number.isInteger(value) ? `${value}.0` : String(value));

function entry(key: string, w: Weight, perm?: readonly number[], shape?: readonly number[]): StateEntry {
  const moved = perm ? permute(w.values, w.shape, perm) : { shape: [...w.shape], values: w.values };
  return { key, shape: shape ? [...shape] : moved.shape, values: moved.values, from: { name: w.name, shape: [...w.shape], perm: perm ? [...perm] : null } };
}

/** The weight whose tfjs name ends with `/suffix` (or is `suffix`). */
function named(weights: readonly Weight[], suffix: string): Weight {
  const found = weights.find((w) => w.name === suffix || w.name.endsWith(`/${suffix}`));
  if (!found) throw new Error(`No weight named …/${suffix} among ${weights.map((w) => w.name).join(', ') || 'none'}.`);
  return found;
}

const maybe = (weights: readonly Weight[], suffix: string): Weight | undefined => weights.find((w) => w.name === suffix || w.name.endsWith(`/${suffix}`));

/** F.pad's order for channels-first tensors: the last spatial axis first. */
function padArgument(pads: readonly [number, number][]): string {
  return py([...pads].reverse().flat());
}

const dims = (shape: Shape): number[] => shape.slice(1).map((d) => d ?? -1);

const dense = (params: Params, weights: readonly Weight[], inShape: Shape): Emitted => {
  const features = inShape.at(-1)!;
  const act = activationForm(params.activation);
  const [kernel, bias] = weights;
  return {
    module: `nn.Linear(${features}, ${py(params.units)}, bias=${py(params.useBias)})`,
    call: ([x], self) => act.call(`${self}(${x})`),
    state: [entry('weight', kernel!, [1, 0]), ...(bias ? [entry('bias', bias)] : [])],
    snippets: act.snippet ? [act.snippet] : [],
  };
};

function convolution(type: string, p: Params, weights: readonly Weight[], inShape: Shape): Emitted {
  const spatial = type === 'Conv1D' ? 1 : 2;
  const sizes = dims(inShape).slice(0, spatial);
  const channels = inShape.at(-1)!;
  const kernel = p.kernelSize as number[];
  const strides = p.strides as number[];
  const dilation = (p.dilationRate as number[] | undefined) ?? sizes.map(() => 1);
  const pads = sizes.map((s, i) => tfPadding(s, kernel[i]!, strides[i]!, dilation[i]!, p.padding as string));
  const act = activationForm(p.activation);
  const snippets = ['Conv', ...(act.snippet ? [act.snippet] : [])];
  const call = (x: string, self: string) => act.call(`${self}(${x})`);
  const [k, bias] = weights;
  const biasEntry = bias && p.useBias ? [entry('bias', bias)] : [];
  const common = `stride=${py(strides)}, bias=${py(p.useBias)}, tf_padding=${padArgument(pads)}`;
  if (type === 'DepthwiseConv2D') {
    const multiplier = p.depthMultiplier as number;
    const [h, w] = kernel as [number, number];
    const flat = { ...k!, shape: [h, w, channels * multiplier] };
    return {
      module: `Conv2d(${channels}, ${channels * multiplier}, ${py(kernel)}, groups=${channels}, ${common})`,
      call: ([x], self) => call(x!, self),
      state: [entry('weight', flat, [2, 0, 1], [channels * multiplier, 1, h, w]), ...biasEntry],
      snippets,
    };
  }
  if (type === 'SeparableConv2D') {
    const multiplier = p.depthMultiplier as number;
    const [h, w] = kernel as [number, number];
    const [depthwise, pointwise, b] = weights;
    const flat = { ...depthwise!, shape: [h, w, channels * multiplier] };
    return {
      module: `SeparableConv2d(${channels}, ${py(p.filters)}, ${py(kernel)}, stride=${py(strides)}, dilation=${py(dilation)}, depth_multiplier=${multiplier}, bias=${py(p.useBias)}, tf_padding=${padArgument(pads)})`,
      call: ([x], self) => call(x!, self),
      state: [
        entry('depthwise.weight', flat, [2, 0, 1], [channels * multiplier, 1, h, w]),
        entry('pointwise.weight', pointwise!, [3, 2, 0, 1]),
        ...(b && p.useBias ? [entry('pointwise.bias', b)] : []),
      ],
      snippets: ['SeparableConv2d', ...snippets],
    };
  }
  const cls = spatial === 1 ? 'Conv1d' : 'Conv2d';
  return {
    module: `${cls}(${channels}, ${py(p.filters)}, ${py(kernel)}, dilation=${py(dilation)}, ${common})`,
    call: ([x], self) => call(x!, self),
    state: [entry('weight', k!, spatial === 1 ? [2, 1, 0] : [3, 2, 0, 1]), ...biasEntry],
    snippets,
  };
}

function convTranspose(p: Params, weights: readonly Weight[], inShape: Shape, outShape: Shape): Emitted {
  const sizes = dims(inShape).slice(0, 2);
  const out = dims(outShape).slice(0, 2);
  const kernel = p.kernelSize as number[];
  const strides = p.strides as number[];
  const channels = inShape.at(-1)!;
  // The full transposed convolution is cropped as TensorFlow crops it: what "same" padding takes before, then the output's size.
  const crop = sizes.map((s, i) => (p.padding === 'same' ? Math.floor(Math.max(kernel[i]! - strides[i]!, 0) / 2) : 0));
  const outputPadding = sizes.map((s, i) => Math.max(0, crop[i]! + out[i]! - ((s - 1) * strides[i]! + kernel[i]!)));
  const act = activationForm(p.activation);
  const [k, bias] = weights;
  return {
    module: `ConvTranspose2d(${channels}, ${py(p.filters)}, ${py(kernel)}, stride=${py(strides)}, output_padding=${py(outputPadding)}, bias=${py(p.useBias)}, crop=${py(crop)}, size=${py(out)})`,
    call: ([x], self) => act.call(`${self}(${x})`),
    // tfjs's kernel is (height, width, filters, channels); PyTorch's (channels, filters, height, width).
    state: [entry('weight', k!, [3, 2, 0, 1]), ...(bias && p.useBias ? [entry('bias', bias)] : [])],
    snippets: ['ConvTranspose2d', ...(act.snippet ? [act.snippet] : [])],
  };
}

function pooling(type: string, p: Params, inShape: Shape): Emitted {
  const spatial = type.endsWith('1D') ? 1 : 2;
  const sizes = dims(inShape).slice(0, spatial);
  const window = p.poolSize as number[];
  const strides = (p.strides as number[] | null) ?? window;
  const pads = sizes.map((s, i) => tfPadding(s, window[i]!, strides[i]!, 1, p.padding as string));
  const kind = type.startsWith('Max') ? 'max' : 'average';
  return { module: `Pool('${kind}', ${py(window)}, ${py(strides)}, tf_padding=${padArgument(pads)})`, call: ([x], self) => `${self}(${x})`, state: [], snippets: ['Pool'] };
}

const inline = (call: (inputs: readonly string[]) => string, snippets: string[] = []): Emitted => ({ module: null, call: (inputs) => call(inputs), state: [], snippets });

/** An input of lower rank gains axes after the batch, as tfjs-layers' merges do. */
function lifted(inputs: readonly string[], shapes: readonly Shape[]): string[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  return inputs.map((x, i) => {
    const missing = rank - shapes[i]!.length;
    return missing === 0 ? x : `${x}[:, ${Array.from({ length: missing }, () => 'None').join(', ')}]`;
  });
}

function recurrentModule(ref: { type: string; params: Params }, features: number, goBackwards: boolean): { module: string; snippets: string[] } {
  const p = ref.params;
  const act = activationForm(p.activation);
  const gate = ref.type === 'SimpleRNN' ? null : activationForm(p.recurrentActivation);
  const snippets = ['Recurrent', ...[act.snippet, gate?.snippet].filter((s): s is string => Boolean(s))];
  const args = [
    `'${ref.type}'`,
    String(features),
    py(p.units),
    act.fn,
    ...(gate ? [`recurrent_activation=${gate.fn}`] : []),
    `bias=${py(p.useBias)}`,
    `return_sequences=${py(p.returnSequences)}`,
    `return_state=${py(p.returnState)}`,
    `go_backwards=${py(goBackwards)}`,
    `dropout=${pyFloat(p.dropout as number)}`,
    `recurrent_dropout=${pyFloat(p.recurrentDropout as number)}`,
  ];
  return { module: `Recurrent(${args.join(', ')})`, snippets };
}

function recurrentState(prefix: string, weights: readonly Weight[]): StateEntry[] {
  const [kernel, recurrentKernel, bias] = weights;
  return [entry(`${prefix}weight_ih`, kernel!, [1, 0]), entry(`${prefix}weight_hh`, recurrentKernel!, [1, 0]), ...(bias ? [entry(`${prefix}bias`, bias)] : [])];
}

function attentionState(prefix: string, weights: readonly Weight[], within: string): StateEntry[] {
  const out: StateEntry[] = [];
  for (const [tfjs, torch] of [
    ['query', 'query'],
    ['key', 'key'],
    ['value', 'value'],
  ] as const) {
    const kernel = named(weights, `${within}${tfjs}/kernel`);
    const [input, heads, size] = kernel.shape as [number, number, number];
    out.push(entry(`${prefix}${torch}.weight`, { ...kernel, shape: [input, heads * size] }, [1, 0]));
    const bias = maybe(weights, `${within}${tfjs}/bias`);
    if (bias) out.push(entry(`${prefix}${torch}.bias`, bias, undefined, [heads * size]));
  }
  const kernel = named(weights, `${within}attention_output/kernel`);
  const [heads, size, features] = kernel.shape as [number, number, number];
  out.push(entry(`${prefix}output.weight`, { ...kernel, shape: [heads * size, features] }, [1, 0]));
  const bias = maybe(weights, `${within}attention_output/bias`);
  if (bias) out.push(entry(`${prefix}output.bias`, bias));
  return out;
}

/** The PyTorch form of one layer. */
export function emitLayer(layer: LayerInput): Emitted {
  const { type, params: p, inputShapes, outputShapes, weights } = layer;
  const inShape = inputShapes[0]!;
  const outShape = outputShapes[0]!;
  switch (type) {
    case 'Dense':
      return dense(p, weights, inShape);
    case 'Activation': {
      const act = activationForm(p.activation);
      return inline(([x]) => act.call(x!), act.snippet ? [act.snippet] : []);
    }
    case 'Dropout':
      return { module: `nn.Dropout(${pyFloat(p.rate as number)})`, call: ([x], self) => `${self}(${x})`, state: [], snippets: [] };
    case 'Flatten':
      return inline(([x]) => `${x}.flatten(1)`);
    case 'LeakyReLU':
      return inline(([x]) => `F.leaky_relu(${x}, ${pyFloat(p.alpha as number)})`);
    case 'ReLU': {
      const max = p.maxValue as number | null;
      const slope = p.negativeSlope as number;
      const threshold = p.threshold as number;
      if (max === null && slope === 0 && threshold === 0) return inline(([x]) => `torch.relu(${x})`);
      return inline(([x]) => `relu_layer(${x}, ${max === null ? 'None' : pyFloat(max)}, ${pyFloat(slope)}, ${pyFloat(threshold)})`, ['relu_layer']);
    }
    case 'GaussianNoise':
      return { module: `GaussianNoise(${pyFloat(p.stddev as number)})`, call: ([x], self) => `${self}(${x})`, state: [], snippets: ['GaussianNoise'] };
    case 'Conv1D':
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D':
      return convolution(type, p, weights, inShape);
    case 'Conv2DTranspose':
      return convTranspose(p, weights, inShape, outShape);
    case 'MaxPooling1D':
    case 'MaxPooling2D':
    case 'AveragePooling1D':
    case 'AveragePooling2D':
      return pooling(type, p, inShape);
    case 'GlobalMaxPooling1D':
    case 'GlobalMaxPooling2D':
    case 'GlobalAveragePooling1D':
    case 'GlobalAveragePooling2D': {
      const axes = type.endsWith('1D') ? '1' : '(1, 2)';
      return inline(([x]) => (type.startsWith('GlobalMax') ? `${x}.amax(dim=${axes})` : `${x}.mean(dim=${axes})`));
    }
    case 'Reshape':
      return inline(([x]) => `${x}.reshape(-1, ${dims(outShape).join(', ')})`);
    case 'Permute':
      return inline(([x]) => `${x}.permute(0, ${(p.dims as number[]).join(', ')})`);
    case 'RepeatVector':
      return inline(([x]) => `${x}.unsqueeze(1).repeat(1, ${py(p.n)}, 1)`);
    case 'UpSampling2D': {
      const [h, w] = p.size as [number, number];
      if (p.interpolation === 'bilinear') return inline(([x]) => `upsample_bilinear(${x}, (${h}, ${w}))`, ['upsample_bilinear']);
      return inline(([x]) => `${x}.repeat_interleave(${h}, dim=1).repeat_interleave(${w}, dim=2)`);
    }
    case 'ZeroPadding2D': {
      const [t, b, l, r] = p.padding as number[];
      return inline(([x]) => `F.pad(${x}, (0, 0, ${l}, ${r}, ${t}, ${b}))`);
    }
    case 'Cropping2D': {
      const [t, b, l, r] = p.cropping as number[];
      const [h, w] = dims(inShape);
      return inline(([x]) => `${x}[:, ${t}:${h! - b!}, ${l}:${w! - r!}]`);
    }
    case 'BatchNormalization': {
      const features = inShape.at(-1)!;
      const gamma = maybe(weights, 'gamma');
      const beta = maybe(weights, 'beta');
      return {
        module: `BatchNorm(${features}, eps=${pyFloat(p.epsilon as number)}, momentum=${pyFloat(Number((1 - (p.momentum as number)).toPrecision(12)))}, center=${py(p.center)}, scale=${py(p.scale)})`,
        call: ([x], self) => `${self}(${x})`,
        state: [
          ...(p.scale && gamma ? [entry('weight', gamma)] : []),
          ...(p.center && beta ? [entry('bias', beta)] : []),
          entry('running_mean', named(weights, 'moving_mean')),
          entry('running_var', named(weights, 'moving_variance')),
        ],
        snippets: ['BatchNorm'],
      };
    }
    case 'LayerNormalization': {
      const rank = inShape.length;
      const axes = (p.axis as number[]).map((a) => (a < 0 ? a + rank : a));
      const sizes = axes.map((a) => inShape[a]!);
      const gamma = maybe(weights, 'gamma');
      const beta = maybe(weights, 'beta');
      const state = [...(p.scale && gamma ? [entry('weight', gamma)] : []), ...(p.center && beta ? [entry('bias', beta)] : [])];
      const trailing = axes.every((a, i) => a === rank - axes.length + i);
      if (trailing && p.center && p.scale) {
        return { module: `nn.LayerNorm(${py(sizes)}, eps=${pyFloat(p.epsilon as number)})`, call: ([x], self) => `${self}(${x})`, state, snippets: [] };
      }
      return {
        module: `LayerNorm(${py(axes)}, ${py(sizes)}, ${rank}, eps=${pyFloat(p.epsilon as number)}, center=${py(p.center)}, scale=${py(p.scale)})`,
        call: ([x], self) => `${self}(${x})`,
        state,
        snippets: ['LayerNorm'],
      };
    }
    case 'Embedding':
      return {
        module: `nn.Embedding(${py(p.inputDim)}, ${py(p.outputDim)})`,
        call: ([x], self) => `${self}(${x}.long())`,
        state: [entry('weight', weights[0]!)],
        snippets: [],
      };
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU': {
      const { module, snippets } = recurrentModule({ type, params: p }, inShape.at(-1)!, p.goBackwards as boolean);
      return { module, call: ([x], self) => `${self}(${x})`, state: recurrentState('', weights), snippets };
    }
    case 'Bidirectional': {
      const ref = p.layer as LayerRef;
      const inner = { type: ref.type, params: withDefaults(getLayerSpec(ref.type)!, ref.params) };
      const features = inShape.at(-1)!;
      const forward = recurrentModule(inner, features, inner.params.goBackwards as boolean);
      const backward = recurrentModule(inner, features, !(inner.params.goBackwards as boolean));
      const half = weights.length / 2;
      return {
        module: `Bidirectional(\n            ${forward.module},\n            ${backward.module},\n            '${p.mergeMode as string}')`,
        call: ([x], self) => `${self}(${x})`,
        state: [...recurrentState('forward_layer.', weights.slice(0, half)), ...recurrentState('backward_layer.', weights.slice(half))],
        snippets: ['Bidirectional', ...forward.snippets],
      };
    }
    case 'TimeDistributed': {
      const ref = p.layer as LayerRef;
      const steps = inShape[1]!;
      const step: Shape = [null, ...inShape.slice(2)];
      const stepOut: Shape = [null, ...outShape.slice(2)];
      const inner = emitLayer({ type: ref.type, params: withDefaults(getLayerSpec(ref.type)!, ref.params), inputShapes: [step], outputShapes: [stepOut], weights });
      return {
        ...inner,
        call: ([x], self) => `${inner.call([`${x}.reshape(-1, ${dims(step).join(', ')})`], self)}.reshape(-1, ${steps}, ${dims(stepOut).join(', ')})`,
      };
    }
    case 'MultiHeadAttention': {
      const [dq, dv, dk] = [inputShapes[0]!, inputShapes[1] ?? inputShapes[0]!, inputShapes[2] ?? inputShapes[1] ?? inputShapes[0]!].map((s) => s.at(-1)!);
      const keyDim = p.keyDim as number;
      const valueDim = (p.valueDim as number | null) ?? keyDim;
      return {
        module: `MultiHeadAttention(${dq}, ${dv}, ${dk}, num_heads=${py(p.numHeads)}, key_dim=${keyDim}, value_dim=${valueDim}, bias=${py(p.useBias)}, dropout=${pyFloat(p.dropout as number)}, causal=${py(p.useCausalMask)})`,
        call: (inputs, self) => `${self}(${inputs.join(', ')})`,
        state: attentionState('', weights, ''),
        snippets: ['MultiHeadAttention'],
      };
    }
    case 'TransformerEncoderBlock': {
      const features = inShape.at(-1)!;
      const act = activationForm(p.activation);
      const norm = (torch: string, tfjs: string) => [entry(`${torch}.weight`, named(weights, `${tfjs}/gamma`)), entry(`${torch}.bias`, named(weights, `${tfjs}/beta`))];
      const linear = (torch: string, tfjs: string) => [entry(`${torch}.weight`, named(weights, `${tfjs}/kernel`), [1, 0]), entry(`${torch}.bias`, named(weights, `${tfjs}/bias`))];
      return {
        module: `TransformerEncoder(${features}, ${py(p.intermediateDim)}, num_heads=${py(p.numHeads)}, activation=${act.fn}, dropout=${pyFloat(p.dropout as number)}, eps=${pyFloat(p.layerNormEpsilon as number)}, normalize_first=${py(p.normalizeFirst)})`,
        call: ([x], self) => `${self}(${x})`,
        state: [
          ...attentionState('attention.', weights, 'self_attention_layer/'),
          ...norm('attention_norm', 'self_attention_layer_norm'),
          ...norm('feedforward_norm', 'feedforward_layer_norm'),
          ...linear('intermediate', 'feedforward_intermediate_dense'),
          ...linear('output', 'feedforward_output_dense'),
        ],
        snippets: ['TransformerEncoder', ...(act.snippet ? [act.snippet] : [])],
      };
    }
    case 'PositionalEmbedding':
      return {
        module: `PositionEmbedding(${py(p.sequenceLength)}, ${inShape.at(-1)!})`,
        call: ([x], self) => `${self}(${x})`,
        state: [entry('embeddings', named(weights, 'embeddings'))],
        snippets: ['PositionEmbedding'],
      };
    case 'TokenAndPositionEmbedding':
      return {
        module: `TokenAndPositionEmbedding(${py(p.vocabularySize)}, ${py(p.sequenceLength)}, ${py(p.embeddingDim)})`,
        call: ([x], self) => `${self}(${x})`,
        state: [entry('token_embedding.weight', named(weights, 'token_embedding/embeddings')), entry('position_embedding', named(weights, 'position_embedding/embeddings'))],
        snippets: ['TokenAndPositionEmbedding'],
      };
    case 'Add':
    case 'Subtract':
    case 'Multiply':
      return inline((inputs) => lifted(inputs, inputShapes).join(type === 'Add' ? ' + ' : type === 'Subtract' ? ' - ' : ' * '));
    case 'Average':
      return inline((inputs) => `(${lifted(inputs, inputShapes).join(' + ')}) / ${inputs.length}`);
    case 'Maximum':
    case 'Minimum':
      return inline((inputs) => `torch.stack([${inputs.join(', ')}]).${type === 'Maximum' ? 'amax' : 'amin'}(dim=0)`);
    case 'Concatenate': {
      const axis = p.axis as number;
      return inline((inputs) => `torch.cat([${inputs.join(', ')}], dim=${axis < 0 ? axis + inShape.length : axis})`);
    }
    default:
      throw new Unsupported(`the layer type ${type} has no PyTorch form in this export yet`);
  }
}
