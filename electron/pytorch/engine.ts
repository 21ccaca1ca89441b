import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ENGINE_PY, ENGINE_SCRIPT } from './engine-script.js';
import { torchEnvironment } from './python.js';
import { writeFileAtomic } from '../files/atomic.js';

/** What the engine says of itself once it has loaded the data and built the network. */
export interface EngineInfo {
  torch: string;
  /** `cpu`, `cuda (its GPU's name)` or `mps (Apple GPU)`. */
  device: string;
  threads: number;
  /** The BLAS its matrix products run on, and where it was loaded from. */
  blas: string;
  trainCount: number;
  validationCount: number;
}

export interface EngineOptions {
  /** CPU threads; every core when left out. */
  threads?: number;
  /** `auto` (CUDA, else Apple's MPS, else the CPU), `cpu`, `cuda`, `cuda:N` or `mps`. */
  device?: string;
}

/** Why the engine could not go on: its process ended, or it refused a request. */
export class EngineFailure extends Error {
  override name = 'EngineFailure';
}

/** Writes netcanvas_engine.py into a folder that holds a PyTorch export with its train.py. */
export async function writeEngineScript(folder: string): Promise<void> {
  await writeFileAtomic(path.join(folder, ENGINE_SCRIPT), ENGINE_PY);
}

type Waiting = { resolve: (value: Record<string, unknown>) => void; reject: (err: Error) => void };

/**
 * netcanvas_engine.py in a Python process: one JSON request a line in, one answer a line out,
 * in order. When the process ends, every request still waiting fails with what it last said.
 */
export class PytorchEngine {
  private readonly waiting: Waiting[] = [];
  private ended: EngineFailure | null = null;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly info: EngineInfo,
  ) {}

  /** Starts the engine in `folder` (a PyTorch export with the engine's script) and waits until it is ready. */
  static start(python: string, folder: string, options: EngineOptions = {}): Promise<PytorchEngine> {
    const threads = options.threads ?? os.availableParallelism();
    const child = spawn(python, [ENGINE_SCRIPT, '--threads', String(threads), '--device', options.device ?? 'auto'], { cwd: folder, env: torchEnvironment(threads), stdio: 'pipe' });
    return new Promise<PytorchEngine>((resolve, reject) => {
      let engine: PytorchEngine | null = null;
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
      // A request written as the process dies fails with EPIPE here; its exit says what happened.
      child.stdin.on('error', () => {});
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        let message: Record<string, unknown>;
        try {
          message = JSON.parse(line) as Record<string, unknown>;
        } catch {
          // A print from the user's own code in the exported files: not an answer.
          return;
        }
        if (!engine) {
          engine = new PytorchEngine(child, message as unknown as EngineInfo);
          resolve(engine);
          return;
        }
        engine.answered(message);
      });
      child.on('error', (err) => {
        if (!engine) reject(new EngineFailure(`PyTorch could not be started with ${python}: ${err.message}`));
      });
      child.on('exit', (code, signal) => {
        const failure = new EngineFailure(`PyTorch stopped (${signal ? `signal ${signal}` : `exit code ${code}`})${lastWords(stderr)}`);
        if (engine) engine.stopped(failure);
        else reject(failure);
      });
    });
  }

  /** Sends one request; resolves to its answer, or fails with the error the engine gave. */
  request<T = Record<string, unknown>>(message: Record<string, unknown>): Promise<T> {
    if (this.ended) return Promise.reject(this.ended);
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ resolve: resolve as (value: Record<string, unknown>) => void, reject });
      this.child.stdin.write(`${JSON.stringify(message)}\n`);
    });
  }

  close(): void {
    this.ended ??= new EngineFailure('PyTorch was closed.');
    this.child.stdin.end();
    this.child.kill();
  }

  private answered(message: Record<string, unknown>): void {
    const next = this.waiting.shift();
    if (!next) return;
    if (typeof message.error === 'string') next.reject(new EngineFailure(`PyTorch refused: ${message.error}`));
    else next.resolve(message);
  }

  private stopped(failure: EngineFailure): void {
    this.ended ??= failure;
    for (const w of this.waiting.splice(0)) w.reject(this.ended);
  }
}

/** The last lines a process wrote to stderr, as the end of a sentence: the Python error that ended it. */
function lastWords(stderr: string): string {
  const lines = stderr.trim().split('\n').filter((l) => l.trim() !== '');
  return lines.length > 0 ? `: ${lines.slice(-3).join(' ').trim()}` : '';
}
