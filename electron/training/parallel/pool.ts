/**
 * Data-parallel training over worker threads: each step the batch is split into one shard per
 * thread, the main thread computes its own shard's gradient while each worker computes
 * another's on its own copy of the network, and the gradients are summed into the whole
 * batch's. The optimizer then takes one step with it, on the main thread: one large step, so a
 * run on several threads gives the weights a run on one gives (to float rounding).
 */
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { FromWorker, TensorData, ToWorker, WorkerSetup } from './protocol.js';
import { layoutWeights, shardGradients, shardRows, weightLayout, writeWeights, type WeightLayout } from './shard.js';
import { entryBeside } from '../process-entry.js';

/** A worker thread's entry: its TypeScript source through tsx's loader when this module runs from source, else the build. */
function startWorker(): Worker {
  const entry = entryBeside(import.meta.url, 'gradient-worker');
  if (entry.execArgv.length === 0) return new Worker(entry.path);
  // Node 20's workers take no --import: the thread registers tsx itself, then loads the source.
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const source = JSON.stringify(new URL(`file://${entry.path}`).href);
  return new Worker(`import(${api}).then((tsx) => { tsx.register(); return import(${source}); })`, { eval: true });
}

class GradientWorker {
  private pending: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | null = null;
  private ended: Error | null = null;
  /** Whether it holds every weight; until then, a step publishes all of them, not only the trainable ones. */
  hasAll = false;

  constructor(
    private readonly worker: Worker,
    readonly gradients: Float32Array,
  ) {
    worker.unref();
    worker.on('message', (message: FromWorker) => {
      const pending = this.pending;
      this.pending = null;
      pending?.resolve(message);
    });
    worker.on('error', (err) => this.end(new Error(`a training thread failed: ${err.message.split('\n')[0]}`)));
    worker.on('exit', (code) => this.end(new Error(`a training thread stopped (exit code ${code})`)));
  }

  private end(err: Error): void {
    this.ended ??= err;
    const pending = this.pending;
    this.pending = null;
    pending?.reject(err);
  }

  /** Sends one message and resolves with the answer; a failure in the thread rejects with its message. */
  request(message: ToWorker, transfer: ArrayBuffer[] = []): Promise<Extract<FromWorker, { type: 'ready' | 'done' }>> {
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => {
      this.pending = {
        resolve: (answer) => (answer.type === 'failed' ? reject(new Error(`a training thread failed: ${answer.message}`)) : resolve(answer)),
        reject,
      };
      this.worker.postMessage(message, transfer);
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

export interface PoolOptions {
  /** Threads in all, the main thread's included: the pool starts one worker fewer. */
  threads: number;
  /** A network of the graph the workers build: its weights' layout (trainable first) is the one they all share. */
  model: tf.LayersModel;
  setup: Omit<WorkerSetup, 'weights' | 'gradients' | 'size' | 'trainableSize'>;
  /** The run's seed: each worker's dropout masks in each step are drawn from it. */
  seed: number;
}

export interface PoolStep {
  /** The whole batch's gradient, by variable name, as an optimizer's applyGradients takes it. */
  grads: tf.NamedTensorMap;
  loss: number;
  acc: number | null;
}

/** A tensor's values read once, to be cut into shards of rows. */
class Rows {
  private readonly values: Float32Array | Int32Array;
  private readonly rowSize: number;

  constructor(private readonly t: tf.Tensor) {
    if (t.dtype !== 'float32' && t.dtype !== 'int32') throw new Error(`a ${t.dtype} tensor cannot be split over threads`);
    this.values = t.dataSync() as Float32Array | Int32Array;
    this.rowSize = t.shape.slice(1).reduce((a, b) => a * b, 1);
  }

  /** Rows [start, end) as a copy of their own, to be moved to a worker. */
  shard(start: number, end: number): TensorData {
    return { values: this.values.slice(start * this.rowSize, end * this.rowSize), shape: [end - start, ...this.t.shape.slice(1)], dtype: this.t.dtype as TensorData['dtype'] };
  }
}

/** The seed of one worker's dropout masks in one step: the run's seed, the step and the shard, mixed. */
const stepSeed = (seed: number, step: number, shard: number) => (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(step + 1, 0xc2b2ae35) + Math.imul(shard, 0x27d4eb2f)) >>> 0;

export class GradientPool {
  private used: number;
  private steps = 0;

  private constructor(
    private readonly workers: GradientWorker[],
    private readonly layout: WeightLayout,
    private readonly shared: Float32Array,
    private readonly seed: number,
  ) {
    this.used = workers.length + 1;
  }

  /** Starts `threads - 1` workers, each building the network; resolves once every one is ready. */
  static async start(options: PoolOptions): Promise<GradientPool> {
    if (options.threads < 2) throw new Error('a pool of gradient workers needs at least two threads');
    const layout = weightLayout(options.model);
    const weights = new SharedArrayBuffer(layout.size * 4);
    const workers: GradientWorker[] = [];
    try {
      for (let i = 1; i < options.threads; i++) {
        workers.push(new GradientWorker(startWorker(), new Float32Array(new SharedArrayBuffer(layout.trainableSize * 4))));
      }
      // Each worker loads tfjs and builds the network on its own thread, all at once.
      await Promise.all(
        workers.map((w, i) =>
          w.request({
            type: 'setup',
            setup: { ...options.setup, weights, gradients: w.gradients.buffer as SharedArrayBuffer, size: layout.size, trainableSize: layout.trainableSize },
          }),
        ),
      );
    } catch (err) {
      await Promise.all(workers.map((w) => w.close()));
      throw err;
    }
    return new GradientPool(workers, layout, new Float32Array(weights), options.seed);
  }

  /** Threads the pool has, the main thread's included. */
  get size(): number {
    return this.workers.length + 1;
  }

  /** Threads each step uses, the main thread's included: 1 leaves the step to the job's own thread. */
  get threads(): number {
    return this.used;
  }

  /** Steps from now on use this many threads, at most the pool's size. */
  use(threads: number): void {
    this.used = Math.max(1, Math.min(threads, this.size));
  }

  /**
   * For a new job's network: its next step publishes every weight, not only the trainable ones,
   * and the workers' dropout masks are drawn afresh from the seed, so what a trial trained
   * before it changes nothing.
   */
  reset(): void {
    this.steps = 0;
    for (const worker of this.workers) worker.hasAll = false;
  }

  /**
   * The gradient of `model`'s objective on the batch (x, y), computed a shard per thread. `model`
   * is the main thread's network: its weights are published to the workers first.
   */
  async step(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, withAccuracy: boolean): Promise<PoolStep> {
    const rows = x.shape[0]!;
    const ranges = shardRows(rows, this.used);
    const step = this.steps++;
    const used = this.workers.slice(0, ranges.length - 1);
    const weights = layoutWeights(model);
    const publishAll = used.some((w) => !w.hasAll);
    writeWeights(weights, this.layout, this.shared, publishAll ? weights.length : this.layout.trainable);
    const [xRows, yRows] = used.length > 0 ? [new Rows(x), new Rows(y)] : [null, null];
    const answers = used.map((worker, k) => {
      const [start, end] = ranges[k + 1]!;
      const message: ToWorker = {
        type: 'step',
        publish: worker.hasAll ? this.layout.trainable : weights.length,
        x: xRows!.shard(start, end),
        y: yRows!.shard(start, end),
        share: (end - start) / rows,
        seed: stepSeed(this.seed, step, k + 1),
      };
      worker.hasAll = true;
      return worker.request(message, [message.x.values.buffer as ArrayBuffer, message.y.values.buffer as ArrayBuffer]);
    });
    // The main thread's own shard, while the workers compute theirs.
    const [, mineEnd] = ranges[0]!;
    const x0 = x.slice(0, mineEnd);
    const y0 = y.slice(0, mineEnd);
    let mine;
    try {
      mine = shardGradients(model, x0, y0, mineEnd / rows, withAccuracy);
    } catch (err) {
      // The workers' answers are waited for all the same: a failure among them is this step's too, not an unhandled one.
      await Promise.allSettled(answers);
      throw err;
    } finally {
      tf.dispose([x0, y0]);
    }
    let done;
    try {
      done = (await Promise.all(answers)) as Array<Extract<FromWorker, { type: 'done' }>>;
    } catch (err) {
      tf.dispose(mine.grads);
      throw err;
    }
    const grads: tf.NamedTensorMap = {};
    tf.tidy(() => {
      mine.grads.forEach((g, i) => {
        const offset = this.layout.offsets[i]!;
        const shape = this.layout.shapes[i]!;
        const size = g.size;
        let sum: tf.Tensor = g;
        for (const worker of used) sum = tf.add(sum, tf.tensor(worker.gradients.slice(offset, offset + size), shape));
        grads[(model.trainableWeights[i]!.read() as tf.Variable).name] = tf.keep(sum);
      });
    });
    tf.dispose(mine.grads.filter((g) => !Object.values(grads).includes(g)));
    let loss = mine.loss;
    let acc = mine.acc;
    for (const answer of done) {
      loss += answer.loss;
      if (acc !== null && answer.acc !== null) acc += answer.acc;
    }
    return { grads, loss, acc };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
