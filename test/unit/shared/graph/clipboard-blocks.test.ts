import { describe, expect, it } from 'vitest';
import { layersIn } from '../../../../shared/graph/blocks.js';
import { clipText, copyLayers, pasteLayers, readClip } from '../../../../shared/graph/clipboard.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { chain, node } from '../../../fixtures/graphs.js';

/** in → a → b → c, with [a, b] in "Pair", nested in "Outer" with c. */
function nested(): Graph {
  const graph = chain(node('in', 'Input', { shape: [4] }), node('a', 'Dense', { units: 4 }), node('b', 'Dense', { units: 4 }), node('c', 'Dense', { units: 2 }));
  return { ...graph, blocks: [{ id: 'pair', name: 'Pair', members: ['a', 'b'], repeat: 2 }, { id: 'outer', name: 'Outer', members: ['pair', 'c'], collapsed: true }] };
}

describe('copying and pasting blocks', () => {
  it('carries the blocks wholly inside the copied layers, and pastes them under fresh ids around the pasted layers', () => {
    const graph = nested();
    const clip = readClip(clipText(copyLayers(graph, ['a', 'b', 'c'])!))!;
    expect(clip.blocks?.map((b) => b.id)).toEqual(['pair', 'outer']);
    const { graph: pasted, ids } = pasteLayers(graph, clip);
    const added = pasted.blocks!.slice(2);
    expect(added.map((b) => [b.name, b.repeat, b.collapsed])).toEqual([
      ['Pair', 2, undefined],
      ['Outer', undefined, true],
    ]);
    expect(added.map((b) => b.id).some((id) => id === 'pair' || id === 'outer')).toBe(false);
    expect(layersIn(pasted, added[1]!.id)).toEqual(ids);
    expect(added[1]!.members).toContain(added[0]!.id);
    // The original blocks are as they were.
    expect(pasted.blocks!.slice(0, 2)).toEqual(graph.blocks);
  });

  it('leaves out a block only part of which is copied, keeping the inner block that is whole', () => {
    const clip = copyLayers(nested(), ['a', 'b'])!;
    expect(clip.blocks).toEqual([{ id: 'pair', name: 'Pair', members: ['a', 'b'], repeat: 2 }]);
    expect(copyLayers(nested(), ['a'])!.blocks).toBeUndefined();
  });
});
