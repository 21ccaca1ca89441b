/** Every problem inference or validation can report, as a stable code. */
export type DiagnosticCode =
  | 'UNKNOWN_LAYER'
  | 'INVALID_PARAM'
  | 'DANGLING_EDGE'
  | 'DUPLICATE_ID'
  | 'CYCLE'
  | 'MISSING_INPUT'
  | 'TOO_MANY_INPUTS'
  | 'INPUT_HAS_INCOMING'
  | 'NO_INPUT_LAYER'
  | 'NO_OUTPUT_LAYER'
  | 'NEEDS_FLAT_INPUT'
  | 'UNKNOWN_DIMENSION'
  | 'SHAPE_MISMATCH';

/** A one-click repair the UI can offer. */
export type Fix = { kind: 'insert-before'; layerType: string; label: string };

export interface Diagnostic {
  code: DiagnosticCode;
  /** The node the problem sits on; absent for problems of the whole graph. */
  nodeId?: string;
  message: string;
  fix?: Fix;
}
