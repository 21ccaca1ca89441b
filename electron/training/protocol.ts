import type { TrainingEvent } from '../../shared/api/contract.js';
import type { Project } from '../../shared/project/schema.js';
import type { ResolvedRunConfig } from './run-config.js';

/** Messages from the Backend to a Trainer process. */
export type ToTrainer =
  | { type: 'start'; runId: string; project: Project; config: ResolvedRunConfig; dataDir?: string }
  | { type: 'stop' };

/** Messages from a Trainer process to the Backend. */
export type FromTrainer = { type: 'event'; event: TrainingEvent };
