import type { Graph } from '../../../shared/graph/types.js';
import type { Task } from '../../../shared/project/schema.js';
import type { LossSettings } from '../jobs/supervised.js';

/** A tensor crossing between threads: its values, shape and type. */
export interface TensorData {
  values: Float32Array | Int32Array;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** Everything a gradient worker needs to build the network the main thread trains, and where to meet it. */
export interface WorkerSetup {
  graph: Graph;
  task: Task;
  losses: LossSettings;
  outputIds: string[];
  backend: 'wasm' | 'cpu';
  /** The rows of a shard, for the warm-up steps the thread takes before it is ready. */
  rows: number;
  /** The weights, trainable first, as the main thread publishes them before each step (shard.ts's layout). */
  weights: SharedArrayBuffer;
  /** Where this thread writes its gradients, one per trainable weight, at the same offsets. */
  gradients: SharedArrayBuffer;
  /** Floats the layout must have, all and trainable: a check that both threads built the same network. */
  size: number;
  trainableSize: number;
}

export type ToWorker =
  | { type: 'setup'; setup: WorkerSetup }
  /**
   * Read the first `publish` weights, then compute this shard's gradient: its share of the batch
   * is `share`; its dropout masks are drawn from `seed`, so a run repeats for the same seed and threads.
   */
  | { type: 'step'; publish: number; x: TensorData; y: TensorData; share: number; seed: number };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; loss: number; acc: number | null }
  | { type: 'failed'; message: string };
