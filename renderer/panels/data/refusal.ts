import type { ErrorCode } from '../../../shared/api/contract.js';

/**
 * The codes the Backend refuses a dataset's path with: a path it may not read (FORBIDDEN), or
 * a file it will not (FILE_REFUSED: a device, a pipe, a file too big). Other codes, such as a
 * request that did not pass its checks (INVALID_REQUEST), are not a refusal of the data.
 */
const REFUSALS: readonly ErrorCode[] = ['FORBIDDEN', 'FILE_REFUSED'];

export const isRefusal = (code: string | null): boolean => REFUSALS.some((refusal) => refusal === code);
