/**
 * Layers on the clipboard: plain JSON text, so a selection copied in one window pastes into
 * another (or into a text editor and back).
 */
import { z } from 'zod';
import { freshId, makeEdge } from './edits.js';
import { boxOf, estimatedSize, freeOffset, occupiedBoxes, type Point, type SizeOf } from './placement.js';
import { layersIn } from './blocks.js';
import type { Graph, GraphBlock, GraphEdge, GraphNode } from './types.js';
import { graphBlockSchema, graphEdgeSchema, graphNodeSchema } from '../project/schema.js';

export const CLIPBOARD_FORMAT = 'netcanvas/layers';

const clipSchema = z.object({
  format: z.literal(CLIPBOARD_FORMAT),
  version: z.literal(1),
  nodes: z.array(graphNodeSchema).min(1),
  edges: z.array(graphEdgeSchema),
  /** The blocks wholly inside the copied layers, which paste as blocks again. */
  blocks: z.array(graphBlockSchema).optional(),
});
export type Clip = z.infer<typeof clipSchema>;

/** The chosen layers and the connections between them; connections to the rest stay behind. */
export function copyLayers(graph: Graph, ids: readonly string[]): Clip | null {
  const chosen = new Set(ids);
  const nodes = graph.nodes.filter((n) => chosen.has(n.id));
  if (nodes.length === 0) return null;
  const edges = graph.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target));
  const blocks = (graph.blocks ?? []).filter((b) => layersIn(graph, b.id).length > 0 && layersIn(graph, b.id).every((id) => chosen.has(id)));
  const kept = new Set([...chosen, ...blocks.map((b) => b.id)]);
  const clip: Clip = { format: CLIPBOARD_FORMAT, version: 1, nodes, edges };
  if (blocks.length > 0) clip.blocks = blocks.map((b) => ({ ...b, members: b.members.filter((m) => kept.has(m)) }));
  return clip;
}

export function clipText(clip: Clip): string {
  return JSON.stringify(clip);
}

/** Layers from clipboard text: our own format, or the network of a whole project file. */
export function readClip(text: string): Clip | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const clip = clipSchema.safeParse(raw);
  if (clip.success) return clip.data;
  const project = z.object({ schemaVersion: z.number(), graph: z.object({ nodes: z.array(graphNodeSchema).min(1), edges: z.array(graphEdgeSchema) }) }).safeParse(raw);
  return project.success ? { format: CLIPBOARD_FORMAT, version: 1, ...project.data.graph } : null;
}

/** A display name not used yet: names become Keras layer names, which must be unique. */
function uniqueName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  let n = 2;
  while (taken.has(`${name}_${n}`)) n++;
  return `${name}_${n}`;
}

/**
 * Adds the clip's layers under fresh ids with their inner connections. They land with their
 * top-left corner at `at` when given (else a little below and right of where they were
 * copied from), moved as a group to the nearest place where they cover no other layer.
 */
export function pasteLayers(graph: Graph, clip: Clip, at?: Point, sizeOf: SizeOf = estimatedSize): { graph: Graph; ids: string[] } {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const names = new Set(graph.nodes.flatMap((n) => (n.name ? [n.name] : [])));
  const renamed = new Map<string, string>();
  for (const node of clip.nodes) {
    const id = freshId((candidate) => ids.has(candidate), node.type);
    ids.add(id);
    renamed.set(node.id, id);
  }
  const left = Math.min(...clip.nodes.map((n) => n.position.x));
  const top = Math.min(...clip.nodes.map((n) => n.position.y));
  const preferred = at ? { x: at.x - left, y: at.y - top } : { x: 40, y: 40 };
  // Pasted layers have no measured size yet: each takes the size of the one it copies, if known.
  const group = clip.nodes.map((n) => boxOf(n, sizeOf));
  const offset = freeOffset(occupiedBoxes(graph, sizeOf), group, preferred);
  const nodes: GraphNode[] = clip.nodes.map((n) => {
    const { name, ...rest } = n;
    const pasted: GraphNode = { ...rest, id: renamed.get(n.id)!, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } };
    if (name) {
      pasted.name = uniqueName(name, names);
      names.add(pasted.name);
    }
    return pasted;
  });
  const edges: GraphEdge[] = clip.edges
    .filter((e) => renamed.has(e.source) && renamed.has(e.target))
    .map((e) => makeEdge({ ...e, source: renamed.get(e.source)!, target: renamed.get(e.target)! }));
  const pasted: Graph = { ...graph, nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...edges] };
  const blocks = pastedBlocks(graph, clip, renamed);
  if (blocks.length > 0) pasted.blocks = [...(graph.blocks ?? []), ...blocks];
  return { graph: pasted, ids: nodes.map((n) => n.id) };
}

/** The clip's blocks under fresh ids, holding the pasted layers and each other. */
function pastedBlocks(graph: Graph, clip: Clip, renamed: Map<string, string>): GraphBlock[] {
  if (!clip.blocks?.length) return [];
  const taken = new Set([...(graph.blocks ?? []).map((b) => b.id), ...graph.nodes.map((n) => n.id), ...renamed.values()]);
  const blockIds = new Map<string, string>();
  for (const block of clip.blocks) {
    let n = 1;
    while (taken.has(`block_${n}`)) n++;
    blockIds.set(block.id, `block_${n}`);
    taken.add(`block_${n}`);
  }
  return clip.blocks
    .map((b) => ({ ...b, id: blockIds.get(b.id)!, members: b.members.flatMap((m) => renamed.get(m) ?? blockIds.get(m) ?? []) }))
    .filter((b) => b.members.length > 0);
}
