import { beforeAll, describe, expect, it } from 'vitest';
import type { SavedRun } from '../../../../shared/api/contract.js';
import { loadRenderer, stubDesktopWindow } from '../page.js';

/** The parts of the renderer these tests use. */
interface Renderer {
  handlers: { HANDLERS: Record<'train.stop' | 'train.pause' | 'train.resume' | 'train.samples' | 'train.continue', { disabled?(): string | null }> };
  graph: { useGraphStore: { getState(): { docId: string } } };
  runs: { TRAINING_ELSEWHERE: string };
  training: { useTrainingStore: { getState(): { addSaved(runs: readonly SavedRun[], owner: { docId: string; projectPath: string | null }): void } } };
}
let page: Renderer;

beforeAll(async () => {
  // No Backend is asked anything: these commands are only asked whether they can run.
  stubDesktopWindow({ request: () => expect.fail('no request may be made'), onEvent: () => () => undefined });
  page = {
    handlers: await loadRenderer('commands/handlers.ts'),
    graph: await loadRenderer('stores/graphStore.ts'),
    runs: await loadRenderer('stores/runs.ts'),
    training: await loadRenderer('stores/trainingStore.ts'),
  } as Renderer;
});

describe('the run commands, for a saved run still training in another NetCanvas', () => {
  it('offer no Stop, Pause, Resume, Samples or Continue here, and say why in words', () => {
    const docId = page.graph.useGraphStore.getState().docId;
    const run: SavedRun = {
      runId: 'r-elsewhere',
      projectName: 'p',
      startedAt: '2026-01-01T00:00:00Z',
      status: 'running',
      task: 'classify',
      settings: { epochs: 4 },
      history: [{ epoch: 1, loss: 0.5, acc: 0.8, valLoss: 0.4, valAcc: 0.85 }],
      points: [],
      checkpoints: { last: 1, best: 1 },
      dir: '/d',
    };
    page.training.useTrainingStore.getState().addSaved([run], { docId, projectPath: null });
    const { HANDLERS } = page.handlers;
    for (const id of ['train.stop', 'train.pause', 'train.resume', 'train.samples'] as const) expect(HANDLERS[id].disabled!()).toBe(page.runs.TRAINING_ELSEWHERE);
    expect(HANDLERS['train.continue'].disabled!()).toMatch(/^This run is still training in another window or another NetCanvas: continue it once it has finished/);
  });
});
