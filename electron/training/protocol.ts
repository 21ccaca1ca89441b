import type { DataDirs } from './jobs/create.js';
import type { DataRule } from '../data/access.js';
import type { ResolvedRunConfig } from './run-config.js';
import type { TrainingEvent } from '../../shared/api/contract.js';
import type { Project } from '../../shared/project/schema.js';

/** Messages from the Backend to a Trainer process. */
export type ToTrainer =
  | {
      type: 'start';
      runId: string;
      project: Project;
      config: ResolvedRunConfig;
      dataDirs: DataDirs;
      /** Where checkpoints and the finished model are written; null writes nothing. */
      runDir: string | null;
      /** The checkpoint file a resumed run starts from. */
      resumeFile: string | null;
      /** The checkpoint whose weights a new run starts from, layer by layer where names and shapes agree. */
      startFile: string | null;
      /** The resident memory, in MB, past which the run ends with OUT_OF_MEMORY. */
      memoryLimitMb: number;
      /** Which paths the run may read data from, and how much of each file: the Backend's rule. */
      dataRule: DataRule;
    }
  | { type: 'stop' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'samples'; temperature: number | null };

/** Messages from a Trainer process to the Backend. */
export type FromTrainer = { type: 'event'; event: TrainingEvent };
