import { describe, expect, it } from 'vitest';
import type { Graph } from '../../../../shared/graph/types.js';
import { layoutGraph } from '../../../../shared/graph/layout.js';
import { NODE_SIZE } from '../../../../shared/graph/placement.js';
import { node } from '../../../fixtures/graphs.js';

/** in → a → b → c, in → c (a skip), in → side; and a second input feeding c. */
const GRAPH: Graph = {
  nodes: ['in', 'a', 'b', 'c', 'side', 'in2'].map((id) => node(id, id.startsWith('in') ? 'Input' : 'Dense')),
  edges: [
    ['in', 'a'],
    ['a', 'b'],
    ['b', 'c'],
    ['in', 'c'],
    ['in', 'side'],
    ['in2', 'c'],
  ].map(([source, target], i) => ({ id: `e${i}`, source: source!, target: target! })),
};

const at = (graph: Graph, id: string) => graph.nodes.find((n) => n.id === id)!.position;

describe('layoutGraph', () => {
  const laid = layoutGraph(GRAPH);

  it('puts each layer one column after the longest path to it from an input', () => {
    expect(at(laid, 'in').x).toBe(0);
    expect(at(laid, 'in2').x).toBe(0);
    expect(at(laid, 'a').x).toBe(at(laid, 'side').x);
    expect(at(laid, 'a').x).toBeGreaterThan(0);
    expect(at(laid, 'b').x).toBeGreaterThan(at(laid, 'a').x);
    expect(at(laid, 'c').x).toBeGreaterThan(at(laid, 'b').x);
  });

  it('leaves room for a node between any two, across and down', () => {
    for (const a of laid.nodes) {
      for (const b of laid.nodes) {
        if (a === b) continue;
        const apart = Math.abs(a.position.x - b.position.x) >= NODE_SIZE.width + 40 || Math.abs(a.position.y - b.position.y) >= NODE_SIZE.height + 30;
        expect(apart, `${a.id} and ${b.id}`).toBe(true);
      }
    }
  });

  it('is deterministic and keeps everything but the positions', () => {
    expect(layoutGraph(GRAPH)).toEqual(laid);
    expect(laid.edges).toBe(GRAPH.edges);
    expect(laid.nodes.map(({ position: _, ...rest }) => rest)).toEqual(GRAPH.nodes.map(({ position: _, ...rest }) => rest));
  });

  it('still places every node when there is a loop', () => {
    const loop = layoutGraph({ ...GRAPH, edges: [...GRAPH.edges, { id: 'back', source: 'c', target: 'a' }] });
    for (const n of loop.nodes) expect(Number.isFinite(n.position.x) && Number.isFinite(n.position.y), n.id).toBe(true);
  });
});
