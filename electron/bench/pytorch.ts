/**
 * PyTorch as a contender in the benchmark: the template's network exported to PyTorch (its
 * model.py and train.py, as a user gets them) and trained by bench_pytorch.py in a Python
 * process that stays up between rounds and times its own batches.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileAtomic } from '../files/atomic.js';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { BENCH_PY } from './pytorch-harness.js';
import type { Contender } from './timing.js';
import type { Project } from '../../shared/project/schema.js';
import { exportModelTo } from '../export/targets.js';
import { untrainedToExport } from '../export/run.js';

/** A Python 3 that imports torch and numpy, or why there is none. */
export type TorchPython = { python: string; reason: null } | { python: null; reason: string };

/**
 * The Python to run PyTorch with: NETCANVAS_PYTHON when set, else Debian's python3, else the
 * python3 on PATH, the first that imports torch and numpy.
 */
export function findTorchPython(): TorchPython {
  const candidates = [process.env.NETCANVAS_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => Boolean(c));
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch, numpy'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.status === 0) return { python, reason: null };
  }
  return { python: null, reason: `no Python 3 with PyTorch (tried ${candidates.join(', ')}; on Debian: apt-get install python3-torch libopenblas0-pthread, or set NETCANVAS_PYTHON)` };
}

/** What the PyTorch process says of itself once it is ready. */
export interface TorchInfo {
  torch: string;
  threads: number;
  /** The BLAS its matrix products run on, and where it was loaded from. */
  blas: string;
  device: string;
  batchSize: number;
}

/** Exports `project`'s network with fresh weights to PyTorch in `folder`, with the benchmark's script beside train.py. */
export async function exportForPytorch(project: Project, folder: string): Promise<void> {
  await exportModelTo(await untrainedToExport(project), 'pytorch', folder);
  await writeFileAtomic(path.join(folder, 'bench_pytorch.py'), BENCH_PY);
}

/**
 * The environment a fair PyTorch reference runs in: every core, for OpenMP and OpenBLAS
 * alike, and OpenMP's threads sleeping while they wait (on a shared machine, spinning ones
 * lose most of their speed to each other).
 */
export function torchEnvironment(threads: number): NodeJS.ProcessEnv {
  const n = String(threads);
  return { ...process.env, OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, MKL_NUM_THREADS: n, OMP_WAIT_POLICY: 'PASSIVE' };
}

export class PytorchTrainee implements Contender {
  private readonly lines: AsyncIterator<string>;
  private stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    child.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
  }

  /** Starts bench_pytorch.py in `folder` and waits until it has loaded the data and built the network. */
  static async start(python: string, folder: string, threads = os.availableParallelism()): Promise<{ trainee: PytorchTrainee; info: TorchInfo }> {
    const child = spawn(python, ['bench_pytorch.py', String(threads)], { cwd: folder, env: torchEnvironment(threads), stdio: 'pipe' });
    const trainee = new PytorchTrainee(child);
    const ready = (await trainee.answer()) as TorchInfo & { ready?: boolean };
    return { trainee, info: { torch: ready.torch, threads: ready.threads, blas: ready.blas, device: ready.device, batchSize: ready.batchSize } };
  }

  /** Trains `batches` batches; resolves to the milliseconds PyTorch measured for them. */
  async train(batches: number): Promise<number> {
    this.child.stdin.write(`train ${batches}\n`);
    const { ms } = (await this.answer()) as { ms: number };
    return ms;
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }

  private async answer(): Promise<unknown> {
    const next = await this.lines.next();
    if (next.done) {
      const said = this.stderr.trim().split('\n').slice(-3).join(' ');
      throw new Error(`PyTorch stopped${said ? `: ${said}` : ''}`);
    }
    return JSON.parse(next.value) as unknown;
  }
}
