/** A tensor shape; the first entry is the batch dimension, `null` where unknown. */
export type Shape = readonly (number | null)[];

/** A layer nested inside a wrapper layer (Bidirectional, TimeDistributed). */
export interface LayerRef {
  type: string;
  params: Params;
}

/** `null` means "not set": Keras's `None` (e.g. value_dim defaults to key_dim). */
export type ParamValue = number | string | boolean | number[] | null | LayerRef;
export type Params = Readonly<Record<string, ParamValue>>;

export interface GraphNode {
  id: string;
  type: string;
  params: Params;
  position: { x: number; y: number };
  /** Optional display name; the Keras layer name on import/export. */
  name?: string;
  /** Frozen layers keep their weights while the rest trains (Keras's `trainable: false`). */
  frozen?: boolean;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** Which output of the source, as its index ("0", "1", …); absent means the first. */
  sourceHandle?: string;
  /** Which named input slot of the target (e.g. "query"); absent means the next free one, in edge order. */
  targetHandle?: string;
}

/**
 * Layers grouped under a name, as architectures are drawn: an encoder, a residual block.
 * A block is how the network is drawn and edited; the network itself is its layers, with a
 * repeated block copied `repeat` times in sequence (`expandBlocks` in blocks.ts).
 */
export interface GraphBlock {
  id: string;
  name: string;
  /** The layers and the blocks directly inside this one; a layer or block belongs to at most one block. */
  members: string[];
  /** Drawn as one node showing its inputs, outputs and parameter count. */
  collapsed?: boolean;
  /** How many copies in sequence, each with its own weights (1 when absent). */
  repeat?: number;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  blocks?: GraphBlock[];
}

/** How many values a list of known sizes holds. */
export function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

export function formatShape(shape: Shape): string {
  const dims = shape.map((d) => (d === null ? '?' : String(d)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}

export function isLayerRef(value: ParamValue | undefined): value is LayerRef {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
