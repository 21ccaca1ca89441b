import type { z } from 'zod';
import type { OpenOptions } from './open.js';
import type { ErrorCode, MethodName, methods } from '../../shared/api/contract.js';

/** The contract's methods about trained runs: the `insight.*` ones and `runs.health`. */
export type InsightMethodName = Extract<MethodName, `insight.${string}` | 'runs.health'>;
/** A method's params as the Backend checked them. */
export type InsightParams<M extends InsightMethodName> = z.output<(typeof methods)[M]['params']>;
export type InsightResult<M extends InsightMethodName> = z.output<(typeof methods)[M]['result']>;

/** The questions an Analyst answers: every `insight.*` method. */
export type AnalystMethod = Exclude<InsightMethodName, 'runs.health'>;

/** A method's params as the Backend checked them, less the run: the Analyst gets where the run is instead. */
export type AnalystParams<M extends AnalystMethod> = Omit<InsightParams<M>, 'run'>;

/** Where a saved run is and how to read its data: what the Analyst opens it from. */
export type RunLocation = Omit<OpenOptions, 'current'>;

/** One question about one run, numbered so its answer finds it. */
export type AnalystRequest = { [M in AnalystMethod]: { type: 'request'; id: number; method: M; params: AnalystParams<M>; run: RunLocation } }[AnalystMethod];

/** Messages from the Backend to an Analyst process. */
export type ToAnalyst = AnalystRequest;

/** The codes an Analyst's failures carry, each the contract's. */
export type AnalystErrorCode = Extract<ErrorCode, 'INVALID_INPUT' | 'INVALID_REQUEST' | 'NOT_FOUND' | 'GRAPH_ERRORS' | 'FORBIDDEN' | 'FILE_REFUSED' | 'IO' | 'INTERNAL'>;

/** Messages from an Analyst process to the Backend: each request's answer, in the order they came. */
export type FromAnalyst = { type: 'result'; id: number; value: unknown } | { type: 'error'; id: number; code: AnalystErrorCode; message: string };
