/**
 * PyTorch as a contender in the benchmark: the template's network exported to PyTorch (its
 * model.py and train.py, as a user gets them) and trained by the PyTorch engine's script in a
 * Python process that stays up between rounds and times its own batches.
 */
import os from 'node:os';
import type { Contender } from './timing.js';
import type { Project } from '../../shared/project/schema.js';
import { exportModelTo } from '../export/targets.js';
import { untrainedToExport } from '../export/run.js';
import { PytorchEngine, writeEngineScript } from '../pytorch/engine.js';

export { findTorchPython, torchEnvironment, type TorchPython } from '../pytorch/python.js';

/** What the PyTorch process says of itself once it is ready. */
export interface TorchInfo {
  torch: string;
  threads: number;
  /** The BLAS its matrix products run on, and where it was loaded from. */
  blas: string;
  device: string;
  batchSize: number;
}

/** Exports `project`'s network with fresh weights to PyTorch in `folder`, with the engine's script beside train.py. */
export async function exportForPytorch(project: Project, folder: string): Promise<void> {
  await exportModelTo(await untrainedToExport(project), 'pytorch', folder);
  await writeEngineScript(folder);
}

export class PytorchTrainee implements Contender {
  private constructor(private readonly engine: PytorchEngine) {}

  /** Starts the engine on the CPU in `folder` and waits until it has loaded the data and built the network. */
  static async start(python: string, folder: string, batchSize: number, threads = os.availableParallelism()): Promise<{ trainee: PytorchTrainee; info: TorchInfo }> {
    const engine = await PytorchEngine.start(python, folder, { threads, device: 'cpu' });
    const { torch, blas, device } = engine.info;
    return { trainee: new PytorchTrainee(engine), info: { torch, threads: engine.info.threads, blas, device, batchSize } };
  }

  /** Trains `batches` batches; resolves to the milliseconds PyTorch measured for them. */
  async train(batches: number): Promise<number> {
    const { ms } = await this.engine.request<{ ms: number }>({ op: 'time', batches });
    return ms;
  }

  close(): void {
    this.engine.close();
  }
}
