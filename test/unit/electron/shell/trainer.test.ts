import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resetDouble, utilityProcess } from './electron-double.js';
import { describeExit } from '../../../../electron/backend/runs.js';
import { TRAINER_OLD_SPACE_MB, type TrainerExit } from '../../../../electron/training/launcher.js';
import { signalOfExitCode, utilityLauncher } from '../../../../electron/shell/trainer.js';

vi.mock('electron', () => import('./electron-double.js'));

beforeEach(resetDouble);

describe('the desktop Trainer launcher', () => {
  it('starts the built Trainer in a utility process with a bounded heap and its stderr kept for crash reports', () => {
    const handle = utilityLauncher();
    expect(utilityProcess.forks).toHaveLength(1);
    const { modulePath, options } = utilityProcess.forks[0]!;
    expect(modulePath).toMatch(/trainer-process\.(ts|js)$/);
    expect(options).toMatchObject({ stdio: ['ignore', 'ignore', 'pipe'], execArgv: [`--max-old-space-size=${TRAINER_OLD_SPACE_MB}`] });
    expect(handle.pid).toBe(1);
  });

  it.runIf(process.platform !== 'win32')('reports a killed Trainer by its exit code, with the signal that code may stand for', () => {
    const fork = vi.spyOn(utilityProcess, 'fork');
    const handle = utilityLauncher();
    const child = fork.mock.results[0]!.value;
    const exits: TrainerExit[] = [];
    handle.onExit((exit) => exits.push(exit));
    child.emit('exit', 9);
    expect(exits).toEqual([{ code: 9, signal: null, signalFromCode: 'SIGKILL', stderrTail: '' }]);
    expect(describeExit(exits[0]!, { last: null, best: null })).toMatch(/^The training process stopped unexpectedly \(it ended with code 9, which may mean it was ended by signal SIGKILL: it was killed outright/);
  });
});

describe('the signal an exit code may stand for', () => {
  it('reads the signal number, or 128 plus it, and never a Trainer’s own ends or a code on Windows', () => {
    expect([9, 137, 11, 139].map((code) => signalOfExitCode(code, 'linux'))).toEqual(['SIGKILL', 'SIGKILL', 'SIGSEGV', 'SIGSEGV']);
    expect([0, 1, null, 200].map((code) => signalOfExitCode(code, 'linux'))).toEqual([null, null, null, null]);
    expect(signalOfExitCode(9, 'win32')).toBeNull();
  });
});
