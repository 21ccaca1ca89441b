/** Trainers in the desktop app run in Electron utility processes, one per run; Analysts too. */
import { constants } from 'node:os';
import { utilityProcess, type ForkOptions } from 'electron';
import { keepStderrTail, TRAINER_OLD_SPACE_MB, trainerEntry, type TrainerExit, type TrainerLauncher } from '../training/launcher.js';
import type { FromTrainer, ToTrainer } from '../training/protocol.js';
import { analystEntry, type AnalystLauncher } from '../insight/launcher.js';
import type { FromAnalyst, ToAnalyst } from '../insight/protocol.js';

/**
 * How each Trainer process is started; one place to add its arguments or environment. The
 * Trainer watches its whole memory itself (the limit comes in its start message); V8's own heap
 * gets the same bound as a forked Trainer's.
 */
export function trainerForkOptions(): ForkOptions {
  return { stdio: ['ignore', 'ignore', 'pipe'], serviceName: 'NetCanvas trainer', execArgv: [`--max-old-space-size=${TRAINER_OLD_SPACE_MB}`] };
}

/**
 * The signal a utility process's exit code may stand for, or null. Electron tells only a code
 * (from waitpid on Linux and macOS): for a process a signal ended, the signal's number, or 128
 * plus it as shells count. A Trainer's own ends are 0 and 1; Windows has no signals.
 */
export function signalOfExitCode(code: number | null, platform: NodeJS.Platform = process.platform): string | null {
  if (code === null || code <= 1 || platform === 'win32') return null;
  const number = code > 128 ? code - 128 : code;
  return Object.entries(constants.signals).find(([, n]) => n === number)?.[0] ?? null;
}

/** A utility process as a Trainer's or an Analyst's handle: messages each way, its end told by its exit code. */
function utilityHandle<To, From>(modulePath: string, options: ForkOptions) {
  const child = utilityProcess.fork(modulePath, [], options);
  const stderrTail = keepStderrTail(child.stderr);
  return {
    pid: child.pid ?? null,
    send: (message: To) => child.postMessage(message),
    onMessage: (listener: (message: From) => void) => void child.on('message', listener),
    onExit: (listener: (exit: TrainerExit) => void) => void child.on('exit', (code) => listener({ code, signal: null, signalFromCode: signalOfExitCode(code), stderrTail: stderrTail() })),
    kill: () => void child.kill(),
  };
}

export const utilityLauncher: TrainerLauncher = () => utilityHandle<ToTrainer, FromTrainer>(trainerEntry().path, trainerForkOptions());

/** Analysts (questions about trained runs) in utility processes too, started as Trainers are, with the same heap bound. */
export const analystUtilityLauncher: AnalystLauncher = () =>
  utilityHandle<ToAnalyst, FromAnalyst>(analystEntry().path, { ...trainerForkOptions(), serviceName: 'NetCanvas analyst' });
