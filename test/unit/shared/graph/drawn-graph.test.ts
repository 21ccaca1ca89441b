import { describe, expect, it } from 'vitest';
import { blockNodeId, collapsedPorts, drawnGraph, expandBlocks, isCopyOf } from '../../../../shared/graph/blocks.js';
import type { Graph, GraphBlock, GraphEdge } from '../../../../shared/graph/types.js';
import { node } from '../../../fixtures/graphs.js';

const edge = (id: string, source: string, target: string): GraphEdge => ({ id, source, target });

/** in → first → [Res Block: a → b, Add(first, b)] → out, the block's input feeding two of its layers. */
function residual(block: Partial<GraphBlock> = {}, more: GraphBlock[] = []): Graph {
  return {
    nodes: [node('in', 'Input', { shape: [8] }), node('first', 'Dense', { units: 8 }), node('a', 'Dense', { units: 16 }), node('b', 'Dense', { units: 8 }), node('sum', 'Add'), node('out', 'Dense', { units: 3 })],
    edges: [edge('e0', 'in', 'first'), edge('e1', 'first', 'a'), edge('e2', 'a', 'b'), edge('e3', 'first', 'sum'), edge('e4', 'b', 'sum'), edge('e5', 'sum', 'out')],
    blocks: [{ id: 'res', name: 'Res Block', members: ['a', 'b', 'sum'], ...block }, ...more],
  };
}

describe('drawnGraph', () => {
  it('draws every layer and connection as they are where no block is collapsed', () => {
    const graph = residual();
    const drawn = drawnGraph(graph);
    expect(drawn.layers).toEqual(graph.nodes.map((n) => n.id));
    expect(drawn.collapsed).toEqual([]);
    expect(drawn.edges.map((e) => [e.id, e.source, e.target])).toEqual(graph.edges.map((e) => [e.id, e.source, e.target]));
    expect(drawn.edges.every((e) => e.carries.source === e.source)).toBe(true);
  });

  it('draws a collapsed block as one node: its layers hidden, the inside left out, one connection in for the two its input makes', () => {
    const drawn = drawnGraph(residual({ collapsed: true }));
    expect(drawn.layers).toEqual(['in', 'first', 'out']);
    expect(drawn.collapsed).toEqual(['res']);
    const block = blockNodeId('res');
    expect(drawn.edges).toEqual([
      { id: 'e0', source: 'in', target: 'first', carries: { source: 'in' } },
      { id: 'e1', source: 'first', target: block, targetHandle: 'in:0', carries: { source: 'first' } },
      { id: 'e5', source: block, sourceHandle: 'out:0', target: 'out', carries: { source: 'sum' } },
    ]);
  });

  it('draws the outermost collapsed block, and an expanded inner block inside a collapsed one is hidden with it', () => {
    const inner: GraphBlock = { id: 'inner', name: 'Inner', members: ['a', 'b'] };
    const graph = residual({ members: ['inner', 'sum'], collapsed: true }, [inner]);
    expect(drawnGraph(graph).collapsed).toEqual(['res']);
    const innerCollapsed = residual({ members: ['inner', 'sum'] }, [{ ...inner, collapsed: true }]);
    const drawn = drawnGraph(innerCollapsed);
    expect(drawn.collapsed).toEqual(['inner']);
    expect(drawn.layers).toEqual(['in', 'first', 'sum', 'out']);
    // first feeds the inner block and the Add beside it: two connections, each drawn.
    expect(drawn.edges.map((e) => `${e.source}>${e.target}`)).toEqual(['in>first', 'first>block:inner', 'first>sum', 'block:inner>sum', 'sum>out']);
  });

  it('gives each distinct output in and out its own handle', () => {
    // Two separate branches in one block: two inputs from outside, two outputs leaving.
    const graph: Graph = {
      nodes: [node('x', 'Input', { shape: [4] }), node('y', 'Input', { shape: [4] }), node('p', 'Dense', { units: 2 }), node('q', 'Dense', { units: 2 }), node('join', 'Concatenate')],
      edges: [edge('e1', 'x', 'p'), edge('e2', 'y', 'q'), { id: 'e3', source: 'p', target: 'join', targetHandle: 'a' }, { id: 'e4', source: 'q', target: 'join', targetHandle: 'b' }],
      blocks: [{ id: 'two', name: 'Two', members: ['p', 'q'], collapsed: true }],
    };
    expect(collapsedPorts(graph, 'two')).toEqual({ inputs: [{ source: 'x' }, { source: 'y' }], outputs: [{ source: 'p' }, { source: 'q' }], ends: [] });
    expect(collapsedPorts({ ...graph, blocks: [{ id: 'end', name: 'End', members: ['q', 'join'] }] }, 'end').ends).toEqual([{ source: 'join' }]);
    const drawn = drawnGraph(graph).edges;
    expect(drawn.map((e) => [e.target === 'join' ? e.sourceHandle : e.targetHandle, e.carries.source])).toEqual([
      ['in:0', 'x'],
      ['in:1', 'y'],
      ['out:0', 'p'],
      ['out:1', 'q'],
    ]);
    expect(drawn.find((e) => e.id === 'e3')!.targetHandle).toBe('a');
  });
});

describe('isCopyOf', () => {
  it('finds every copy a repeated block expands to, and no other layer', () => {
    const graph = residual({ repeat: 3 });
    const network = expandBlocks(graph).graph;
    const inside = new Set(['a', 'b', 'sum']);
    const copies = network.nodes.map((n) => n.id).filter((id) => isCopyOf(id, inside));
    expect(copies.sort()).toEqual(['a', 'a__2', 'a__3', 'b', 'b__2', 'b__3', 'sum', 'sum__2', 'sum__3']);
    expect(isCopyOf('first', inside)).toBe(false);
    expect(isCopyOf('ab__2', inside)).toBe(false);
    expect(isCopyOf('a__1__2', inside)).toBe(true);
  });
});
