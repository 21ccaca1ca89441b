import { getLayerSpec, withDefaults, type LayerType } from '../../shared/layers/registry.js';
import { describeNode, type ModelToExport, type Refusal } from './model.js';

/**
 * Where the padding mask of an Embedding with Mask zero goes, and which layers compute with it,
 * in TensorFlow.js 4.22 (what trained the model) and in Keras 2.15 (what a Keras export runs in).
 *
 * tfjs hands a layer its first input's mask (`kwargs.mask = inputMasks[0]`), and a layer passes a
 * mask on only where it sets `supportsMasking` (its computeMask decides what goes on: the same mask,
 * none, or for the merges a mask of every input's). Layers without `supportsMasking` (convolutions,
 * pooling, Flatten, Reshape, Permute, RepeatVector, global pooling…) drop it silently.
 */

/** How a layer's output mask comes from its inputs' masks. */
type Carry =
  /** supportsMasking off: no mask goes on. */
  | 'none'
  /** The first input's mask goes on (single-input layers, Subtract, MultiHeadAttention's query). */
  | 'first'
  /** Any input's mask goes on (the merges combine them). */
  | 'any'
  /** Recurrent layers: the input's mask goes on only with Return sequences. */
  | 'sequences'
  /** Embedding: its own mask, where Mask zero is on. */
  | 'own';

/** Which input masks a layer computes with. */
type Use = 'never' | 'first' | 'any';

interface MaskRule {
  carry: Carry;
  /** What tfjs 4.22's layer computes with. */
  tfjs: Use;
  /** What Keras 2.15's layer computes with, when predicting. */
  keras: Use;
  /** Why the mask changes this layer's values, in words. */
  why?: string;
}

const PASS: MaskRule = { carry: 'first', tfjs: 'never', keras: 'never' };
const DROP: MaskRule = { carry: 'none', tfjs: 'never', keras: 'never' };
const MERGE: MaskRule = { carry: 'any', tfjs: 'never', keras: 'never' };
const RECURRENT: MaskRule = { carry: 'sequences', tfjs: 'first', keras: 'first', why: 'skips the padding steps (id 0), carrying its state over them' };

/**
 * Every registry layer type's rule; typed by the registry, so a new layer type does not compile
 * until it says what it does with a mask.
 */
const RULES: Readonly<Record<LayerType, MaskRule>> = {
  Input: DROP,
  Dense: PASS,
  Activation: PASS,
  Dropout: PASS,
  Flatten: DROP,
  LeakyReLU: PASS,
  ReLU: PASS,
  GaussianNoise: PASS,
  Conv1D: DROP,
  Conv2D: DROP,
  Conv2DTranspose: DROP,
  DepthwiseConv2D: DROP,
  SeparableConv2D: DROP,
  MaxPooling1D: DROP,
  MaxPooling2D: DROP,
  AveragePooling1D: DROP,
  AveragePooling2D: DROP,
  GlobalMaxPooling1D: DROP,
  GlobalMaxPooling2D: DROP,
  // Keras's averages only the steps the mask keeps; tfjs's has no supportsMasking and averages every step.
  GlobalAveragePooling1D: { carry: 'none', tfjs: 'never', keras: 'first', why: 'averages only the steps that are not padding (id 0)' },
  GlobalAveragePooling2D: DROP,
  Reshape: DROP,
  Permute: DROP,
  RepeatVector: DROP,
  UpSampling2D: DROP,
  ZeroPadding2D: DROP,
  Cropping2D: DROP,
  // Keras 2.15's BatchNormalization reads the mask only for the batch statistics of training;
  // predicting uses the moving statistics, the same in both.
  BatchNormalization: PASS,
  LayerNormalization: PASS,
  Embedding: { carry: 'own', tfjs: 'never', keras: 'never' },
  SimpleRNN: RECURRENT,
  LSTM: RECURRENT,
  GRU: RECURRENT,
  Bidirectional: RECURRENT,
  // tfjs's TimeDistributed passes the mask on but runs its layer with none; Keras's hands the
  // mask to its layer, which for the layers it can wrap over steps changes nothing.
  TimeDistributed: PASS,
  TokenAndPositionEmbedding: DROP,
  PositionalEmbedding: PASS,
  // Keras masks scores by the query's and the value's masks; NetCanvas's tfjs layer gets only
  // its first input's (the query's) and uses it for both.
  MultiHeadAttention: { carry: 'first', tfjs: 'first', keras: 'any', why: 'leaves the padding steps (id 0) out of attention' },
  TransformerEncoderBlock: { carry: 'first', tfjs: 'first', keras: 'first', why: 'leaves the padding steps (id 0) out of attention' },
  Add: MERGE,
  Subtract: PASS,
  Multiply: MERGE,
  Average: MERGE,
  Maximum: MERGE,
  Minimum: MERGE,
  Concatenate: MERGE,
};

/** The Embeddings whose masks make up a mask (empty: no mask). */
type Origins = ReadonlySet<string>;
const NONE: Origins = new Set();

function union(sets: readonly Origins[]): Origins {
  const out = new Set<string>();
  for (const s of sets) for (const id of s) out.add(id);
  return out;
}

const sameOrigins = (a: Origins, b: Origins) => a.size === b.size && [...a].every((id) => b.has(id));

function ruleOf(type: string): MaskRule {
  return (RULES as Record<string, MaskRule | undefined>)[type] ?? DROP;
}

/** A layer that computes with a padding mask, the Embeddings it comes from, and why it matters. */
export interface MaskUse {
  nodeId: string;
  embeddingIds: string[];
  why: string;
}

/** Each node's input masks (by input slot) as tfjs propagates them. */
function inputMasks(model: ModelToExport): Map<string, Origins[]> {
  const { graph, inference } = model;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const out = new Map<string, Origins>();
  const ins = new Map<string, Origins[]>();
  for (const id of inference.order) {
    const node = byId.get(id)!;
    const masks = (inference.portsOf[id] ?? []).map((p) => out.get(p.node) ?? NONE);
    ins.set(id, masks);
    const rule = ruleOf(node.type);
    const spec = getLayerSpec(node.type);
    const params = spec ? withDefaults(spec, node.params) : node.params;
    let mask: Origins;
    switch (rule.carry) {
      case 'none':
        mask = NONE;
        break;
      case 'first':
        mask = masks[0] ?? NONE;
        break;
      case 'any':
        mask = union(masks);
        break;
      case 'sequences': {
        const inner = node.type === 'Bidirectional' ? (params.layer as { params?: Record<string, unknown> } | undefined)?.params : params;
        mask = inner?.returnSequences === true ? (masks[0] ?? NONE) : NONE;
        break;
      }
      case 'own':
        mask = params.maskZero === true ? new Set([id]) : NONE;
        break;
    }
    out.set(id, mask);
  }
  return ins;
}

function used(use: Use, masks: readonly Origins[]): Origins {
  if (use === 'never') return NONE;
  return use === 'first' ? (masks[0] ?? NONE) : union(masks);
}

/** The layers whose tfjs computation depends on a padding mask: a target without masks cannot match them. */
export function tfjsMaskUses(model: ModelToExport): MaskUse[] {
  const uses: MaskUse[] = [];
  for (const [id, masks] of inputMasks(model)) {
    const rule = ruleOf(model.graph.nodes.find((n) => n.id === id)!.type);
    const origins = used(rule.tfjs, masks);
    if (origins.size > 0) uses.push({ nodeId: id, embeddingIds: [...origins], why: rule.why ?? 'computes with the padding mask' });
  }
  return uses;
}

/** The layers Keras would compute with a padding mask where tfjs does not (or with another one). */
export function kerasOnlyMaskUses(model: ModelToExport): MaskUse[] {
  const uses: MaskUse[] = [];
  for (const [id, masks] of inputMasks(model)) {
    const type = model.graph.nodes.find((n) => n.id === id)!.type;
    const rule = ruleOf(type);
    const keras = used(rule.keras, masks);
    if (keras.size === 0) continue;
    const tfjs = used(rule.tfjs, masks);
    // tfjs applies its first input's mask to every input; Keras gives each input its own.
    const differs = tfjs.size === 0 || (rule.keras === 'any' && masks.some((m) => !sameOrigins(m, masks[0] ?? NONE)));
    if (!differs) continue;
    const why =
      tfjs.size === 0
        ? `Keras's ${type} ${rule.why ?? 'computes with the padding mask'}, where TensorFlow.js's ignores the mask`
        : `Keras's ${type} ${rule.why ?? 'computes with the padding mask'} by each input's own mask, where TensorFlow.js's uses its first input's mask for all of them`;
    uses.push({ nodeId: id, embeddingIds: [...keras], why });
  }
  return uses;
}

/** One refusal per Embedding, naming the first layer that reads its mask. */
function atEmbeddings(model: ModelToExport, uses: readonly MaskUse[], reason: (use: MaskUse, reader: string) => string): Refusal[] {
  const refusals: Refusal[] = [];
  const done = new Set<string>();
  for (const use of uses) {
    for (const embeddingId of use.embeddingIds) {
      if (done.has(embeddingId)) continue;
      done.add(embeddingId);
      refusals.push({ nodeId: embeddingId, layer: describeNode(model.graph, embeddingId), reason: reason(use, describeNode(model.graph, use.nodeId)) });
    }
  }
  return refusals;
}

/**
 * For a target that carries no masks (ONNX, PyTorch): each Embedding with Mask zero whose mask a
 * layer computes with in tfjs, with the reason in `target`'s words.
 */
export function maskRefusals(model: ModelToExport, target: string): Refusal[] {
  return atEmbeddings(
    model,
    tfjsMaskUses(model),
    (use, reader) => `Mask zero is on, so ${reader} after it ${use.why}, which the ${target} export cannot do: turn Mask zero off to export to ${target}.`,
  );
}

/** For Keras: each Embedding with Mask zero whose mask Keras would use where TensorFlow.js does not. */
export function kerasMaskRefusals(model: ModelToExport): Refusal[] {
  return atEmbeddings(
    model,
    kerasOnlyMaskUses(model),
    (use, reader) => `Mask zero is on and reaches ${reader}: ${use.why}, so the Keras model would compute something else: turn Mask zero off to export to Keras.`,
  );
}
