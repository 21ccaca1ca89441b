/** A failure of a run with a code the UI can act on and a message a person can read. */
export class TrainingError extends Error {
  constructor(
    readonly code: 'NAN_LOSS' | 'DATA' | 'BACKEND' | 'GRAPH' | 'CHECKPOINT' | 'CRASH',
    message: string,
  ) {
    super(message);
    this.name = 'TrainingError';
  }
}
