import { fork } from 'node:child_process';
import { entryBeside } from '../training/process-entry.js';
import type { FromAnalyst, ToAnalyst } from './protocol.js';
import { keepStderrTail, TRAINER_OLD_SPACE_MB, type TrainerExit } from '../training/launcher.js';

/** How an Analyst process ended: as a Trainer's end is told. */
export type AnalystExit = TrainerExit;

/** A running Analyst process, whatever started it. */
export interface AnalystHandle {
  readonly pid: number | null;
  send(message: ToAnalyst): void;
  onMessage(listener: (message: FromAnalyst) => void): void;
  onExit(listener: (exit: AnalystExit) => void): void;
  kill(): void;
}

export type AnalystLauncher = () => AnalystHandle;

/** Where the Analyst's entry point is: TypeScript source when run through tsx, else the build. */
export function analystEntry(): { path: string; execArgv: string[] } {
  return entryBeside(import.meta.url, 'analyst-process');
}

/** An Analyst's JavaScript heap has a Trainer's bound: it holds a run's data as a Trainer does. */
export const ANALYST_OLD_SPACE_MB = TRAINER_OLD_SPACE_MB;

/** Analyst in a Node child process: the CLI and browser mode. */
export const forkAnalyst: AnalystLauncher = () => {
  const entry = analystEntry();
  const child = fork(entry.path, [], {
    execArgv: [...entry.execArgv, `--max-old-space-size=${ANALYST_OLD_SPACE_MB}`],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const stderrTail = keepStderrTail(child.stderr);
  const exitListeners: Array<(exit: AnalystExit) => void> = [];
  const exited = (exit: AnalystExit) => exitListeners.forEach((listener) => listener(exit));
  child.on('exit', (code, signal) => exited({ code, signal, stderrTail: stderrTail() }));
  // A process that never started has no exit; a message sent as it ends is lost with it, and its exit says so.
  child.on('error', (err) => {
    if (child.pid === undefined) exited({ code: null, signal: null, stderrTail: `Error: ${err.message}` });
  });
  return {
    pid: child.pid ?? null,
    send: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as FromAnalyst)),
    onExit: (listener) => exitListeners.push(listener),
    kill: () => child.kill('SIGKILL'),
  };
};
