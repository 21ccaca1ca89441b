import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Graph, Params } from '../../../../shared/graph/types.js';
import { node } from '../../../fixtures/graphs.js';

/** One Input per shape, all feeding one merge layer "m". */
function merged(type: string, shapes: number[][], params: Params = {}): Graph {
  return {
    nodes: [...shapes.map((shape, i) => node(`in${i}`, 'Input', { shape })), node('m', type, params)],
    edges: shapes.map((_, i) => ({ id: `e${i}`, source: `in${i}`, target: 'm' })),
  };
}

const shapeOf = (graph: Graph) => {
  const inference = inferGraph(graph);
  expect(inference.diagnostics).toEqual([]);
  return inference.nodes.m!.outputShape;
};

const problem = (graph: Graph) => {
  const { diagnostics } = inferGraph(graph);
  expect(diagnostics).toHaveLength(1);
  return diagnostics[0]!;
};

describe('value-by-value merges', () => {
  it('stretch sizes of 1 and give shorter inputs leading axes, as tfjs-layers does', () => {
    expect(shapeOf(merged('Add', [[3, 1], [1, 4]]))).toEqual([null, 3, 4]);
    expect(shapeOf(merged('Multiply', [[4], [3, 4], [1]]))).toEqual([null, 3, 4]);
    expect(shapeOf(merged('Average', [[2, 5], [2, 5], [2, 5], [2, 5]]))).toEqual([null, 2, 5]);
    expect(shapeOf(merged('Subtract', [[6], [1]]))).toEqual([null, 6]);
  });

  it('name every input shape when they do not fit together', () => {
    expect(problem(merged('Add', [[4], [4], [5]]))).toEqual({
      code: 'MERGE_MISMATCH',
      nodeId: 'm',
      message:
        'Add combines its inputs value by value, so their shapes must match (a size of 1 stretches to fit), but input 1 is (?, 4), input 2 is (?, 4), input 3 is (?, 5): make the sizes match, or use Concatenate to join them side by side.',
    });
  });

  it('keep Maximum and Minimum to identical shapes, which is all tfjs can train', () => {
    expect(shapeOf(merged('Maximum', [[3, 2], [3, 2], [3, 2]]))).toEqual([null, 3, 2]);
    const d = problem(merged('Minimum', [[3, 1], [3, 2]]));
    expect(d.code).toBe('MERGE_MISMATCH');
    expect(d.message).toMatch(/^Minimum .* need exactly the same shape .* input 1 is \(\?, 3, 1\), input 2 is \(\?, 3, 2\)\.$/);
  });

  it('take at least two inputs, and Subtract exactly two', () => {
    expect(problem(merged('Add', [[4]]))).toMatchObject({ code: 'MISSING_INPUT', message: 'Add has 1 input but needs at least 2: connect more layers into it.' });
    expect(problem(merged('Subtract', [[4], [4], [4]]))).toMatchObject({ code: 'TOO_MANY_INPUTS', nodeId: 'm' });
  });

  it('merge two outputs of one layer, e.g. both LSTM states', () => {
    const graph: Graph = {
      nodes: [node('in', 'Input', { shape: [5, 3] }), node('lstm', 'LSTM', { units: 4, returnState: true }), node('m', 'Add')],
      edges: [
        { id: 'e0', source: 'in', target: 'lstm' },
        { id: 'h', source: 'lstm', sourceHandle: '1', target: 'm' },
        { id: 'c', source: 'lstm', sourceHandle: '2', target: 'm' },
      ],
    };
    expect(shapeOf(graph)).toEqual([null, 4]);
  });
});

describe('Concatenate', () => {
  it('adds up the sizes along its axis', () => {
    expect(shapeOf(merged('Concatenate', [[16], [8]]))).toEqual([null, 24]);
    expect(shapeOf(merged('Concatenate', [[2, 3], [4, 3], [1, 3]], { axis: 1 }))).toEqual([null, 7, 3]);
    expect(shapeOf(merged('Concatenate', [[5, 2, 3], [5, 1, 3]], { axis: -2 }))).toEqual([null, 5, 3, 3]);
  });

  it('names every shape when the other sizes differ', () => {
    expect(problem(merged('Concatenate', [[4, 8], [5, 8]]))).toEqual({
      code: 'MERGE_MISMATCH',
      nodeId: 'm',
      message: 'Concatenate joins along axis -1, so every other size must match, but input 1 is (?, 4, 8), input 2 is (?, 5, 8).',
    });
    expect(problem(merged('Concatenate', [[4, 4, 8], [16]])).message).toBe(
      'Concatenate needs inputs with the same number of dimensions, but input 1 is (?, 4, 4, 8), input 2 is (?, 16): insert Flatten or Reshape on the one that differs.',
    );
  });

  it('refuses the batch axis and axes that do not exist, offering the last axis', () => {
    const fix = { kind: 'set-param', param: 'axis', value: -1, label: 'Join along the last axis' };
    expect(problem(merged('Concatenate', [[4], [4]], { axis: 0 }))).toMatchObject({ code: 'INVALID_PARAM', message: expect.stringMatching(/axis 0 is the batch/), fix });
    expect(problem(merged('Concatenate', [[4], [4]], { axis: 2 }))).toMatchObject({
      code: 'INVALID_PARAM',
      message: "Concatenate's axis 2 does not exist in (?, 4): use an axis from 1 to 1, or -1 for the last.",
      fix,
    });
    expect(problem(merged('Concatenate', [[4], [4]], { axis: -3 })).code).toBe('INVALID_PARAM');
  });
});
