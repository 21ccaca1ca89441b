/**
 * A gradient worker: a thread with its own tfjs backend and its own copy of the network. Each
 * step it reads the weights the main thread published, computes its shard's share of the
 * batch's gradient and writes it where the main thread sums the shards.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { FromWorker, TensorData, ToWorker, WorkerSetup } from './protocol.js';
import { layoutWeights, readWeights, shardGradients, weightLayout, type WeightLayout } from './shard.js';
import { compileGraphWithZeros } from '../../compiler/compile.js';
import { seededRandom } from '../../data/random.js';
import { compileForTask } from '../jobs/supervised.js';
import { gradientOnZeros, selectBackend } from '../tf-backend.js';

interface Network {
  model: tf.LayersModel;
  weights: tf.LayerVariable[];
  layout: WeightLayout;
  withAccuracy: boolean;
  shared: Float32Array;
  gradients: Float32Array;
}

const port = parentPort!;
const send = (message: FromWorker) => port.postMessage(message);
let network: Network | null = null;

async function setUp(setup: WorkerSetup): Promise<Network> {
  await selectBackend(setup.backend);
  // Built with zeros: its first step reads every weight from the main thread, so drawing initial values (an LSTM's orthogonal draw takes long) would be wasted.
  const model = compileGraphWithZeros(setup.graph);
  const withAccuracy = compileForTask(model, setup.task, setup.losses, setup.outputIds, 'sgd');
  const layout = weightLayout(model);
  if (layout.size !== setup.size || layout.trainableSize !== setup.trainableSize) {
    throw new Error(`the network built here has ${layout.size} weights (${layout.trainableSize} trainable), the trainer's ${setup.size} (${setup.trainableSize})`);
  }
  warmUp(model, setup.rows);
  return { model, weights: layoutWeights(model), layout, withAccuracy, shared: new Float32Array(setup.weights), gradients: new Float32Array(setup.gradients) };
}

const WARM_UP_STEPS = 3;

/**
 * A few forward and backward passes on zeros, the size of a shard: a new thread's first steps
 * run cold (WebAssembly compiled at its baseline tier, kernels set up on first use), and would
 * otherwise be the first steps of training and of the Trainer's timing of threads.
 */
function warmUp(model: tf.LayersModel, rows: number): void {
  for (let i = 0; i < WARM_UP_STEPS; i++) gradientOnZeros(model, rows);
}

const tensorOf = (data: TensorData) => tf.tensor(data.values, data.shape, data.dtype);

function step(net: Network, message: Extract<ToWorker, { type: 'step' }>): FromWorker {
  readWeights(net.weights, net.layout, net.shared, message.publish);
  // tfjs draws dropout masks from Math.random.
  Math.random = seededRandom(message.seed);
  const x = tensorOf(message.x);
  const y = tensorOf(message.y);
  try {
    const result = shardGradients(net.model, x, y, message.share, net.withAccuracy);
    result.grads.forEach((g, i) => net.gradients.set(g.dataSync() as Float32Array, net.layout.offsets[i]));
    tf.dispose(result.grads);
    return { type: 'done', loss: result.loss, acc: result.acc };
  } finally {
    tf.dispose([x, y]);
  }
}

port.on('message', (message: ToWorker) => {
  void (async () => {
    try {
      if (message.type === 'setup') {
        network = await setUp(message.setup);
        send({ type: 'ready' });
      } else {
        if (!network) throw new Error('a step came before the network was set up');
        send(step(network, message));
      }
    } catch (err) {
      send({ type: 'failed', message: (err as Error).message.split('\n')[0]! });
    }
  })();
});
