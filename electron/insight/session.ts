import type * as tf from '@tensorflow/tfjs';
import type { ImageBatch } from '../../shared/api/images.js';
import type { InsightInfo } from '../../shared/api/insight.js';
import type { Inference } from '../../shared/graph/infer.js';
import type { Graph } from '../../shared/graph/types.js';
import type { Project } from '../../shared/project/schema.js';
import type { LoadedDataset, Split } from '../data/dataset.js';
import type { ResolvedRunConfig } from '../training/run-config.js';

/**
 * A trained run held open in the Analyst process: its network with the checkpoint's weights,
 * its data, and what the tabs' tools need to know of them. Opened once per run and checkpoint
 * (`open.ts`), then every question about the run is answered from it.
 */
export interface Session {
  runId: string;
  project: Project;
  settings: ResolvedRunConfig;
  /** The network that answers: a GAN's generator. */
  graph: Graph;
  inference: Inference;
  model: tf.LayersModel;
  /** A GAN's discriminator, with its graph. */
  discriminator: { graph: Graph; model: tf.LayersModel } | null;
  data: LoadedDataset;
  /** The run's test split and the part of training it held back for validation. */
  splits: { test: Split; validation: Split };
  /**
   * For each split's example, its index in the dataset's own split: `test` rows index
   * `data.test`; `validation` rows index `data.train`, or `data.test` for a run that validated
   * on the test split (`validationOf`). Tables' cells and groups are read through them.
   */
  rows: { test: Uint32Array; validation: Uint32Array };
  validationOf: 'train' | 'test';
  /** The graph node id of each tfjs layer name, and back. */
  layerOfNode: ReadonlyMap<string, string>;
  nodeOfLayer: ReadonlyMap<string, string>;
  info: InsightInfo;
}

/** An input made ready for the network: a batch of one. */
export interface PreparedInput {
  /** (1, ...inputShape): pixels in [0, 1], a table row encoded and standardized, token ids. */
  tensor: tf.Tensor;
  /** An image input as the network sees it, to show. */
  seen?: ImageBatch;
  /** A text's tokens, one per position of `tensor` that holds a word ('' for padding). */
  tokens?: string[];
  /** The true class or value, when the input was an example of the data. */
  truth?: { label?: number; values?: number[] };
}

export { InputError } from '../data/dataset.js';
