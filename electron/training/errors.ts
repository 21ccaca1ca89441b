import type { TrainingErrorCode } from '../../shared/api/contract.js';

/** A failure of a run with a code the UI can act on and a message a person can read. */
export class TrainingError extends Error {
  constructor(
    readonly code: TrainingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TrainingError';
  }
}
