import type { BackendName, CheckpointKind, EpochRecord, MetricPoint, Samples, SavedRun, TrainingEvent } from '../../shared/api/contract.js';
import type { Task } from '../../shared/project/schema.js';
import type { RunSettings } from './runLabels.js';

/**
 * `interrupted`: a saved run whose NetCanvas ended (closed, crashed, killed) before the run did.
 * `elsewhere`: a saved run still training (or paused) in another window or another NetCanvas,
 * which this window shows as it was last saved and cannot stop, pause or ask for samples.
 */
export type RunStatus = 'starting' | 'running' | 'paused' | 'stopping' | 'completed' | 'stopped' | 'early-stopped' | 'failed' | 'interrupted' | 'imported' | 'elsewhere';

/** Why a run training elsewhere takes no Stop, Pause or Samples from this window. */
export const TRAINING_ELSEWHERE = 'This run is training in another window or another NetCanvas: stop it or ask it for samples there.';

/** A run's status as the panel words it. */
export function statusLabel(status: RunStatus | 'idle'): string {
  return status === 'elsewhere' ? 'running elsewhere' : status;
}

export interface SampleEntry {
  epoch: number;
  samples: Samples;
}

/** Time spent training, paused spells left out, for an honest "time left". */
export interface RunClock {
  activeMs: number;
  /** When the current running spell began; null while paused or finished. */
  since: number | null;
}

/** One training run of this session, or one saved by an earlier one. */
export interface Run {
  /** This window's key for the run, set before the Backend has named it. */
  key: string;
  runId: string | null;
  /** Numbered in the order runs were seen: "run 3" when nothing else tells runs apart. */
  number: number;
  projectName: string;
  /** The document it belongs to: the training panel shows the open document's runs only. */
  docId: string;
  /** The project file it was kept beside, when the project had one. */
  projectPath: string | null;
  saved: boolean;
  startedAt: number;
  settings: RunSettings;
  task: Task;
  status: RunStatus;
  backend: BackendName | null;
  backendNotes: string[];
  /** The GPU the backend trains on, when it says. */
  backendDevice: string | null;
  /** The CPU threads a WebAssembly or plain JavaScript run trains with. */
  backendThreads: number | null;
  epochs: number;
  firstEpoch: number;
  batchesPerEpoch: number;
  epoch: number;
  batch: number;
  samplesPerSec: number;
  points: MetricPoint[];
  history: EpochRecord[];
  samples: SampleEntry[];
  checkpoints: Record<CheckpointKind, number | null>;
  error: string | null;
  /** The latest warning the trainer logged, e.g. why it stopped early. */
  warning: string | null;
  /** What the trainer said about the run in passing, oldest first, e.g. which layers took saved weights. */
  notes: string[];
  clock: RunClock;
}

/** Enough epochs of samples to step back through, without holding a long run's every grid. */
export const MAX_SAMPLE_ENTRIES = 30;

/** The latest few notes a run keeps: a trainer that says much does not grow the panel without end. */
export const MAX_NOTES = 5;

export function isActive(status: RunStatus | 'idle'): boolean {
  return status === 'starting' || status === 'running' || status === 'paused' || status === 'stopping';
}

export function isFinished(status: RunStatus): boolean {
  return status === 'completed' || status === 'stopped' || status === 'early-stopped' || status === 'failed' || status === 'interrupted' || status === 'imported';
}

export function newRun(fields: Pick<Run, 'key' | 'number' | 'projectName' | 'docId' | 'projectPath' | 'settings' | 'task' | 'epochs' | 'startedAt'>): Run {
  return {
    ...fields,
    runId: null,
    saved: false,
    status: 'starting',
    backend: null,
    backendNotes: [],
    backendDevice: null,
    backendThreads: null,
    firstEpoch: 1,
    batchesPerEpoch: 0,
    epoch: 0,
    batch: 0,
    samplesPerSec: 0,
    points: [],
    history: [],
    samples: [],
    checkpoints: { last: null, best: null },
    error: null,
    warning: null,
    notes: [],
    clock: { activeMs: 0, since: null },
  };
}

/** A run read from disk by `runs.list`; live ones go on receiving events. */
export function savedRun(saved: SavedRun, key: string, number: number, owner: Pick<Run, 'docId' | 'projectPath'>): Run {
  const last = saved.history[saved.history.length - 1];
  const settings: RunSettings = { network: saved.projectName, ...saved.settings };
  const epochs = typeof settings.epochs === 'number' ? settings.epochs : (last?.epoch ?? 0);
  // The Backend marks a run whose NetCanvas has gone as interrupted; one still saved as running trains elsewhere.
  const elsewhere = saved.status === 'running' || saved.status === 'paused';
  return {
    ...newRun({ key, number, projectName: saved.projectName, ...owner, settings, task: saved.task, epochs, startedAt: Date.parse(saved.startedAt) || 0 }),
    runId: saved.runId,
    saved: true,
    status: elsewhere ? 'elsewhere' : saved.status,
    epoch: last?.epoch ?? 0,
    points: saved.points,
    history: saved.history,
    checkpoints: { ...saved.checkpoints },
    error: saved.status === 'failed' ? (saved.message ?? null) : null,
    warning: elsewhere
      ? 'This run is still training, started from another window or another NetCanvas; it is shown as it was last saved.'
      : saved.status === 'failed'
        ? null
        : (saved.message ?? (saved.status === 'interrupted' ? 'This run was cut short when the NetCanvas running it ended.' : null)),
  };
}

function stopClock(clock: RunClock, now: number): RunClock {
  return clock.since === null ? clock : { activeMs: clock.activeMs + (now - clock.since), since: null };
}

/** Milliseconds spent training so far. */
export function activeMs(clock: RunClock, now: number): number {
  return clock.activeMs + (clock.since === null ? 0 : now - clock.since);
}

function upsertEpoch(history: EpochRecord[], record: EpochRecord): EpochRecord[] {
  const kept = history.filter((h) => h.epoch !== record.epoch);
  return [...kept, record].sort((a, b) => a.epoch - b.epoch);
}

/**
 * Applies a burst of one run's events in one pass, so a frame's worth of batches costs one
 * new points array rather than one per event.
 */
export function applyRunEvents(run: Run, events: readonly TrainingEvent[], now: number): Run {
  const next: Run = { ...run };
  const newPoints: MetricPoint[] = [];
  for (const event of events) {
    switch (event.type) {
      case 'started':
        // The Backend of before the run contract sent no task, firstEpoch or history: keep going without.
        next.runId = event.runId;
        next.status = next.status === 'stopping' ? 'stopping' : 'running';
        next.task = event.task ?? next.task;
        next.backend = event.backend;
        next.backendNotes = event.backendNotes;
        next.backendDevice = event.device ?? null;
        next.backendThreads = event.threads ?? null;
        next.epochs = event.epochs;
        next.firstEpoch = event.firstEpoch ?? 1;
        next.epoch = next.firstEpoch;
        next.batch = 0;
        next.batchesPerEpoch = event.batchesPerEpoch;
        // A resumed run brings the history of the run it goes on from.
        next.history = event.history ?? next.history;
        next.clock = { activeMs: 0, since: now };
        break;
      case 'batch':
        newPoints.push(...event.points);
        next.epoch = event.epoch;
        next.batch = event.batch;
        next.batchesPerEpoch = event.batchesPerEpoch;
        next.samplesPerSec = event.samplesPerSec;
        break;
      case 'epoch':
        next.history = upsertEpoch(next.history, event.record);
        break;
      case 'samples':
        next.samples = [...next.samples, { epoch: event.epoch, samples: event.samples }].slice(-MAX_SAMPLE_ENTRIES);
        break;
      case 'paused':
        if (event.paused && (next.status === 'running' || next.status === 'starting')) {
          next.status = 'paused';
          next.clock = stopClock(next.clock, now);
        } else if (!event.paused && next.status === 'paused') {
          next.status = 'running';
          next.clock = { ...next.clock, since: now };
        }
        break;
      case 'checkpoint':
        next.checkpoints = { ...next.checkpoints };
        for (const kind of event.kinds) next.checkpoints[kind] = event.epoch;
        break;
      case 'log':
        if (event.level === 'warn') next.warning = event.message;
        else next.notes = [...next.notes, event.message].slice(-MAX_NOTES);
        break;
      case 'done':
        next.status = event.reason;
        next.samplesPerSec = event.samplesPerSec;
        // Null when it was stopped before choosing one.
        next.backend = event.backend ?? next.backend;
        if (event.history.length > 0) next.history = event.history;
        next.clock = stopClock(next.clock, now);
        break;
      case 'error':
        next.status = 'failed';
        next.error = event.message;
        next.clock = stopClock(next.clock, now);
        break;
      default: {
        const unknown: never = event;
        throw new Error(`Unhandled training event ${JSON.stringify(unknown)}`);
      }
    }
  }
  if (newPoints.length > 0) next.points = run.points.concat(newPoints);
  return next;
}

/** Where a run stands: batches done and in all, counted from the epoch it started at. */
export function runProgress(run: Pick<Run, 'epoch' | 'batch' | 'epochs' | 'firstEpoch' | 'batchesPerEpoch'>): { done: number; total: number } {
  const epochsInRun = Math.max(0, run.epochs - run.firstEpoch + 1);
  const total = epochsInRun * run.batchesPerEpoch;
  const done = run.epoch >= run.firstEpoch ? (run.epoch - run.firstEpoch) * run.batchesPerEpoch + run.batch : 0;
  return { done: Math.min(done, total), total };
}
