/** Trainers in the desktop app run in Electron utility processes, one per run. */
import { constants } from 'node:os';
import { utilityProcess, type ForkOptions } from 'electron';
import { keepStderrTail, TRAINER_OLD_SPACE_MB, trainerEntry, type TrainerLauncher } from '../training/launcher.js';

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

export const utilityLauncher: TrainerLauncher = () => {
  const child = utilityProcess.fork(trainerEntry().path, [], trainerForkOptions());
  const stderrTail = keepStderrTail(child.stderr);
  return {
    pid: child.pid ?? null,
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', (code) => listener({ code, signal: null, signalFromCode: signalOfExitCode(code), stderrTail: stderrTail() })),
    kill: () => void child.kill(),
  };
};
