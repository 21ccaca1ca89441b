/**
 * Entry point of a Trainer process (child_process.fork, or Electron's utilityProcess in
 * the app). It owns tfjs: it picks the backend, loads data, compiles, trains and reports.
 */
import type * as tf from '@tensorflow/tfjs';
import { BatchCoalescer } from './coalesce.js';
import { TrainingError } from './errors.js';
import { batchesPerEpoch, trainClassifier } from './loop.js';
import type { FromTrainer, ToTrainer } from './protocol.js';
import { gradientProblem, selectBackend } from './tf-backend.js';
import type { TrainingEvent } from '../../shared/api/contract.js';
import { compileGraph, GraphError } from '../compiler/compile.js';
import { loadMnist } from '../data/mnist.js';

const EVENT_INTERVAL_MS = 100;

interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

/** utilityProcess exposes `process.parentPort`; a forked child uses `process.send`. */
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(message: FromTrainer): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

function onMessage(listener: (message: ToTrainer) => void): void {
  if (parentPort) parentPort.on('message', (e) => listener(e.data as ToTrainer));
  else process.on('message', (m) => listener(m as ToTrainer));
}

let stopRequested = false;
let running = false;

function emit(event: TrainingEvent): void {
  send({ type: 'event', event });
}

async function run(message: Extract<ToTrainer, { type: 'start' }>): Promise<void> {
  const { runId, project, config } = message;
  let backendName: Awaited<ReturnType<typeof selectBackend>>['name'] = 'cpu';
  try {
    let selection;
    try {
      selection = await selectBackend(config.backend);
    } catch (err) {
      throw new TrainingError('BACKEND', (err as Error).message);
    }
    backendName = selection.name;
    let data;
    try {
      data = await loadMnist(message.dataDir);
    } catch (err) {
      throw new TrainingError('DATA', `Could not read the MNIST data: ${(err as Error).message}`);
    }
    let model: tf.LayersModel;
    try {
      model = compileGraph(project.graph);
    } catch (err) {
      if (err instanceof GraphError) throw new TrainingError('GRAPH', err.message);
      throw err;
    }
    const missing = config.backend === 'auto' && selection.name === 'wasm' ? gradientProblem(model) : null;
    if (missing) {
      // Chosen automatically, WebAssembly gives way to plain JavaScript for what it cannot train.
      model.dispose();
      const fallback = await selectBackend('cpu');
      selection = { name: fallback.name, notes: [...selection.notes, `wasm: cannot train this network (${missing})`] };
      backendName = selection.name;
      model = compileGraph(project.graph);
    }
    emit({
      type: 'started',
      runId,
      backend: selection.name,
      backendNotes: selection.notes,
      epochs: config.epochs,
      batchesPerEpoch: batchesPerEpoch(data.train.count, config),
      trainSamples: data.train.count,
      validationSamples: data.test.count,
    });
    const coalescer = new BatchCoalescer(EVENT_INTERVAL_MS, (progress, points) => emit({ type: 'batch', runId, ...progress, points }));
    const result = await trainClassifier(model, data, config, {
      onBatch: (p) =>
        coalescer.push(
          { epoch: p.epoch, batch: p.batch, batchesPerEpoch: p.batchesPerEpoch, samplesPerSec: p.samplesPerSec },
          { step: p.step, loss: p.loss, acc: p.acc },
        ),
      onEpoch: (record) => {
        coalescer.flush();
        emit({ type: 'epoch', runId, record });
      },
      shouldStop: () => stopRequested,
    });
    coalescer.flush();
    model.dispose();
    emit({
      type: 'done',
      runId,
      reason: result.stopped ? 'stopped' : 'completed',
      backend: backendName,
      history: result.history,
      samplesPerSec: result.samplesPerSec,
    });
  } catch (err) {
    const code = err instanceof TrainingError ? err.code : 'CRASH';
    const messageText = err instanceof TrainingError ? err.message : `Training failed on the ${backendName} backend: ${(err as Error).message}`;
    emit({ type: 'error', runId, code, message: messageText });
  }
}

onMessage((message) => {
  switch (message.type) {
    case 'start':
      if (running) return;
      running = true;
      void run(message).finally(() => {
        // Give the last messages time to leave before the process ends.
        setTimeout(() => process.exit(0), 50);
      });
      break;
    case 'stop':
      stopRequested = true;
      break;
    default: {
      const unknown: never = message;
      throw new Error(`Unknown message ${JSON.stringify(unknown)}`);
    }
  }
});
