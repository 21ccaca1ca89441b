import { carriedShape, type Inference } from './infer.js';
import { formatShape, type Graph, type GraphEdge, type GraphNode } from './types.js';

export interface Point {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface Box extends Point, Size {}

/** The size the canvas draws a layer at, roughly, before it has been measured. */
export const NODE_SIZE: Size = { width: 220, height: 110 };
/** Room between layers: a column gap wide enough for the shape label on each connection. */
export const GAP = { x: 150, y: 40 } as const;

/** The drawn size of each layer; the canvas passes what it has measured. */
export type SizeOf = (id: string) => Size;
/** A collapsed block's size, roughly, before it has been measured: a layer's, a little larger. */
export const COLLAPSED_SIZE: Size = { width: 240, height: 130 };
/** Collapsed blocks are measured under `block:<id>` (blockNodeId), layers under their own ids. */
export const estimatedSize: SizeOf = (id) => (id.startsWith('block:') ? COLLAPSED_SIZE : NODE_SIZE);

/**
 * Each connection's shape label as the canvas draws it (12 px monospace in a padded box,
 * `.edge-shape`), for a layout to leave room for; null where no shape is known.
 */
export function shapeLabelsOf(inference: Inference): (edge: GraphEdge) => Size | null {
  return (edge) => {
    const shape = carriedShape(inference, edge.source, edge.sourceHandle);
    return shape ? { width: Math.ceil(formatShape(shape).length * 7.3 + 14), height: 20 } : null;
  };
}

export function boxOf(node: GraphNode, sizeOf: SizeOf): Box {
  return { ...node.position, ...sizeOf(node.id) };
}

/** Boxes that come closer than `margin` count as covering each other. */
function overlaps(a: Box, b: Box, margin = 16): boolean {
  return a.x < b.x + b.width + margin && b.x < a.x + a.width + margin && a.y < b.y + b.height + margin && b.y < a.y + a.height + margin;
}

const STEP = 30;
const MAX_RINGS = 80;

/**
 * Offsets around (0, 0) in growing square rings on a 30-pixel grid, nearest first; at equal
 * distance, right before left and down before up, so new layers follow the flow of the graph.
 */
function* ringOffsets(): Generator<Point> {
  yield { x: 0, y: 0 };
  for (let ring = 1; ring <= MAX_RINGS; ring++) {
    const cells: Point[] = [];
    for (let dx = -ring; dx <= ring; dx++) {
      for (let dy = -ring; dy <= ring; dy++) if (Math.max(Math.abs(dx), Math.abs(dy)) === ring) cells.push({ x: dx * STEP, y: dy * STEP });
    }
    cells.sort((a, b) => Math.hypot(a.x, a.y) - Math.hypot(b.x, b.y) || b.x - a.x || b.y - a.y);
    yield* cells;
  }
}

/**
 * How far to move a group of boxes from where it would like to be so that none of them
 * covers an occupied box: the smallest such move, or below everything when none is near.
 */
export function freeOffset(occupied: readonly Box[], group: readonly Box[], preferred: Point = { x: 0, y: 0 }): Point {
  for (const ring of ringOffsets()) {
    const offset = { x: preferred.x + ring.x, y: preferred.y + ring.y };
    const clear = group.every((box) => !occupied.some((other) => overlaps({ ...box, x: box.x + offset.x, y: box.y + offset.y }, other)));
    if (clear) return offset;
  }
  const bottom = Math.max(...occupied.map((b) => b.y + b.height));
  const top = Math.min(...group.map((b) => b.y));
  return { x: preferred.x, y: bottom + GAP.y - top };
}

/** The free spot nearest `preferred` for one box of `size`. */
export function freeSpot(occupied: readonly Box[], preferred: Point, size: Size): Point {
  const offset = freeOffset(occupied, [{ ...preferred, ...size }]);
  return { x: preferred.x + offset.x, y: preferred.y + offset.y };
}

export function occupiedBoxes(graph: Graph, sizeOf: SizeOf, except: ReadonlySet<string> = new Set()): Box[] {
  return graph.nodes.filter((n) => !except.has(n.id)).map((n) => boxOf(n, sizeOf));
}
