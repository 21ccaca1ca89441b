import type { ErrorCode } from '../../shared/api/contract.js';

/** A request's failure with its contract code; the Backend turns it into `{ok: false, error}`. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
