import { isLayerRef, type Params } from '../../../shared/graph/types.js';
import { getLayerSpec, withDefaults } from '../../../shared/layers/registry.js';

/**
 * How Keras 2.15 names and orders each layer type's weights, beside tfjs's names for the same
 * arrays. Keras and tfjs share every layout here (channels last, HWIO kernels, gates in the
 * same order, GRU with the reset gate before the recurrent weights as the JSON says), so only
 * names differ: Keras puts recurrent weights under their cell (`lstm/lstm_cell/kernel:0`).
 * A registry type missing here is refused, never written with guessed names.
 */

/** One weight: its name after `<tfjs layer>/` and after `<Keras layer>/` (without `:0`). */
export interface NamePair {
  tfjs: string;
  keras: string;
}

export interface LayoutContext {
  params: Params;
  /** The name Keras JSON gives a wrapped layer (Bidirectional's `layer.config.name`), if any. */
  nestedName: string | null;
}

/** The weights in Keras's order, or why they cannot be written. */
export type Layout = (context: LayoutContext) => NamePair[] | { refuse: string };

const NONE: Layout = () => [];

const same = (...names: string[]): NamePair[] => names.map((n) => ({ tfjs: n, keras: n }));
const bias = (params: Params): string[] => (params.useBias ? ['bias'] : []);

const kernelAndBias: Layout = ({ params }) => same('kernel', ...bias(params));

/** SimpleRNN, LSTM and GRU build a cell of this name, which Keras puts in the weight names. */
function recurrent(cell: string): Layout {
  return ({ params }) => ['kernel', 'recurrent_kernel', ...bias(params)].map((n) => ({ tfjs: n, keras: `${cell}/${n}` }));
}

/** Keras's EinsumDense sub-layers of MultiHeadAttention, in the order Keras creates them. */
function attention(prefix: string, useBias: boolean): NamePair[] {
  return ['query', 'key', 'value', 'attention_output'].flatMap((dense) => same(...[`kernel`, ...(useBias ? ['bias'] : [])].map((w) => `${prefix}${dense}/${w}`)));
}

/** The wrapped layer's layout, or why there is none. */
function innerLayout(params: Params, wrapper: string): { pairs: NamePair[] } | { refuse: string } {
  const ref = params.layer;
  if (!isLayerRef(ref)) return { refuse: `${wrapper} has no layer to wrap.` };
  const spec = getLayerSpec(ref.type);
  const layout = LAYOUTS[ref.type];
  if (!spec || !layout) return { refuse: `NetCanvas does not know how Keras names the weights of ${ref.type} inside ${wrapper}.` };
  const pairs = layout({ params: withDefaults(spec, ref.params), nestedName: null });
  return 'refuse' in pairs ? pairs : { pairs };
}

export const LAYOUTS: Readonly<Record<string, Layout>> = {
  Input: NONE,
  Dense: kernelAndBias,
  Activation: NONE,
  Dropout: NONE,
  Flatten: NONE,
  LeakyReLU: NONE,
  ReLU: NONE,
  GaussianNoise: NONE,
  Conv1D: kernelAndBias,
  Conv2D: kernelAndBias,
  Conv2DTranspose: kernelAndBias,
  DepthwiseConv2D: ({ params }) => same('depthwise_kernel', ...bias(params)),
  SeparableConv2D: ({ params }) => same('depthwise_kernel', 'pointwise_kernel', ...bias(params)),
  MaxPooling1D: NONE,
  MaxPooling2D: NONE,
  AveragePooling1D: NONE,
  AveragePooling2D: NONE,
  GlobalMaxPooling1D: NONE,
  GlobalMaxPooling2D: NONE,
  GlobalAveragePooling1D: NONE,
  GlobalAveragePooling2D: NONE,
  Reshape: NONE,
  Permute: NONE,
  RepeatVector: NONE,
  UpSampling2D: NONE,
  ZeroPadding2D: NONE,
  Cropping2D: NONE,
  // Trainable gamma and beta, then the moving statistics: Keras's h5 order (trainable first) too.
  BatchNormalization: ({ params }) => same(...(params.scale ? ['gamma'] : []), ...(params.center ? ['beta'] : []), 'moving_mean', 'moving_variance'),
  LayerNormalization: ({ params }) => same(...(params.scale ? ['gamma'] : []), ...(params.center ? ['beta'] : [])),
  Embedding: () => same('embeddings'),
  SimpleRNN: recurrent('simple_rnn_cell'),
  LSTM: recurrent('lstm_cell'),
  GRU: recurrent('gru_cell'),
  // Keras renames its two copies forward_<name> and backward_<name>, each with its cell.
  Bidirectional: ({ params, nestedName }) => {
    const inner = innerLayout(params, 'Bidirectional');
    if ('refuse' in inner) return inner;
    if (!nestedName) return { refuse: 'Bidirectional has no wrapped layer name in its Keras JSON.' };
    return ['forward', 'backward'].flatMap((side) => inner.pairs.map((p) => ({ tfjs: `${side}_${nestedName}/${p.tfjs}`, keras: `${side}_${nestedName}/${p.keras}` })));
  },
  // Keras builds the wrapped layer inside TimeDistributed's own name: `time_distributed/kernel:0`.
  TimeDistributed: ({ params }) => {
    const inner = innerLayout(params, 'TimeDistributed');
    return 'refuse' in inner ? inner : inner.pairs;
  },
  MultiHeadAttention: ({ params }) => attention('', params.useBias === true),
  // keras-hub's layers: a ReversibleEmbedding with tied weights (one table) and a PositionEmbedding.
  TokenAndPositionEmbedding: () => same('token_embedding/embeddings', 'position_embedding/embeddings'),
  PositionalEmbedding: () => same('embeddings'),
  // keras-hub's TransformerEncoder builds its sub-layers in this order; key size = features / heads.
  TransformerEncoderBlock: () => [
    ...attention('self_attention_layer/', true),
    ...same('self_attention_layer_norm/gamma', 'self_attention_layer_norm/beta'),
    ...same('feedforward_layer_norm/gamma', 'feedforward_layer_norm/beta'),
    ...same('feedforward_intermediate_dense/kernel', 'feedforward_intermediate_dense/bias'),
    ...same('feedforward_output_dense/kernel', 'feedforward_output_dense/bias'),
  ],
  Add: NONE,
  Subtract: NONE,
  Multiply: NONE,
  Average: NONE,
  Maximum: NONE,
  Minimum: NONE,
  Concatenate: NONE,
};
