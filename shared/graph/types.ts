/** A tensor shape; the first entry is the batch dimension, `null` where unknown. */
export type Shape = readonly (number | null)[];

export type ParamValue = number | string | boolean | number[];
export type Params = Readonly<Record<string, ParamValue>>;

export interface GraphNode {
  id: string;
  type: string;
  params: Params;
  position: { x: number; y: number };
  /** Optional display name; the Keras layer name on import/export. */
  name?: string;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function formatShape(shape: Shape): string {
  const dims = shape.map((d) => (d === null ? '?' : String(d)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}
