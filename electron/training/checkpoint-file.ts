import path from 'node:path';
import type { CheckpointKind } from '../../shared/api/contract.js';

/** Where a run keeps a checkpoint: without tfjs, for the Backend, which only names the files. */
export const checkpointFile = (runDir: string, kind: CheckpointKind) => path.join(runDir, `${kind}.ckpt`);
