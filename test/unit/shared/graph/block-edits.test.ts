import { describe, expect, it } from 'vitest';
import { groupIntoBlock, inferNetwork, pruneBlocks, ungroupBlock, updateBlock } from '../../../../shared/graph/blocks.js';
import { addLayerAfter, removeElements } from '../../../../shared/graph/edits.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { chain, node } from '../../../fixtures/graphs.js';

const mlp = (): Graph =>
  chain(node('in', 'Input', { shape: [8] }), node('d1', 'Dense', { units: 16 }), node('d2', 'Dense', { units: 16 }), node('out', 'Dense', { units: 2 }));

function grouped(graph: Graph, ids: string[], name?: string): { graph: Graph; id: string } {
  const result = groupIntoBlock(graph, ids, name);
  if ('problem' in result) throw new Error(result.problem);
  return result;
}

describe('block edits', () => {
  it('groups layers into a named block that repeats, and ungroups it back', () => {
    const graph = mlp();
    const { graph: withBlock, id } = grouped(graph, ['d1'], 'hidden');
    expect(withBlock.blocks).toEqual([{ id, name: 'hidden', members: ['d1'] }]);
    const repeated = updateBlock(withBlock, id, { repeat: 3 });
    const inference = inferNetwork(repeated);
    expect(inference.diagnostics).toEqual([]);
    // 8·16+16, then two more copies of 16·16+16, then the rest as it was.
    expect(inference.totalParams).toBe(144 + 2 * 272 + 272 + 34);
    expect(updateBlock(repeated, id, { repeat: 1 }).blocks![0]).not.toHaveProperty('repeat');
    expect(ungroupBlock(repeated, id)).toEqual(graph);
  });

  it('nests a block grouped inside another, and refuses layers of different blocks', () => {
    const outer = grouped(mlp(), ['d1', 'd2'], 'outer');
    const inner = grouped(outer.graph, ['d2'], 'inner');
    expect(inner.graph.blocks!.find((b) => b.id === outer.id)!.members).toEqual(['d1', inner.id]);
    const refused = groupIntoBlock(inner.graph, ['d2', 'out']);
    expect(refused).toEqual({ problem: expect.stringContaining('different blocks') });
    expect(groupIntoBlock(mlp(), [])).toEqual({ problem: expect.stringContaining('Select') });
  });

  it('says in words why a block cannot repeat', () => {
    const { graph, id } = grouped(mlp(), ['in', 'd1']);
    const problems = inferNetwork(updateBlock(graph, id, { repeat: 2 })).diagnostics.filter((d) => d.code === 'BLOCK_REPEAT');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/no input from outside/);
  });

  it('keeps blocks through edits: a removed layer leaves its block, an empty block goes, a layer added in a block joins it', () => {
    const outer = grouped(mlp(), ['d1', 'd2'], 'outer');
    const inner = grouped(outer.graph, ['d2'], 'inner');
    const removed = removeElements(inner.graph, ['d2']);
    expect(removed.blocks).toEqual([{ id: outer.id, name: 'outer', members: ['d1'] }]);
    expect(pruneBlocks(removeElements(removed, ['d1']))).not.toHaveProperty('blocks');
    const added = addLayerAfter(outer.graph, 'Dropout', 'd1');
    expect(added).not.toBeNull();
    expect(added!.graph.blocks![0]!.members).toContain(added!.id);
  });
});
