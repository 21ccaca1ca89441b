import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { Backend } from '../../../../electron/backend/backend.js';
import { forkLauncher } from '../../../../electron/training/launcher.js';
import type { RunConfig, TrainingEvent } from '../../../../shared/api/contract.js';
import type { Project } from '../../../../shared/project/schema.js';

/** Every training event a Backend broadcasts, and a way to wait for the first that matches. */
export function collect(b: Backend) {
  const events: TrainingEvent[] = [];
  const waiters: Array<() => void> = [];
  b.subscribe(({ event }) => {
    events.push(event);
    waiters.forEach((w) => w());
  });
  const until = (pred: (e: TrainingEvent) => boolean) =>
    new Promise<TrainingEvent>((resolve) => {
      const check = () => {
        const hit = events.find(pred);
        if (hit) resolve(hit);
      };
      waiters.push(check);
      check();
    });
  return { events, until };
}

/**
 * For a test file whose tests train through one Backend with real Trainer processes: the
 * Backend, with a runs folder of its own made before the file's tests and removed after them,
 * its events, and `train`, which starts a run and resolves with its end (done or error).
 */
export function trainingBackend(prefix: string) {
  const state: { backend: Backend | null; dir: string; watched: ReturnType<typeof collect> | null } = { backend: null, dir: '', watched: null };
  beforeAll(async () => {
    state.dir = await mkdtemp(path.join(os.tmpdir(), prefix));
    state.backend = new Backend({ launcher: forkLauncher, runsDir: state.dir });
    state.watched = collect(state.backend);
  });
  afterAll(async () => {
    state.backend?.shutdown();
    await state.backend?.flushRuns();
    if (state.dir) await rm(state.dir, { recursive: true, force: true });
  });
  const backend = () => state.backend!;
  const events = () => state.watched!.events;
  const until = (pred: (e: TrainingEvent) => boolean) => state.watched!.until(pred);
  async function train(project: Project, config: RunConfig): Promise<{ runId: string; end: TrainingEvent }> {
    const { runId } = await backend().call('training.start', { project, config });
    const end = await until((e) => e.runId === runId && (e.type === 'done' || e.type === 'error'));
    return { runId, end };
  }
  return { backend, events, until, train };
}
