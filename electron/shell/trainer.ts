/** Trainers in the desktop app run in Electron utility processes, one per run. */
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

export const utilityLauncher: TrainerLauncher = () => {
  const child = utilityProcess.fork(trainerEntry().path, [], trainerForkOptions());
  const stderrTail = keepStderrTail(child.stderr);
  return {
    pid: child.pid ?? null,
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', (code) => listener({ code, signal: null, stderrTail: stderrTail() })),
    kill: () => void child.kill(),
  };
};
