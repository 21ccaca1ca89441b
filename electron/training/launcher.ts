import { fork } from 'node:child_process';
import os from 'node:os';
import { entryBeside } from './process-entry.js';
import type { FromTrainer, ToTrainer } from './protocol.js';

export interface TrainerExit {
  code: number | null;
  signal: string | null;
  /**
   * Where the process's end is told only as an exit code (Electron's utility processes), the
   * signal that code may stand for on this system; absent or null when it stands for none.
   */
  signalFromCode?: string | null;
  /** The last lines the process wrote to stderr, for crash reports. */
  stderrTail: string;
}

/** A running Trainer process, whatever started it. */
export interface TrainerHandle {
  readonly pid: number | null;
  send(message: ToTrainer): void;
  onMessage(listener: (message: FromTrainer) => void): void;
  onExit(listener: (exit: TrainerExit) => void): void;
  kill(): void;
}

export type TrainerLauncher = () => TrainerHandle;

const TAIL_BYTES = 4000;

/** Keeps the last few thousand characters a process writes to stderr, for crash reports. */
export function keepStderrTail(stream: NodeJS.ReadableStream | null | undefined): () => string {
  let tail = '';
  stream?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-TAIL_BYTES);
  });
  return () => tail;
}

/** Where the trainer entry point is: TypeScript source when run through tsx, else the build. */
export function trainerEntry(): { path: string; execArgv: string[] } {
  return entryBeside(import.meta.url, 'trainer-process');
}

/**
 * The memory a Trainer may use before its run is ended with OUT_OF_MEMORY, unless
 * NETCANVAS_TRAINER_MEMORY_MB says otherwise: half of this machine's, so several runs and the
 * rest of the system still fit.
 */
export function defaultTrainerMemoryMb(): number {
  return Math.max(512, Math.floor(os.totalmem() / 1024 / 1024 / 2));
}

/**
 * V8's own bound on a Trainer's JavaScript heap. Tensors live outside it (in ArrayBuffers and
 * WebAssembly memory), which is why the Trainer also watches its whole resident size.
 */
export const TRAINER_OLD_SPACE_MB = 4096;

/** Trainer in a Node child process: the CLI and browser mode. */
export const forkLauncher: TrainerLauncher = () => {
  const entry = trainerEntry();
  const child = fork(entry.path, [], {
    execArgv: [...entry.execArgv, `--max-old-space-size=${TRAINER_OLD_SPACE_MB}`],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const stderrTail = keepStderrTail(child.stderr);
  return {
    pid: child.pid ?? null,
    send: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as FromTrainer)),
    onExit: (listener) => child.on('exit', (code, signal) => listener({ code, signal, stderrTail: stderrTail() })),
    kill: () => child.kill('SIGKILL'),
  };
};
