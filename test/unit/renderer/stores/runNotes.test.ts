import { describe, expect, it } from 'vitest';
import type { TrainingEvent } from '../../../../shared/api/contract.js';
import { applyRunEvents, newRun, MAX_NOTES } from '../../../../renderer/stores/runs.js';

const base = () => newRun({ key: 'k', number: 1, projectName: 'p', docId: 'd', projectPath: null, settings: {}, task: 'classify', epochs: 3, startedAt: 0 });
const log = (level: 'info' | 'warn', message: string): TrainingEvent => ({ type: 'log', runId: 'r', level, message });

describe("a run's log", () => {
  it('keeps what the trainer says in passing, such as which layers took saved weights, apart from its warnings', () => {
    const taken = 'Started from the saved weights: conv1, head took them. Starting fresh: extra (not in the saved weights).';
    const run = applyRunEvents(base(), [log('info', taken), log('warn', 'Stopped early: the validation loss stopped improving.')], 0);
    expect(run.notes).toEqual([taken]);
    expect(run.warning).toBe('Stopped early: the validation loss stopped improving.');
  });

  it('keeps the latest few notes, oldest first', () => {
    const messages = Array.from({ length: MAX_NOTES + 3 }, (_, i) => `note ${i}`);
    const run = applyRunEvents(base(), messages.slice(0, 4).map((m) => log('info', m)), 0);
    const later = applyRunEvents(run, messages.slice(4).map((m) => log('info', m)), 0);
    expect(later.notes).toEqual(messages.slice(-MAX_NOTES));
    expect(later.warning).toBeNull();
  });
});
