import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../../../shared/graph/infer.js';
import { formatShape } from '../../../../shared/graph/types.js';
import { chain, mnistMlp, node } from '../../../fixtures/graphs.js';

describe('inferGraph', () => {
  it('gives every node its shape and parameter count, as Keras would', () => {
    const result = inferGraph(mnistMlp());
    expect(result.diagnostics).toEqual([]);
    expect(result.nodes.flat!.outputShape).toEqual([null, 784]);
    expect(result.nodes.hidden!.trainableParams).toBe(784 * 128 + 128);
    expect(result.nodes.out!.outputShape).toEqual([null, 10]);
    expect(result.totalParams).toBe(101_770);
    expect(result.order).toEqual(['in', 'flat', 'hidden', 'drop', 'out']);
    expect(result.outputIds).toEqual(['out']);
  });

  it('counts no bias when useBias is off', () => {
    const result = inferGraph(chain(node('in', 'Input', { shape: [5] }), node('d', 'Dense', { units: 3, useBias: false })));
    expect(result.nodes.d!.trainableParams).toBe(15);
  });

  it('tells Dense on an image to insert Flatten, with the fix', () => {
    const result = inferGraph(chain(node('in', 'Input', { shape: [26, 26, 32] }), node('d', 'Dense', { units: 10 })));
    expect(result.diagnostics).toHaveLength(1);
    const [d] = result.diagnostics;
    expect(d).toMatchObject({ code: 'NEEDS_FLAT_INPUT', nodeId: 'd', fix: { kind: 'insert-before', layerType: 'Flatten' } });
    expect(d!.message).toBe('Dense needs a flat input (batch, features) but gets (?, 26, 26, 32): insert Flatten.');
  });

  it('applies Dense to the last axis of a sequence', () => {
    const result = inferGraph(chain(node('in', 'Input', { shape: [7, 16] }), node('d', 'Dense', { units: 4 })));
    expect(result.nodes.d!.outputShape).toEqual([null, 7, 4]);
    expect(result.nodes.d!.trainableParams).toBe(16 * 4 + 4);
  });

  it('reports a cycle on every node in it, without throwing', () => {
    const graph = chain(node('in', 'Input', { shape: [4] }), node('a', 'Dense', { units: 4 }), node('b', 'Dense', { units: 4 }));
    graph.edges.push({ id: 'back', source: 'b', target: 'a' });
    const result = inferGraph(graph);
    const cycle = result.diagnostics.filter((d) => d.code === 'CYCLE');
    expect(cycle.map((d) => d.nodeId).sort()).toEqual(['a', 'b']);
    expect(cycle[0]!.message).toMatch(/loop \(Dense → Dense → Dense\)/);
    // The loop is the problem; "the network has no output" would point the wrong way.
    expect(result.diagnostics.map((d) => d.code)).not.toContain('NO_OUTPUT_LAYER');
  });

  it('still says a network has no output when nothing loops', () => {
    const result = inferGraph({ nodes: [node('in', 'Input', { shape: [4] })], edges: [] });
    expect(result.diagnostics.map((d) => d.code)).toContain('NO_OUTPUT_LAYER');
  });

  it('names an unknown layer type', () => {
    const result = inferGraph(chain(node('in', 'Input', { shape: [4] }), node('x', 'Conv9D')));
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: 'UNKNOWN_LAYER', nodeId: 'x', message: expect.stringContaining('"Conv9D"') }));
  });

  it('reports missing inputs, bad parameters and dangling edges on their nodes', () => {
    const graph = chain(node('in', 'Input', { shape: [4] }), node('d', 'Dense', { units: 0 }));
    graph.nodes.push(node('lonely', 'Dropout'));
    graph.edges.push({ id: 'ghost', source: 'd', target: 'nowhere' });
    const codes = inferGraph(graph).diagnostics.map((d) => [d.code, d.nodeId]);
    expect(codes).toContainEqual(['INVALID_PARAM', 'd']);
    expect(codes).toContainEqual(['MISSING_INPUT', 'lonely']);
    expect(codes).toContainEqual(['DANGLING_EDGE', 'd']);
    const invalid = inferGraph(graph).diagnostics.find((d) => d.code === 'INVALID_PARAM')!;
    expect(invalid.message).toBe('Dense: Units must be at least 1 (got 0).');
  });

  it('rejects a dropout rate of 1 and a shape with a zero', () => {
    const graph = chain(node('in', 'Input', { shape: [0, 3] }), node('drop', 'Dropout', { rate: 1 }));
    const messages = inferGraph(graph).diagnostics.map((d) => d.message);
    expect(messages).toContainEqual(expect.stringContaining('Shape sizes must be whole numbers of at least 1'));
  });

  it('asks for an Input layer when there is none', () => {
    const result = inferGraph({ nodes: [node('d', 'Flatten')], edges: [] });
    expect(result.diagnostics.map((d) => d.code)).toContain('NO_INPUT_LAYER');
  });
});

describe('formatShape', () => {
  it('writes the batch dimension as ?', () => {
    expect(formatShape([null, 28, 28, 1])).toBe('(?, 28, 28, 1)');
    expect(formatShape([null])).toBe('(?,)');
  });
});

describe('named input slots', () => {
  const graph = (edges: { source: string; targetHandle?: string }[]) => ({
    nodes: [
      node('q', 'Input', { shape: [4, 8] }),
      node('kv', 'Input', { shape: [6, 8] }),
      node('att', 'MultiHeadAttention', { numHeads: 2, keyDim: 4 }),
    ],
    edges: edges.map((e, i) => ({ id: `e${i}`, target: 'att', ...e })),
  });

  it('orders inputs by slot, whatever order the connections were made in', () => {
    const inference = inferGraph(graph([{ source: 'kv', targetHandle: 'value' }, { source: 'q', targetHandle: 'query' }]));
    expect(inference.diagnostics).toEqual([]);
    expect(inference.inputsOf.att).toEqual(['q', 'kv']);
    expect(inference.nodes.att!.outputShape).toEqual([null, 4, 8]);
  });

  it('fills unnamed connections into the free slots in order', () => {
    expect(inferGraph(graph([{ source: 'q' }, { source: 'kv' }])).inputsOf.att).toEqual(['q', 'kv']);
  });

  it('names an unknown slot, a slot used twice and a gap before a later slot', () => {
    const messages = (edges: { source: string; targetHandle?: string }[]) => inferGraph(graph(edges)).diagnostics.map((d) => [d.code, d.message]);
    expect(messages([{ source: 'q', targetHandle: 'bogus' }])).toEqual([
      ['UNKNOWN_SLOT', 'MultiHeadAttention: it has no input named "bogus" (its inputs are query, value, key).'],
    ]);
    expect(messages([{ source: 'q', targetHandle: 'query' }, { source: 'kv', targetHandle: 'query' }])[0]![1]).toContain('two connections go into its query input');
    expect(messages([{ source: 'q', targetHandle: 'query' }, { source: 'kv', targetHandle: 'key' }])[0]![1]).toContain('its value input is not connected but a later one is');
  });
});
