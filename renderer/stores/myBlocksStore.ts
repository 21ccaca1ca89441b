import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { layersIn } from '../../shared/graph/blocks.js';
import { clipText, copyLayers, readClip, type Clip } from '../../shared/graph/clipboard.js';
import type { Graph } from '../../shared/graph/types.js';

/**
 * My blocks: blocks saved to the palette, kept in this browser's storage so that any project
 * can use them. Each is a clip of its layers with the block (and the blocks inside it).
 */
export interface SavedBlock {
  id: string;
  name: string;
  /** How many layers it holds, shown in the palette. */
  layers: number;
  clip: Clip;
}

interface MyBlocksState {
  blocks: SavedBlock[];
}

export const useMyBlocksStore = create<MyBlocksState>()(
  persist((): MyBlocksState => ({ blocks: [] }), {
    name: 'netcanvas.my-blocks',
    version: 1,
    // What storage holds is read as a clipboard is: an entry that no longer reads as layers is dropped, not trusted.
    merge: (stored, current) => ({ ...current, blocks: readSaved(stored) }),
  }),
);

function readSaved(stored: unknown): SavedBlock[] {
  const list = (stored as { blocks?: unknown } | null)?.blocks;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    const { id, name, clip } = (entry ?? {}) as Partial<SavedBlock>;
    const read = clip ? readClip(JSON.stringify(clip)) : null;
    if (typeof id !== 'string' || typeof name !== 'string' || !name.trim() || !read) return [];
    return [{ id, name, layers: read.nodes.length, clip: read }];
  });
}

/** Saves a block of this graph to My blocks, under its name; the reason in words when it cannot be. */
export function saveBlock(graph: Graph, blockId: string): string | null {
  const block = graph.blocks?.find((b) => b.id === blockId);
  if (!block) return 'There is no such block to save.';
  const clip = copyLayers(graph, layersIn(graph, blockId));
  if (!clip) return `Block "${block.name}" has no layers to save.`;
  const saved: SavedBlock = { id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, name: block.name, layers: clip.nodes.length, clip: readClip(clipText(clip))! };
  useMyBlocksStore.setState((s) => ({ blocks: [...s.blocks, saved] }));
  return null;
}

export function forgetBlock(id: string): void {
  useMyBlocksStore.setState((s) => ({ blocks: s.blocks.filter((b) => b.id !== id) }));
}
