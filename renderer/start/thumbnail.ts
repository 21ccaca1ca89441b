/**
 * The picture a template's card shows of its network: the graph's layers as boxes at their
 * canvas positions and its connections as lines, scaled to fit a box with the aspect kept.
 * A collapsed block is one box where the canvas draws it (at the top-left corner of its
 * layers, which a layout leaves room for); an expanded block a frame behind its layers.
 * Pure geometry, so it is tested without a page.
 */
import { BLOCK_PADDING, blocksOf, hiddenIn, layersIn } from '../../shared/graph/blocks.js';
import { COLLAPSED_SIZE, NODE_SIZE } from '../../shared/graph/placement.js';
import type { Graph } from '../../shared/graph/types.js';
import { getLayerSpec } from '../../shared/layers/registry.js';
import type { LayerCategory } from '../../shared/layers/types.js';

/** A layer and a collapsed block at about the size the canvas draws them, in canvas units. */
export const LAYER_SIZE = NODE_SIZE;
export const BLOCK_SIZE = COLLAPSED_SIZE;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A layer, or a collapsed block standing for its layers. */
export interface ThumbBox extends Rect {
  id: string;
  kind: 'layer' | 'block';
  /** The layer's type, or the block's name. */
  label: string;
  /** The layer's palette category, which colours it; null for a block or an unknown type. */
  category: LayerCategory | null;
}

/** An expanded block: a frame around its layers. */
export interface ThumbFrame extends Rect {
  id: string;
  label: string;
}

/** A connection from the side of one box to the side of another, along the line between their centres. */
export interface ThumbLine {
  id: string;
  source: string;
  target: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface Thumbnail {
  width: number;
  height: number;
  boxes: ThumbBox[];
  frames: ThumbFrame[];
  lines: ThumbLine[];
}

export interface ThumbnailOptions {
  /** Room left empty around the picture, in the picture's units. */
  padding?: number;
  /** Never drawn larger than this many picture units per canvas unit, so a network of two layers is not two slabs. */
  maxScale?: number;
}

function union(rects: readonly Rect[]): Rect {
  const x = Math.min(...rects.map((r) => r.x));
  const y = Math.min(...rects.map((r) => r.y));
  const right = Math.max(...rects.map((r) => r.x + r.width));
  const bottom = Math.max(...rects.map((r) => r.y + r.height));
  return { x, y, width: right - x, height: bottom - y };
}

const centre = (r: Rect) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });

/** Where the line from a box's centre towards a point leaves the box (the centre itself when the point is inside). */
export function sidePoint(rect: Rect, toward: { x: number; y: number }): { x: number; y: number } {
  const c = centre(rect);
  const dx = toward.x - c.x;
  const dy = toward.y - c.y;
  const t = Math.min(dx === 0 ? Infinity : rect.width / 2 / Math.abs(dx), dy === 0 ? Infinity : rect.height / 2 / Math.abs(dy));
  if (!Number.isFinite(t) || t >= 1) return c;
  return { x: c.x + dx * t, y: c.y + dy * t };
}

/** The picture of a graph in a box of `size`, in that box's units. */
export function thumbnailOf(graph: Graph, size: { width: number; height: number }, options: ThumbnailOptions = {}): Thumbnail {
  const padding = options.padding ?? 6;
  const maxScale = options.maxScale ?? 0.25;
  const empty: Thumbnail = { width: size.width, height: size.height, boxes: [], frames: [], lines: [] };
  if (graph.nodes.length === 0) return empty;

  const layerRect = new Map<string, Rect>(graph.nodes.map((n) => [n.id, { x: n.position.x, y: n.position.y, ...LAYER_SIZE }]));
  // Each layer is drawn as itself or as the outermost collapsed block it is hidden in.
  const drawnAs = new Map<string, string>();
  const hiddenBy = new Map<string, string[]>();
  for (const node of graph.nodes) {
    const block = hiddenIn(graph, node.id);
    drawnAs.set(node.id, block ?? node.id);
    if (block !== undefined) hiddenBy.set(block, [...(hiddenBy.get(block) ?? []), node.id]);
  }

  const boxes: ThumbBox[] = [];
  for (const node of graph.nodes) {
    if (drawnAs.get(node.id) !== node.id) continue;
    boxes.push({ id: node.id, kind: 'layer', label: node.type, category: getLayerSpec(node.type)?.category ?? null, ...layerRect.get(node.id)! });
  }
  for (const block of blocksOf(graph)) {
    const members = hiddenBy.get(block.id);
    if (!members) continue;
    const corner = union(members.map((id) => layerRect.get(id)!));
    boxes.push({ id: block.id, kind: 'block', label: block.name, category: null, x: corner.x, y: corner.y, ...BLOCK_SIZE });
  }
  const boxOf = new Map(boxes.map((b) => [b.id, b]));

  // An expanded block's frame goes around what is drawn of its layers, a collapsed block inside counting as its box.
  const frames: ThumbFrame[] = [];
  for (const block of blocksOf(graph)) {
    if (block.collapsed || hiddenIn(graph, block.id) !== undefined) continue;
    const drawn = [...new Set(layersIn(graph, block.id).map((id) => drawnAs.get(id)!))];
    if (drawn.length === 0) continue;
    const around = union(drawn.map((id) => boxOf.get(id)!));
    frames.push({
      id: block.id,
      label: block.name,
      x: around.x - BLOCK_PADDING.side,
      y: around.y - BLOCK_PADDING.top,
      width: around.width + 2 * BLOCK_PADDING.side,
      height: around.height + BLOCK_PADDING.top + BLOCK_PADDING.bottom,
    });
  }

  // One uniform scale for both directions keeps the network's shape; it is centred in the box.
  const bounds = union([...boxes, ...frames]);
  const scale = Math.min((size.width - 2 * padding) / bounds.width, (size.height - 2 * padding) / bounds.height, maxScale);
  const offsetX = (size.width - bounds.width * scale) / 2 - bounds.x * scale;
  const offsetY = (size.height - bounds.height * scale) / 2 - bounds.y * scale;
  const place = <T extends Rect>(r: T): T => ({ ...r, x: r.x * scale + offsetX, y: r.y * scale + offsetY, width: r.width * scale, height: r.height * scale });
  const placed = boxes.map(place);
  const byId = new Map(placed.map((b) => [b.id, b]));

  const lines: ThumbLine[] = [];
  const seen = new Set<string>();
  for (const edge of graph.edges) {
    const source = drawnAs.get(edge.source);
    const target = drawnAs.get(edge.target);
    if (source === undefined || target === undefined || source === target) continue;
    const key = `${source}\u0000${target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const from = byId.get(source)!;
    const to = byId.get(target)!;
    const start = sidePoint(from, centre(to));
    const end = sidePoint(to, centre(from));
    lines.push({ id: edge.id, source, target, x1: start.x, y1: start.y, x2: end.x, y2: end.y });
  }
  return { width: size.width, height: size.height, boxes: placed, frames: frames.map(place), lines };
}
