import { create } from 'zustand';
import { applyRunEvents, isActive, newRun, savedRun, type Run } from './runs.js';
import { useGraphStore } from './graphStore.js';
import type { SavedRun, TrainingEvent } from '../../shared/api/contract.js';

export type { Run, RunStatus } from './runs.js';
export { isActive } from './runs.js';

export type TrainingStatus = Run['status'] | 'idle';

export interface TrainingState {
  /** Every run of the session and the saved runs of the projects opened, by this window's key. */
  runs: Record<string, Run>;
  /** Keys, oldest first: the runs list's order and each run's colour. */
  order: string[];
  byRunId: Record<string, string>;
  /** The run the progress, samples and detailed chart show. */
  currentKey: string | null;
  /** Runs ticked in the runs list, drawn together in one chart. */
  compared: string[];
  /** Why saved runs could not be listed, when they could not. */
  savedRunsNote: string | null;
  begin(fields: Pick<Run, 'projectName' | 'docId' | 'projectPath' | 'settings' | 'task' | 'epochs'>): string;
  attach(key: string, runId: string): void;
  fail(key: string, message: string): void;
  requestStop(key: string): void;
  setPaused(key: string, paused: boolean): void;
  select(key: string): void;
  toggleCompared(key: string): void;
  /** Runs read from disk for a document; ones already here (the same file opened again) move to it. */
  addSaved(runs: readonly SavedRun[], owner: Pick<Run, 'docId' | 'projectPath'>): void;
  setSavedRunsNote(note: string | null): void;
  /** Applies a burst of events at once: the charts redraw once per burst, not per event. */
  applyEvents(events: readonly TrainingEvent[]): void;
}

// Events can arrive before `training.start` has answered with the run's id; other windows'
// runs (a served room) arrive too. Both wait here until a run claims them, boundedly.
const unclaimed = new Map<string, TrainingEvent[]>();
const MAX_UNCLAIMED_RUNS = 20;
const MAX_UNCLAIMED_EVENTS = 2_000;

function holdUnclaimed(runId: string, events: readonly TrainingEvent[]): void {
  const held = (unclaimed.get(runId) ?? []).concat(events).slice(-MAX_UNCLAIMED_EVENTS);
  unclaimed.delete(runId);
  unclaimed.set(runId, held);
  while (unclaimed.size > MAX_UNCLAIMED_RUNS) unclaimed.delete(unclaimed.keys().next().value!);
}

let nextKey = 1;

export const useTrainingStore = create<TrainingState>()((set, get) => {
  const update = (key: string, change: (run: Run) => Run) => {
    const run = get().runs[key];
    if (run) set({ runs: { ...get().runs, [key]: change(run) } });
  };
  const add = (run: Run, state: Partial<TrainingState> = {}) =>
    set((s) => ({ runs: { ...s.runs, [run.key]: run }, order: [...s.order, run.key], ...state }));

  return {
    runs: {},
    order: [],
    byRunId: {},
    currentKey: null,
    compared: [],
    savedRunsNote: null,
    begin: (fields) => {
      const key = `run-${nextKey++}`;
      add(newRun({ ...fields, key, number: get().order.length + 1, startedAt: Date.now() }), { currentKey: key });
      return key;
    },
    attach: (key, runId) => {
      update(key, (run) => ({ ...run, runId }));
      set({ byRunId: { ...get().byRunId, [runId]: key } });
      const held = unclaimed.get(runId);
      unclaimed.delete(runId);
      if (held) get().applyEvents(held);
    },
    fail: (key, message) => update(key, (run) => ({ ...run, status: 'failed', error: message, clock: { ...run.clock, since: null } })),
    requestStop: (key) => update(key, (run) => (isActive(run.status) ? { ...run, status: 'stopping' } : run)),
    setPaused: (key, paused) => update(key, (run) => applyRunEvents(run, [{ type: 'paused', runId: run.runId ?? '', paused }], Date.now())),
    select: (key) => set({ currentKey: key }),
    toggleCompared: (key) => {
      const compared = get().compared;
      set({ compared: compared.includes(key) ? compared.filter((k) => k !== key) : [...compared, key] });
    },
    addSaved: (saved, owner) => {
      for (const s of [...saved].reverse()) {
        const known = get().byRunId[s.runId];
        if (known) {
          update(known, (run) => (run.docId === owner.docId ? run : { ...run, ...owner }));
          continue;
        }
        const key = `run-${nextKey++}`;
        add(savedRun(s, key, get().order.length + 1, owner));
        set({ byRunId: { ...get().byRunId, [s.runId]: key } });
      }
    },
    setSavedRunsNote: (note) => set({ savedRunsNote: note }),
    applyEvents: (events) => {
      const { byRunId, runs } = get();
      const byKey = new Map<string, TrainingEvent[]>();
      const strays = new Map<string, TrainingEvent[]>();
      for (const event of events) {
        const key = byRunId[event.runId];
        const bucket = key ? byKey : strays;
        const id = key ?? event.runId;
        bucket.set(id, [...(bucket.get(id) ?? []), event]);
      }
      for (const [runId, held] of strays) holdUnclaimed(runId, held);
      if (byKey.size === 0) return;
      const now = Date.now();
      const next = { ...runs };
      for (const [key, mine] of byKey) {
        // A saved run stays as it was read; its live events, if any, belong to another window.
        if (next[key] && !next[key].saved) next[key] = applyRunEvents(next[key], mine, now);
      }
      set({ runs: next });
    },
  };
});

/** The document's runs, oldest first. */
export function docRunKeys(state: Pick<TrainingState, 'runs' | 'order'>, docId: string): string[] {
  return state.order.filter((key) => state.runs[key]?.docId === docId);
}

/** The run the panel shows: the one picked, if it is the open document's, else its newest. */
export function currentRunOf(state: Pick<TrainingState, 'runs' | 'order' | 'currentKey'>, docId: string): Run | undefined {
  const picked = state.currentKey ? state.runs[state.currentKey] : undefined;
  if (picked?.docId === docId) return picked;
  const keys = docRunKeys(state, docId);
  return keys.length ? state.runs[keys[keys.length - 1]!] : undefined;
}

/** The run the panel shows, through a selector that picks one field of it. */
export function useCurrentRun<T>(select: (run: Run | undefined) => T): T {
  const docId = useGraphStore((s) => s.docId);
  return useTrainingStore((s) => select(currentRunOf(s, docId)));
}

/** The runs ticked for comparison among the open document's. */
export function comparedOf(state: Pick<TrainingState, 'runs' | 'compared'>, docId: string): string[] {
  return state.compared.filter((key) => state.runs[key]?.docId === docId);
}

/** The run of this window that is training or paused, which Pause, Resume and Stop act on. */
export function activeRunKey(state: Pick<TrainingState, 'runs' | 'order'>): string | null {
  for (let i = state.order.length - 1; i >= 0; i--) {
    const run = state.runs[state.order[i]!];
    if (run && !run.saved && isActive(run.status)) return run.key;
  }
  return null;
}
