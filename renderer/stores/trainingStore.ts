import { create } from 'zustand';
import type { BackendName, EpochRecord, MetricPoint, TrainingEvent } from '../../shared/api/contract';

export type TrainingStatus = 'idle' | 'starting' | 'running' | 'stopping' | 'completed' | 'stopped' | 'failed';

export interface TrainingState {
  status: TrainingStatus;
  runId: string | null;
  backend: BackendName | null;
  backendNotes: string[];
  epochs: number;
  batchesPerEpoch: number;
  epoch: number;
  batch: number;
  samplesPerSec: number;
  startedAt: number | null;
  points: MetricPoint[];
  history: EpochRecord[];
  error: string | null;
  begin(epochs: number): void;
  attach(runId: string): void;
  fail(message: string): void;
  requestStop(): void;
  /** Applies a burst of events at once: the charts redraw once per burst, not per event. */
  applyEvents(events: readonly TrainingEvent[]): void;
}

const RESET = {
  runId: null,
  backend: null,
  backendNotes: [],
  batchesPerEpoch: 0,
  epoch: 0,
  batch: 0,
  samplesPerSec: 0,
  startedAt: null,
  points: [],
  history: [],
  error: null,
} satisfies Partial<TrainingState>;

export const useTrainingStore = create<TrainingState>()((set, get) => ({
  status: 'idle',
  epochs: 0,
  ...RESET,
  begin: (epochs) => set({ ...RESET, status: 'starting', epochs, startedAt: Date.now() }),
  attach: (runId) => set({ runId }),
  fail: (message) => set({ status: 'failed', error: message }),
  requestStop: () => {
    if (get().status === 'running' || get().status === 'starting') set({ status: 'stopping' });
  },
  applyEvents: (events) => {
    const runId = get().runId;
    const mine = events.filter((e) => runId === null || e.runId === runId);
    if (mine.length === 0) return;
    const next: Partial<TrainingState> = {};
    let points = get().points;
    let history = get().history;
    for (const event of mine) {
      switch (event.type) {
        case 'started':
          Object.assign(next, {
            runId: event.runId,
            status: get().status === 'stopping' ? 'stopping' : 'running',
            backend: event.backend,
            backendNotes: event.backendNotes,
            epochs: event.epochs,
            batchesPerEpoch: event.batchesPerEpoch,
          });
          break;
        case 'batch':
          points = points.concat(event.points);
          Object.assign(next, { epoch: event.epoch, batch: event.batch, batchesPerEpoch: event.batchesPerEpoch, samplesPerSec: event.samplesPerSec });
          break;
        case 'epoch':
          history = history.concat(event.record);
          break;
        case 'log':
          break;
        case 'done':
          Object.assign(next, { status: event.reason === 'completed' ? 'completed' : 'stopped', samplesPerSec: event.samplesPerSec });
          break;
        case 'error':
          Object.assign(next, { status: 'failed', error: event.message });
          break;
        default: {
          const unknown: never = event;
          throw new Error(`Unhandled training event ${JSON.stringify(unknown)}`);
        }
      }
    }
    set({ ...next, points, history });
  },
}));

export function isActive(status: TrainingStatus): boolean {
  return status === 'starting' || status === 'running' || status === 'stopping';
}
