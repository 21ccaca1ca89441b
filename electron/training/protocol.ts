import type { DataDirs } from './jobs/create.js';
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
    }
  | { type: 'stop' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'samples'; temperature: number | null };

/** Messages from a Trainer process to the Backend. */
export type FromTrainer = { type: 'event'; event: TrainingEvent };
