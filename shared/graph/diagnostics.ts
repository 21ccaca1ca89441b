import type { ParamValue } from './types.js';

/** Every problem inference or validation can report, as a stable code. */
export type DiagnosticCode =
  | 'UNKNOWN_LAYER'
  | 'INVALID_PARAM'
  | 'DANGLING_EDGE'
  | 'DUPLICATE_ID'
  | 'CYCLE'
  | 'MISSING_INPUT'
  | 'TOO_MANY_INPUTS'
  | 'UNKNOWN_SLOT'
  | 'NO_SUCH_OUTPUT'
  | 'INPUT_HAS_INCOMING'
  | 'NO_INPUT_LAYER'
  | 'NO_OUTPUT_LAYER'
  | 'NEEDS_FLAT_INPUT'
  | 'WRONG_RANK'
  | 'KERNEL_TOO_LARGE'
  | 'EMPTY_OUTPUT'
  | 'MERGE_MISMATCH'
  | 'UNKNOWN_DIMENSION'
  | 'SHAPE_MISMATCH'
  /** A block asked to repeat whose copies cannot follow one another. */
  | 'BLOCK_REPEAT';

/** A one-click repair the UI can offer. */
export type Fix =
  /** Insert a new layer between this node and its input. */
  | { kind: 'insert-before'; layerType: string; params?: Record<string, ParamValue>; label: string }
  /**
   * Change one parameter, on this node or on another, e.g. the LSTM feeding this one.
   * A layer spec names that other node as `onInput` (its input index); inference turns it into `nodeId`.
   */
  | { kind: 'set-param'; nodeId?: string; onInput?: number; param: string; value: ParamValue; label: string };

export interface Diagnostic {
  code: DiagnosticCode;
  /** The node the problem sits on; absent for problems of the whole graph. */
  nodeId?: string;
  message: string;
  fix?: Fix;
}
