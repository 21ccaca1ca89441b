/**
 * The PyTorch engine as a training job: the network exported to PyTorch and trained, step by
 * step, by netcanvas_engine.py, while NetCanvas's own loop decides every batch, the learning
 * rate, validation, checkpoints, pause and stop. A tfjs copy of the network (the job it wraps)
 * takes PyTorch's weights whenever something reads them: checkpoints, samples, training health
 * and the finished model are written from it exactly as for a tfjs run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PytorchEngine, writeEngineScript, type EngineInfo } from './engine.js';
import { findTorchPython } from './python.js';
import { ExportRefused, modelToExport } from '../export/model.js';
import type { StateEntry } from '../export/pytorch/layers.js';
import { modelSource } from '../export/pytorch/model-py.js';
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from '../export/pytorch/safetensors.js';
import { weightsFromState } from '../export/pytorch/state.js';
import { exportModelTo } from '../export/targets.js';
import { writeFileAtomic } from '../files/atomic.js';
import { PYTORCH_SLOT_PREFIX } from '../training/checkpoint.js';
import { TrainingError } from '../training/errors.js';
import type { BatchResult, TrainedPart, TrainingJob, ValidationResult } from '../training/jobs/job.js';
import type { ResolvedRunConfig } from '../training/run-config.js';
import type { Project } from '../../shared/project/schema.js';

export interface PytorchJobOptions {
  project: Project;
  config: ResolvedRunConfig;
  runId: string;
  /** CPU threads; every core when left out. */
  threads?: number;
  /** Where PyTorch trains: `auto` (CUDA, else Apple's MPS, else the CPU) unless given. */
  device?: string;
}

/** A JSON number from the engine: NaN and the infinities come as their names. */
const numberOf = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
const optional = (value: unknown): number | null => (value === null || value === undefined ? null : numberOf(value));

/**
 * The optimizer a PyTorch job's checkpoints keep: PyTorch's own state (Adam's moments, SGD's
 * momentum), as it was at the last sync, under `pytorch/` names. It trains nothing itself.
 */
class PytorchSlots {
  readonly takesPytorchSlots = true;
  /** The state read at the last sync. */
  current: NamedTensor[] = [];
  /** State a resumed run's checkpoint brought, for PyTorch to take before its first step. */
  pending: NamedTensor[] = [];

  getWeights(): Promise<{ name: string; tensor: tf.Tensor }[]> {
    // Fresh tensors each time: the checkpoint writer disposes what it is given.
    return Promise.resolve(this.current.map((t) => ({ name: `${PYTORCH_SLOT_PREFIX}${t.key}`, tensor: tf.tensor(t.values, [...t.shape]) })));
  }

  async setWeights(list: { name: string; tensor: tf.Tensor }[]): Promise<void> {
    this.pending = [];
    for (const { name, tensor } of list) {
      this.pending.push({ key: name.slice(PYTORCH_SLOT_PREFIX.length), shape: tensor.shape, values: Float32Array.from(await tensor.data()) });
      tensor.dispose();
    }
  }
}

/**
 * Wraps `inner`, a tfjs job of the same project (its data, its network, its samples), in the
 * PyTorch engine: the network is exported with a working folder of its own, and the engine
 * started on it. Refuses a GAN, a network PyTorch's export cannot express and a machine
 * without PyTorch, each in words.
 */
export async function pytorchJob(inner: TrainingJob, options: PytorchJobOptions): Promise<{ job: TrainingJob; info: EngineInfo }> {
  if (inner.task === 'gan' || inner.parts.length !== 1) {
    throw new TrainingError('BACKEND', "The PyTorch engine trains one network at a time; a GAN's generator and discriminator train in turn, which it does not do. Choose another backend for this GAN.");
  }
  const python = findTorchPython();
  if (python.python === null) throw new TrainingError('BACKEND', `The PyTorch engine was asked for but cannot run here: ${python.reason}.`);
  const part = inner.parts[0]!;
  const folder = await mkdtemp(path.join(os.tmpdir(), `netcanvas-pytorch-${options.runId}-`));
  let engine: PytorchEngine;
  let layout: StateEntry[];
  try {
    try {
      const exported = await exportOf(part, options);
      await exportModelTo(exported, 'pytorch', folder);
      layout = modelSource(exported).state;
    } catch (err) {
      if (err instanceof ExportRefused) throw new TrainingError('BACKEND', `The PyTorch engine cannot train this network: ${err.message} Choose another backend.`);
      throw err;
    }
    await writeEngineScript(folder);
    try {
      engine = await PytorchEngine.start(python.python, folder, { threads: options.threads, device: options.device });
    } catch (err) {
      throw new TrainingError('BACKEND', `The PyTorch engine did not start: ${(err as Error).message}`);
    }
  } catch (err) {
    await rm(folder, { recursive: true, force: true });
    throw err;
  }
  // A job without validation (the benchmark's) checks the training split alone.
  if (engine.info.trainCount !== inner.trainCount || (inner.validationCount > 0 && engine.info.validationCount !== inner.validationCount)) {
    engine.close();
    await rm(folder, { recursive: true, force: true });
    throw new TrainingError(
      'BACKEND',
      `PyTorch split the data into ${engine.info.trainCount} training and ${engine.info.validationCount} validation examples, NetCanvas into ${inner.trainCount} and ${inner.validationCount}: the engine cannot train this dataset as NetCanvas does.`,
    );
  }
  return { job: new PytorchJob(inner, part, engine, folder, options, layout), info: engine.info };
}

/** The part's network, with its weights as they are now, as the PyTorch export reads it. */
function exportOf(part: TrainedPart, { project, config, runId }: PytorchJobOptions) {
  return modelToExport(project.graph, part.model, { name: project.name, project, settings: config, runId });
}

class PytorchJob implements TrainingJob {
  readonly parts: readonly TrainedPart[];
  private readonly slots = new PytorchSlots();
  private rate: number;
  /** Whether PyTorch holds the tfjs network's weights yet: they go across before the first step. */
  private started = false;
  /** Whether PyTorch has trained since the tfjs copy last took its weights. */
  private dirty = false;
  private readonly stateFile: string;

  constructor(
    private readonly inner: TrainingJob,
    private readonly part: TrainedPart,
    private readonly engine: PytorchEngine,
    private readonly folder: string,
    private readonly options: PytorchJobOptions,
    /** Each state_dict entry and the tfjs weight it is made of: how the network's weights cross, both ways. */
    private readonly layout: readonly StateEntry[],
  ) {
    this.parts = [{ name: part.name, model: part.model, optimizer: this.slots as unknown as tf.Optimizer }];
    this.rate = options.config.learningRate;
    this.stateFile = path.join(folder, 'state.safetensors');
  }

  get task() {
    return this.inner.task;
  }

  get trainCount() {
    return this.inner.trainCount;
  }

  get validationCount() {
    return this.inner.validationCount;
  }

  setLearningRate(rate: number): void {
    this.rate = rate;
  }

  async trainBatch(indices: ArrayLike<number>): Promise<BatchResult> {
    await this.start();
    this.dirty = true;
    const answer = await this.ask({ op: 'train', indices: Array.from(indices), rate: this.rate });
    return { loss: numberOf(answer.loss), acc: optional(answer.acc) };
  }

  async validate(): Promise<ValidationResult> {
    await this.start();
    const answer = await this.ask({ op: 'validate' });
    return { valLoss: optional(answer.valLoss), valAcc: optional(answer.valAcc) };
  }

  samples(temperature: number) {
    return this.inner.samples(temperature);
  }

  get healthProbe() {
    return this.inner.healthProbe?.bind(this.inner);
  }

  /** The tfjs network takes PyTorch's weights, and the checkpoint's optimizer its state. */
  async sync(): Promise<void> {
    if (!this.dirty) return;
    await this.ask({ op: 'save', path: this.stateFile });
    const state = decodeSafetensors(await readFile(this.stateFile), this.stateFile);
    const weights = weightsFromState(this.layout, state, 'model/');
    for (const variable of this.part.model.weights) {
      const values = weights.get(variable.originalName);
      // Weights the export does not carry (none today) keep their tfjs values.
      if (values) variable.write(tf.tensor(values, variable.shape as number[]));
    }
    this.slots.current = [...state.values()].filter((t) => t.key.startsWith('optimizer/')).map((t) => ({ ...t, key: t.key.slice('optimizer/'.length) }));
    this.dirty = false;
  }

  dispose(): void {
    this.engine.close();
    this.inner.dispose();
    void rm(this.folder, { recursive: true, force: true });
  }

  /**
   * Before the first step: PyTorch takes the tfjs network's weights as they are now (fresh,
   * started from a saved run, or resumed), and a resumed PyTorch run's optimizer state.
   */
  private async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // The weights as they are now: a resumed or started-from run has put its own in since the export.
    const model = modelSource(await exportOf(this.part, this.options)).state.map((e) => ({ key: `model/${e.key}`, shape: e.shape, values: e.values }));
    const optimizer = this.slots.pending.map((t) => ({ ...t, key: `optimizer/${t.key}` }));
    await writeFileAtomic(this.stateFile, encodeSafetensors([...model, ...optimizer]));
    await this.ask({ op: 'load', path: this.stateFile });
    this.slots.pending = [];
  }

  private async ask(request: Record<string, unknown>): Promise<Record<string, unknown>> {
    try {
      return await this.engine.request(request);
    } catch (err) {
      throw new TrainingError('CRASH', `Training failed in PyTorch: ${(err as Error).message}`);
    }
  }
}
