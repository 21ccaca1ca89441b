import { describe, expect, it } from 'vitest';
import { addLayer, addLayerAfter, applyFix, connect, freshId, insertBefore, layout, moveNodes, removeElements, renameNode, setParam } from '../../../../shared/graph/edits.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import { NODE_SIZE } from '../../../../shared/graph/placement.js';
import type { Graph, GraphNode } from '../../../../shared/graph/types.js';
import { chain, mnistMlp, node } from '../../../fixtures/graphs.js';

const at = (n: GraphNode, x: number, y: number): GraphNode => ({ ...n, position: { x, y } });
const byId = (g: Graph, id: string) => g.nodes.find((n) => n.id === id)!;
const covers = (a: GraphNode, b: GraphNode) =>
  Math.abs(a.position.x - b.position.x) < NODE_SIZE.width && Math.abs(a.position.y - b.position.y) < NODE_SIZE.height;
const rowGraph = (): Graph => {
  const g = chain(at(node('in', 'Input', { shape: [784] }), 0, 0), at(node('a', 'Dense'), 370, 0), at(node('b', 'Dense'), 740, 0));
  return g;
};

describe('graph edits', () => {
  it('names new layers with the lowest free number of their type', () => {
    expect(freshId((id) => ['dense_1', 'dense_3'].includes(id), 'Dense')).toBe('dense_2');
  });

  it('puts a new layer in free space near where it was asked for, never on top of another', () => {
    const g = rowGraph();
    const { graph, id } = addLayer(g, 'Dropout', { x: 375, y: 10 });
    const added = byId(graph, id);
    for (const other of g.nodes) expect(covers(added, other)).toBe(false);
    expect(Math.hypot(added.position.x - 375, added.position.y - 10)).toBeLessThan(250);
  });

  it('adds a layer after the last one, connected, to its right', () => {
    const { graph, id } = addLayerAfter(rowGraph(), 'Dense', 'b');
    expect(graph.edges).toContainEqual(expect.objectContaining({ source: 'b', target: id }));
    expect(byId(graph, id).position.x).toBeGreaterThan(byId(graph, 'b').position.x);
    expect(inferGraph(graph).diagnostics).toEqual([]);
  });

  it('splices a layer in after one that already feeds others, moving what follows right', () => {
    const g = rowGraph();
    const { graph, id } = addLayerAfter(g, 'Dropout', 'a');
    expect(graph.edges.filter((e) => e.source === 'a').map((e) => e.target)).toEqual([id]);
    expect(graph.edges).toContainEqual(expect.objectContaining({ source: id, target: 'b' }));
    const [a, drop, b] = [byId(graph, 'a'), byId(graph, id), byId(graph, 'b')];
    expect(a.position.x).toBeLessThan(drop.position.x);
    expect(drop.position.x).toBeLessThan(b.position.x);
    expect(covers(drop, b)).toBe(false);
  });

  it('inserts a layer before another in its place, so connections keep flowing left to right', () => {
    const g = chain(at(node('in', 'Input', { shape: [28, 28, 1] }), 0, 0), at(node('d', 'Dense'), 370, 0), at(node('out', 'Dense'), 740, 0));
    const { graph, id } = insertBefore(g, 'd', 'Flatten')!;
    const [input, flatten, dense, out] = [byId(graph, 'in'), byId(graph, id), byId(graph, 'd'), byId(graph, 'out')];
    expect(flatten.position).toEqual({ x: 370, y: 0 });
    expect(input.position.x).toBeLessThan(flatten.position.x);
    expect(flatten.position.x).toBeLessThan(dense.position.x);
    expect(dense.position.x).toBeLessThan(out.position.x);
    expect(inferGraph(graph).diagnostics).toEqual([]);
  });

  it('carries out a one-click fix from inference', () => {
    const g = chain(node('in', 'Input', { shape: [28, 28, 1] }), node('d', 'Dense'));
    const problem = inferGraph(g).diagnostics.find((d) => d.fix)!;
    expect(inferGraph(applyFix(g, problem.nodeId!, problem.fix!)).diagnostics).toEqual([]);
  });

  it('removes layers with every connection they have, in one change', () => {
    const graph = removeElements(mnistMlp(), ['hidden']);
    expect(graph.nodes.map((n) => n.id)).not.toContain('hidden');
    expect(graph.edges.some((e) => e.source === 'hidden' || e.target === 'hidden')).toBe(false);
    expect(graph.edges).toHaveLength(2);
  });

  it('returns the same graph when nothing changes, so no step of history is made', () => {
    const g = mnistMlp();
    expect(removeElements(g, ['nothing'])).toBe(g);
    expect(moveNodes(g, { in: g.nodes[0]!.position })).toBe(g);
    expect(setParam(g, 'hidden', 'units', 128)).toBe(g);
    expect(connect(g, { source: 'in', target: 'in' })).toBe(g);
    expect(connect(g, { source: 'in', target: 'flat' })).toBe(g);
    expect(renameNode(g, 'hidden', '')).toBe(g);
  });

  it('renames a layer, and an empty name clears it', () => {
    const named = renameNode(mnistMlp(), 'hidden', '  features ');
    expect(byId(named, 'hidden').name).toBe('features');
    expect(byId(renameNode(named, 'hidden', ''), 'hidden').name).toBeUndefined();
  });

  it('lays the network out left to right along the data flow', () => {
    const laid = layout(mnistMlp());
    const xs = ['in', 'flat', 'hidden', 'drop', 'out'].map((id) => byId(laid, id).position.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(new Set(xs).size).toBe(5);
  });
});
