import { describe, expect, it } from 'vitest';
import { blockPorts, expandBlocks, hiddenIn, layersIn, nameStem, networkOf } from '../../../../shared/graph/blocks.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Graph, GraphBlock, GraphEdge } from '../../../../shared/graph/types.js';
import { chain, node } from '../../../fixtures/graphs.js';

const edge = (id: string, source: string, target: string): GraphEdge => ({ id, source, target });

/** in → first → [Res Block: a → b, Add(first, b)] → out; `repeat` copies of the block. */
function residual(block: Partial<GraphBlock> = {}): Graph {
  return {
    nodes: [
      node('in', 'Input', { shape: [8] }),
      node('first', 'Dense', { units: 8 }),
      node('a', 'Dense', { units: 16 }),
      { ...node('b', 'Dense', { units: 8 }), name: 'proj' },
      node('sum', 'Add'),
      node('out', 'Dense', { units: 3 }),
    ],
    edges: [edge('e0', 'in', 'first'), edge('e1', 'first', 'a'), edge('e2', 'a', 'b'), edge('e3', 'first', 'sum'), edge('e4', 'b', 'sum'), edge('e5', 'sum', 'out')],
    blocks: [{ id: 'res', name: 'Res Block', members: ['a', 'b', 'sum'], ...block }],
  };
}

const sources = (graph: Graph, target: string) =>
  graph.edges
    .filter((e) => e.target === target)
    .map((e) => e.source)
    .sort();
const nameOf = (graph: Graph, id: string) => graph.nodes.find((n) => n.id === id)?.name;

describe('expandBlocks', () => {
  it('returns a graph with no blocks as it is', () => {
    const graph = chain(node('in', 'Input', { shape: [4] }), node('d', 'Dense', { units: 2 }));
    const expansion = expandBlocks(graph);
    expect(expansion.graph).toBe(graph);
    expect(expansion.problems).toEqual([]);
    expect(expansion.copyOf.size).toBe(0);
    expect(networkOf(graph)).toBe(graph);
    expect(networkOf({ ...graph, blocks: [] })).toEqual({ ...graph, blocks: [] });
  });

  it('chains copies of a repeated residual block, each fed by the one before', () => {
    const { graph, problems, copyOf } = expandBlocks(residual({ repeat: 3 }));
    expect(problems).toEqual([]);
    expect(graph.blocks).toBeUndefined();
    expect(graph.nodes.map((n) => n.id).sort()).toEqual(['a', 'a__2', 'a__3', 'b', 'b__2', 'b__3', 'first', 'in', 'out', 'sum', 'sum__2', 'sum__3'].sort());
    expect(new Set(graph.edges.map((e) => e.id)).size).toBe(graph.edges.length);

    // Every layer that took the block's input takes the previous copy's exit.
    expect(sources(graph, 'a')).toEqual(['first']);
    expect(sources(graph, 'sum')).toEqual(['b', 'first']);
    expect(sources(graph, 'a__2')).toEqual(['sum']);
    expect(sources(graph, 'b__2')).toEqual(['a__2']);
    expect(sources(graph, 'sum__2')).toEqual(['b__2', 'sum']);
    expect(sources(graph, 'a__3')).toEqual(['sum__2']);
    expect(sources(graph, 'sum__3')).toEqual(['b__3', 'sum__2']);
    // The edge leaving the block now leaves the last copy.
    expect(sources(graph, 'out')).toEqual(['sum__3']);
    expect(graph.edges.filter((e) => e.source === 'sum').map((e) => e.target).sort()).toEqual(['a__2', 'sum__2']);

    expect(copyOf.get('a__3')).toBe('a');
    expect(copyOf.get('sum__2')).toBe('sum');
    expect(copyOf.has('a')).toBe(false);
  });

  it('names each copied layer by its block, its copy and its own name or id', () => {
    const { graph } = expandBlocks(residual({ repeat: 3 }));
    expect(nameOf(graph, 'a')).toBe('Res_Block_1_a');
    expect(nameOf(graph, 'b')).toBe('Res_Block_1_proj');
    expect(nameOf(graph, 'a__2')).toBe('Res_Block_2_a');
    expect(nameOf(graph, 'b__3')).toBe('Res_Block_3_proj');
    expect(nameOf(graph, 'sum__3')).toBe('Res_Block_3_sum');
    expect(nameOf(graph, 'first')).toBeUndefined();
    expect(nameOf(graph, 'out')).toBeUndefined();
  });

  it('gives the network the right shapes and three times the block’s parameters', () => {
    const once = inferGraph(networkOf(residual()));
    const thrice = inferGraph(networkOf(residual({ repeat: 3 })));
    expect(thrice.diagnostics).toEqual([]);
    expect(thrice.nodes.out!.outputShape).toEqual([null, 3]);
    expect(thrice.nodes.sum__3!.outputShape).toEqual([null, 8]);
    const block = (8 * 16 + 16) + (16 * 8 + 8);
    const outside = (8 * 8 + 8) + (8 * 3 + 3);
    expect(once.totalParams).toBe(outside + block);
    expect(thrice.totalParams).toBe(outside + 3 * block);
    expect(thrice.outputIds).toEqual(['out']);
  });

  it('repeats inner blocks inside each copy of the outer one', () => {
    // in → [outer: [inner: a → b] → c] → out, inner ×2, outer ×2.
    const graph: Graph = {
      ...chain(node('in', 'Input', { shape: [4] }), node('a', 'Dense', { units: 4 }), node('b', 'Dense', { units: 4 }), node('c', 'Dense', { units: 4 }), node('out', 'Dense', { units: 2 })),
      blocks: [
        { id: 'outer', name: 'outer', members: ['inner', 'c'], repeat: 2 },
        { id: 'inner', name: 'inner', members: ['a', 'b'], repeat: 2 },
      ],
    };
    expect(layersIn(graph, 'outer')).toEqual(['a', 'b', 'c']);
    const { graph: network, problems, copyOf } = expandBlocks(graph);
    expect(problems).toEqual([]);
    const ids = network.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(network.edges.map((e) => e.id)).size).toBe(network.edges.length);
    expect(ids.filter((id) => (copyOf.get(id) ?? id) === 'a').sort()).toEqual(['a', 'a__1__2', 'a__2__1', 'a__2__2']);
    expect(ids.filter((id) => (copyOf.get(id) ?? id) === 'b')).toHaveLength(4);
    expect(ids.filter((id) => (copyOf.get(id) ?? id) === 'c')).toHaveLength(2);
    expect(network.nodes.filter((n) => copyOf.get(n.id) === 'a' || n.id === 'a').map((n) => n.name).sort()).toEqual([
      'outer_1_inner_1_a',
      'outer_1_inner_2_a',
      'outer_2_inner_1_a',
      'outer_2_inner_2_a',
    ]);

    // One chain from input to output through every copy.
    const inference = inferGraph(network);
    expect(inference.diagnostics).toEqual([]);
    expect(inference.order).toHaveLength(network.nodes.length);
    expect(inference.totalParams).toBe(10 * (4 * 4 + 4) + (4 * 2 + 2));
    const next = new Map(network.edges.map((e) => [e.source, e.target]));
    expect(network.edges.every((e) => network.edges.filter((f) => f.source === e.source).length === 1)).toBe(true);
    const path = ['in'];
    while (next.has(path.at(-1)!)) path.push(next.get(path.at(-1)!)!);
    expect(path.map((id) => copyOf.get(id) ?? id)).toEqual(['in', 'a', 'b', 'a', 'b', 'c', 'a', 'b', 'a', 'b', 'c', 'out']);
  });

  it('renames a block that is not repeated, and copies nothing', () => {
    const source = residual({ repeat: 1 });
    const { graph, problems, copyOf } = expandBlocks(source);
    expect(problems).toEqual([]);
    expect(copyOf.size).toBe(0);
    expect(graph.edges).toEqual(source.edges);
    expect(graph.nodes.map((n) => n.id)).toEqual(source.nodes.map((n) => n.id));
    expect(graph.nodes.map((n) => n.name)).toEqual([undefined, undefined, 'Res_Block_a', 'Res_Block_proj', 'Res_Block_sum', undefined]);
  });

  it('does not repeat a block with two different inputs from outside, and says why', () => {
    const source = residual({ repeat: 3 });
    source.edges = source.edges.map((e) => (e.id === 'e3' ? { ...e, source: 'in' } : e));
    const { graph, problems } = expandBlocks(source);
    expect(problems).toEqual([{ blockId: 'res', nodeId: 'a', message: expect.stringContaining('2 different inputs') }]);
    expect(problems[0]!.message).toContain('Res Block');
    expect(graph.nodes).toHaveLength(source.nodes.length);
    expect(graph.edges).toEqual(source.edges);
  });

  it('does not repeat a block with no input from outside, and says why', () => {
    const source = residual({ repeat: 2 });
    source.edges = source.edges.filter((e) => e.source !== 'first');
    const { graph, problems } = expandBlocks(source);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/no input from outside/);
    expect(graph.nodes).toHaveLength(source.nodes.length);
  });
});

describe('blockPorts', () => {
  it('finds the one output feeding a block and the one leaving it', () => {
    expect(blockPorts(residual(), 'res')).toEqual({ entry: { source: 'first' }, exit: { source: 'sum' }, problem: null });
  });

  it('says when more than one output leaves a block', () => {
    const graph = residual();
    graph.edges.push(edge('extra', 'a', 'out'));
    const ports = blockPorts(graph, 'res');
    expect(ports.exit).toBeNull();
    expect(ports.problem).toMatch(/^2 different outputs leave block "Res Block"/);
  });
});

describe('hiddenIn', () => {
  it('finds the outermost collapsed block around a layer', () => {
    const graph: Graph = {
      ...chain(node('a', 'Dense'), node('b', 'Dense'), node('c', 'Dense')),
      blocks: [
        { id: 'outer', name: 'outer', members: ['mid', 'c'], collapsed: true },
        { id: 'mid', name: 'mid', members: ['inner'], collapsed: true },
        { id: 'inner', name: 'inner', members: ['b'] },
      ],
    };
    expect(hiddenIn(graph, 'b')).toBe('outer');
    expect(hiddenIn(graph, 'c')).toBe('outer');
    expect(hiddenIn(graph, 'a')).toBeUndefined();
    expect(hiddenIn({ ...graph, blocks: graph.blocks!.map((b) => ({ ...b, collapsed: b.id === 'mid' })) }, 'b')).toBe('mid');
  });
});

describe('nameStem', () => {
  it('keeps letters, digits and underscores, joining the rest with one underscore', () => {
    expect(nameStem('Encoder')).toBe('Encoder');
    expect(nameStem('  Res Block #2 ')).toBe('Res_Block_2');
    expect(nameStem('attention/heads')).toBe('attention_heads');
    expect(nameStem('!!!')).toBe('block');
  });
});
