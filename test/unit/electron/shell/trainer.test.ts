import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resetDouble, utilityProcess } from './electron-double.js';
import { TRAINER_OLD_SPACE_MB } from '../../../../electron/training/launcher.js';
import { utilityLauncher } from '../../../../electron/shell/trainer.js';

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
});
