/**
 * Entry point of a Trainer process (child_process.fork, or Electron's utilityProcess in
 * the app). It owns tfjs: it picks the backend, loads data, compiles, trains and reports.
 */
import { mkdir } from 'node:fs/promises';
import { describeTaken, loadCheckpoint, loadWeightsByName, exportModel, type CheckpointState, type LoadedCheckpoint, type WeightsTaken } from './checkpoint.js';
import { BatchCoalescer } from './coalesce.js';
import { TrainingError } from './errors.js';
import { createJob } from './jobs/create.js';
import type { TrainingJob } from './jobs/job.js';
import { seededRandom } from '../data/random.js';
import { healthBefore, healthRecorder, nodeNames, type HealthRecorder } from './health.js';
import { batchesPerEpoch, runLoop } from './loop.js';
import type { FromTrainer, ToTrainer } from './protocol.js';
import { layerLackingGradient } from './kernel-check.js';
import { chooseFasterBackend, selectBackend, type BackendSelection } from './tf-backend.js';
import type { BackendName, TrainingEvent } from '../../shared/api/contract.js';
import { GraphError } from '../compiler/compile.js';
import { parentChannel } from './parent-channel.js';
// The one module of training/ that imports the PyTorch engine: the Trainer's entry point composes the engines.
import { pytorchJob } from '../pytorch/job.js';
import type { GradientPool } from './parallel/pool.js';
import { threadsForRun } from './parallel/setup.js';

const EVENT_INTERVAL_MS = 100;

const { send, onMessage } = parentChannel<FromTrainer, ToTrainer>();

const control = {
  stop: false,
  paused: false,
  sampleRequest: null as number | null,
  waiters: [] as Array<() => void>,
  wake() {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  },
};
let running = false;
/** The run this process trains, and its default temperature for on-demand samples. */
let current: { runId: string; temperature: number } | null = null;
/** Set once the loop trains: until then a stop has nothing to save and ends the run at once. */
let training = false;
/** Set once `done` or `error` is sent: a run ends once. */
let ended = false;
/** The backend the run trains on, once one is chosen. */
let backendName: BackendName | null = null;
/** The worker threads the run's job shares its batches with, when it trains on more than one. */
let pool: GradientPool | null = null;

function emit(event: TrainingEvent): void {
  if (ended) return;
  if (event.type === 'done' || event.type === 'error') ended = true;
  send({ type: 'event', event });
}

/** Ends the process once the last messages have had time to leave. */
function exitSoon(code: number): void {
  setTimeout(() => process.exit(code), 50);
}

const MEMORY_CHECK_MS = 500;

/** The run's end when this process holds more memory than it may, else null. */
function overMemory(limitMb: number): TrainingError | null {
  const usedMb = Math.round(process.memoryUsage.rss() / 1024 / 1024);
  if (usedMb <= limitMb) return null;
  return new TrainingError(
    'OUT_OF_MEMORY',
    `The training used more than ${limitMb} MB of memory (${usedMb} MB), the most one run may use here, so it was ended. Try a smaller batch size, a smaller network or smaller images. (NETCANVAS_TRAINER_MEMORY_MB sets the limit.)`,
  );
}

/**
 * Watches the whole resident size: tensors on the cpu and wasm backends live in ArrayBuffers
 * and WebAssembly memory, outside the heap that --max-old-space-size bounds. Checked on a timer
 * while the process waits (reading data, compiling) and by the loop between batches.
 */
function watchMemory(runId: string, limitMb: number): void {
  const timer = setInterval(() => {
    const err = overMemory(limitMb);
    if (!err) return;
    clearInterval(timer);
    emit({ type: 'error', runId, code: err.code, message: err.message });
    exitSoon(1);
  }, MEMORY_CHECK_MS);
  timer.unref();
}

type Start = Extract<ToTrainer, { type: 'start' }>;

async function buildJob(message: Start, pool: GradientPool | null = null): Promise<TrainingJob> {
  try {
    return await createJob(message.project, message.config, message.dataDirs, message.dataRule, pool);
  } catch (err) {
    if (err instanceof GraphError) throw new TrainingError('GRAPH', err.message);
    throw err;
  }
}

/** Small, because plain JavaScript can take seconds a batch on recurrent and convolutional networks. */
const TRIAL_BATCH = 16;

/**
 * Builds the job on the chosen backend. When the user left the choice to NetCanvas and
 * WebAssembly is the best available, a short timed trial on WebAssembly and on plain
 * JavaScript picks whichever trains this network faster.
 */
async function jobOnBackend(message: Start, selection: BackendSelection): Promise<{ job: TrainingJob; selection: BackendSelection; threads: number }> {
  if (message.config.backend === 'auto' && selection.name === 'wasm') {
    const batch = Math.min(TRIAL_BATCH, message.config.batchSize);
    // One trial job for both backends, built during the untimed warm-up: tfjs moves its
    // weights to whichever backend runs next, so only training is timed, and slow
    // initialisers (an LSTM's orthogonal one takes a minute in plain JavaScript) run once.
    let trial: TrainingJob | null = null;
    try {
      selection = await chooseFasterBackend(selection, async () => {
        trial ??= await buildJob(message);
        const indices = Array.from({ length: Math.min(batch, trial.trainCount) }, (_, i) => i);
        await trial.trainBatch(indices);
        return indices.length;
      });
    } finally {
      (trial as TrainingJob | null)?.dispose();
    }
  }
  const trainable = async (pool: GradientPool | null) => refuseWithoutGradients(message, await buildJob(message, pool));
  const threads = await threadsForRun(message.project.graph, message.config, selection.name, trainable);
  pool = threads.pool;
  selection = { ...selection, notes: [...selection.notes, ...threads.notes] };
  // tfjs seeds every initializer and dropout mask it draws from Math.random; this process
  // trains one run only, so drawing those from the run's seed makes the run repeatable.
  Math.random = seededRandom(message.config.seed);
  return { job: await trainable(pool), selection, threads: threads.threads };
}

/** The job, unless wasm was asked for and one of its layers has no gradient there: then its message, in words. */
function refuseWithoutGradients(message: Start, job: TrainingJob): TrainingJob {
  if (message.config.backend !== 'wasm') return job;
  const missing = job.parts.map((p) => layerLackingGradient(p.model)).find((m) => m !== null);
  if (!missing) return job;
  job.dispose();
  throw new TrainingError(
    'BACKEND',
    `Layer "${missing.layer}" (${missing.className}) cannot train on the wasm backend, which lacks what its gradient needs (${missing.reason}). The cpu backend can train it: choose cpu, or auto to let NetCanvas pick.`,
  );
}

/** Records the run's training health; a continued run keeps the epochs the run it goes on from recorded. */
async function recordHealth(message: Start, job: TrainingJob, resume: CheckpointState | null): Promise<HealthRecorder | null> {
  if (!message.runDir) return null;
  return healthRecorder({
    runDir: message.runDir,
    job,
    seed: message.config.seed,
    batchSize: message.config.batchSize,
    earlier: resume && message.resumeFile ? await healthBefore(message.resumeFile, resume.epoch) : [],
    nodeName: nodeNames(message.project.graph),
    warn: (text) => emit({ type: 'log', runId: message.runId, level: 'warn', message: text }),
  });
}

/**
 * The PyTorch engine's job: tfjs (WebAssembly, else plain JavaScript) holds a copy of the
 * network for samples, checkpoints and the finished model, drawn from the run's seed as a tfjs
 * run's would be, and PyTorch trains it.
 */
async function jobOnPytorch(message: Start): Promise<{ job: TrainingJob; selection: BackendSelection }> {
  try {
    await selectBackend('wasm');
  } catch {
    await selectBackend('cpu');
  }
  Math.random = seededRandom(message.config.seed);
  const inner = await buildJob(message);
  try {
    const { job, info } = await pytorchJob(inner, { project: message.project, config: message.config, runId: message.runId });
    const device = info.device === 'cpu' ? `cpu, ${info.threads} ${info.threads === 1 ? 'thread' : 'threads'}, ${info.blas.replace(/ \(.*$/, '')}` : info.device;
    return { job, selection: { name: 'pytorch', notes: [], device: `${device} (PyTorch ${info.torch})` } };
  } catch (err) {
    inner.dispose();
    throw err;
  }
}

async function run(message: Start): Promise<void> {
  const { runId, config } = message;
  try {
    let selection: BackendSelection;
    let job: TrainingJob;
    let threads: number | null = null;
    if (config.backend === 'pytorch') {
      ({ job, selection } = await jobOnPytorch(message));
    } else {
      try {
        selection = await selectBackend(config.backend);
      } catch (err) {
        throw new TrainingError('BACKEND', (err as Error).message);
      }
      ({ job, selection, threads } = await jobOnBackend(message, selection));
      // Only WebAssembly and plain JavaScript share the Trainer's CPU threads; libtensorflow and WebGPU use their own.
      if (selection.name !== 'wasm' && selection.name !== 'cpu') threads = null;
    }
    backendName = selection.name;

    let resume: LoadedCheckpoint | null = null;
    if (message.resumeFile) {
      try {
        resume = await loadCheckpoint(message.resumeFile, job.parts);
      } catch (err) {
        throw new TrainingError('CHECKPOINT', (err as Error).message);
      }
    }
    let taken: WeightsTaken | null = null;
    if (message.startFile) {
      try {
        taken = await loadWeightsByName(message.startFile, job.parts);
      } catch (err) {
        throw new TrainingError('CHECKPOINT', (err as Error).message);
      }
    }
    if (message.runDir) await mkdir(message.runDir, { recursive: true });
    const firstEpoch = (resume?.epoch ?? 0) + 1;
    emit({
      type: 'started',
      runId,
      task: config.task,
      backend: selection.name,
      backendNotes: selection.notes,
      ...(selection.device !== undefined ? { device: selection.device } : {}),
      ...(threads !== null ? { threads } : {}),
      epochs: firstEpoch + config.epochs - 1,
      firstEpoch,
      batchesPerEpoch: batchesPerEpoch(job.trainCount, config),
      trainSamples: job.trainCount,
      validationSamples: job.validationCount,
      history: resume?.history ?? [],
    });
    if (taken) emit({ type: 'log', runId, level: taken.took.length === 0 ? 'warn' : 'info', message: describeTaken(taken) });
    if (resume?.optimizerFresh) {
      const other = selection.name === 'pytorch' ? 'tfjs' : 'PyTorch';
      emit({ type: 'log', runId, level: 'info', message: `The run it goes on from trained with ${other}, whose optimizer state this engine cannot read: the weights carry over, the optimizer starts afresh.` });
    }
    const health = await recordHealth(message, job, resume);
    training = true;
    const coalescer = new BatchCoalescer(EVENT_INTERVAL_MS, (progress, points) => emit({ type: 'batch', runId, ...progress, points }));
    const result = await runLoop(
      job,
      config,
      {
        onBatch: ({ point, ...progress }) => coalescer.push(progress, point),
        onEpoch: (record) => {
          coalescer.flush();
          emit({ type: 'epoch', runId, record });
        },
        onSamples: (epoch, samples) => emit({ type: 'samples', runId, epoch, samples }),
        onCheckpoint: (epoch, kinds) => emit({ type: 'checkpoint', runId, epoch, kinds, dir: message.runDir ?? '' }),
        shouldStop: () => control.stop,
        checkLimits: () => {
          const err = overMemory(message.memoryLimitMb);
          if (err) throw err;
        },
        isPaused: () => control.paused,
        takeSampleRequest: () => {
          const t = control.sampleRequest;
          control.sampleRequest = null;
          return t;
        },
        nextMessage: () => new Promise<void>((resolve) => control.waiters.push(resolve)),
      },
      { runDir: message.runDir, resume, health },
    );
    health?.dispose();
    coalescer.flush();
    if (message.runDir) for (const part of job.parts) await exportModel(message.runDir, part.name, part.model);
    job.dispose();
    await pool?.close();
    emit({ type: 'done', runId, reason: result.reason, backend: selection.name, history: result.history, samplesPerSec: result.samplesPerSec });
  } catch (err) {
    const code = err instanceof TrainingError ? err.code : 'CRASH';
    const messageText = err instanceof TrainingError ? err.message : `Training failed${backendName ? ` on the ${backendName} backend` : ''}: ${(err as Error).message}`;
    emit({ type: 'error', runId, code, message: messageText });
    await pool?.close();
  }
}

// A forked Trainer whose Backend has gone has no one to report to: it ends rather than train on unseen.
process.on('disconnect', () => process.exit(0));

onMessage((message) => {
  switch (message.type) {
    case 'start':
      if (running) return;
      running = true;
      current = { runId: message.runId, temperature: message.config.temperature };
      watchMemory(message.runId, message.memoryLimitMb);
      void run(message).finally(() => exitSoon(0));
      break;
    case 'stop':
      control.stop = true;
      // Still loading data or compiling: nothing has trained, so nothing is lost by ending now.
      if (current && !training) {
        emit({ type: 'done', runId: current.runId, reason: 'stopped', backend: backendName, history: [], samplesPerSec: 0 });
        exitSoon(0);
      } else if (!current) {
        exitSoon(0);
      }
      break;
    case 'pause':
    case 'resume':
      control.paused = message.type === 'pause';
      if (current) emit({ type: 'paused', runId: current.runId, paused: control.paused });
      break;
    case 'samples':
      control.sampleRequest = message.temperature ?? current?.temperature ?? null;
      break;
    default: {
      const unknown: never = message;
      throw new Error(`Unknown message ${JSON.stringify(unknown)}`);
    }
  }
  control.wake();
});
