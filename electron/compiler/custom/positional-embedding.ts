import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types.js';

type LayerShape = tf.Shape;

function onlyTensor(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0]! : inputs;
}

function onlyShape(inputShape: LayerShape | LayerShape[]): LayerShape {
  return Array.isArray(inputShape[0]) ? (inputShape as LayerShape[])[0]! : (inputShape as LayerShape);
}

/** The first `steps` rows of a (sequenceLength, features) table; refuses sequences longer than the table. */
function positions(table: tf.LayerVariable, steps: number, layer: string): tf.Tensor2D {
  const [length, features] = table.shape as [number, number];
  if (steps > length) {
    throw new Error(`${layer} learns positions for sequences of up to ${length} steps but got ${steps}; raise its sequence length.`);
  }
  return tf.slice(table.read() as tf.Tensor2D, [0, 0], [steps, features]);
}

export interface PositionEmbeddingArgs extends LayerArgs {
  sequenceLength: number;
}

/**
 * A learned vector per position, added to a (batch, steps, features) input. Weights as
 * keras-hub's PositionEmbedding ("embeddings", (sequenceLength, features), Glorot uniform);
 * unlike it, the input is added here rather than left to a separate Add.
 */
export class PositionEmbedding extends tf.layers.Layer {
  static className = 'PositionEmbedding';
  readonly sequenceLength: number;
  private table: tf.LayerVariable | null = null;

  constructor(args: PositionEmbeddingArgs) {
    super(args);
    this.sequenceLength = args.sequenceLength;
    // Keras writes this layer as x + PositionEmbedding(x), whose Add keeps x's padding mask.
    this.supportsMasking = true;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = onlyShape(inputShape);
    const features = shape[shape.length - 1];
    if (shape.length !== 3 || features === null || features === undefined) {
      throw new Error(`${this.name} needs (batch, steps, features) with known features, but got [${shape.join(', ')}].`);
    }
    const steps = shape[1];
    if (steps !== null && steps !== undefined && steps > this.sequenceLength) {
      throw new Error(`${this.name} learns positions for up to ${this.sequenceLength} steps but its input has ${steps}.`);
    }
    this.table = this.addWeight('embeddings', [this.sequenceLength, features], 'float32', tf.initializers.glorotUniform({}));
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return [...onlyShape(inputShape)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyTensor(inputs);
      return tf.add(x, positions(this.table!, x.shape[1]!, this.name));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), sequenceLength: this.sequenceLength };
  }
}

export interface TokenAndPositionEmbeddingArgs extends LayerArgs {
  vocabularySize: number;
  sequenceLength: number;
  embeddingDim: number;
}

/**
 * keras-hub's TokenAndPositionEmbedding: token ids (batch, steps) → a learned vector per
 * token plus a learned vector per position, (batch, steps, embeddingDim).
 */
export class TokenAndPositionEmbedding extends tf.layers.Layer {
  static className = 'TokenAndPositionEmbedding';
  readonly vocabularySize: number;
  readonly sequenceLength: number;
  readonly embeddingDim: number;
  private tokens: tf.LayerVariable | null = null;
  private table: tf.LayerVariable | null = null;

  constructor(args: TokenAndPositionEmbeddingArgs) {
    super(args);
    this.vocabularySize = args.vocabularySize;
    this.sequenceLength = args.sequenceLength;
    this.embeddingDim = args.embeddingDim;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = onlyShape(inputShape);
    if (shape.length !== 2) throw new Error(`${this.name} needs token ids as (batch, steps), but got [${shape.join(', ')}].`);
    const steps = shape[1];
    if (steps !== null && steps !== undefined && steps > this.sequenceLength) {
      throw new Error(`${this.name} learns positions for up to ${this.sequenceLength} steps but its input has ${steps}.`);
    }
    // keras-hub's default embeddings_initializer "uniform" is RandomUniform(-0.05, 0.05), for both tables.
    const uniform = () => tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05 });
    this.tokens = this.addWeight('token_embedding/embeddings', [this.vocabularySize, this.embeddingDim], 'float32', uniform());
    this.table = this.addWeight('position_embedding/embeddings', [this.sequenceLength, this.embeddingDim], 'float32', uniform());
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return [...onlyShape(inputShape), this.embeddingDim];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const ids = onlyTensor(inputs);
      const [batch, steps] = ids.shape as [number, number];
      const flat = tf.reshape(tf.cast(ids, 'int32'), [batch * steps]);
      const embedded = tf.reshape(tf.gather(this.tokens!.read(), flat), [batch, steps, this.embeddingDim]);
      return tf.add(embedded, positions(this.table!, steps, this.name));
    });
  }

  /** Token ids carry no mask of their own; one arriving from upstream stops here, as in Keras. */
  override computeMask(): tf.Tensor | tf.Tensor[] {
    // tfjs's typings leave out the null (no mask) that its own computeMask returns.
    return null as unknown as tf.Tensor;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      vocabularySize: this.vocabularySize,
      sequenceLength: this.sequenceLength,
      embeddingDim: this.embeddingDim,
    };
  }
}

tf.serialization.registerClass(PositionEmbedding);
tf.serialization.registerClass(TokenAndPositionEmbedding);
