import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as store from '../../../../renderer/stores/graphStore.js';
import { copyLayers } from '../../../../shared/graph/clipboard.js';
import { estimatedSize } from '../../../../shared/graph/placement.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { chain, node, project } from '../../../fixtures/graphs.js';

const { useGraphStore } = store;
const positions = () => Object.fromEntries(useGraphStore.getState().graph.nodes.map((n) => [n.id, n.position]));

/** A chain of layers all dropped on one spot, as a messy clipboard might hold them. */
function pile(count: number): Graph {
  const graph = chain(node('in', 'Input', { shape: [8] }), ...Array.from({ length: count - 1 }, (_, i) => node(`d${i}`, 'Dense', { units: 8 })));
  return { ...graph, nodes: graph.nodes.map((n) => ({ ...n, position: { x: 100, y: 100 } })) };
}

const overlap = (a: { x: number; y: number }, b: { x: number; y: number }) => {
  const { width, height } = estimatedSize('');
  return a.x < b.x + width && b.x < a.x + width && a.y < b.y + height && b.y < a.y + height;
};

describe('pasting many layers', () => {
  beforeEach(() => {
    store.loadDocument(project(chain(node('x', 'Input', { shape: [4] }), node('y', 'Dense', { units: 2 }))), 'paste');
    store.resetHistory();
  });

  it('arranges them among themselves where they land, moves nothing else, and one undo takes the paste back', async () => {
    const source = pile(store.ARRANGE_PASTED_FROM + 2);
    const clip = copyLayers(source, source.nodes.map((n) => n.id))!;
    const before = positions();
    const ids = store.paste(clip, { x: 600, y: 400 });
    expect(ids).toHaveLength(source.nodes.length);
    await vi.waitFor(() => {
      const at = positions();
      expect(new Set(ids.map((id) => `${at[id]!.x},${at[id]!.y}`)).size).toBe(ids.length);
    });
    const at = positions();
    for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) expect(overlap(at[ids[i]!]!, at[ids[j]!]!), `${ids[i]} and ${ids[j]}`).toBe(false);
    // The pasted layers keep the corner they landed at; the layers already there stay put.
    expect(Math.min(...ids.map((id) => at[id]!.x))).toBe(600);
    expect(Math.min(...ids.map((id) => at[id]!.y))).toBe(400);
    for (const [id, p] of Object.entries(before)) expect(at[id]).toEqual(p);
    store.undo();
    expect(positions()).toEqual(before);
  });

  it('leaves a few pasted layers where they land', async () => {
    const source = pile(3);
    const ids = store.paste(copyLayers(source, source.nodes.map((n) => n.id))!, { x: 600, y: 400 });
    const landed = positions();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(positions()).toEqual(landed);
    expect(ids).toHaveLength(3);
  });
});
