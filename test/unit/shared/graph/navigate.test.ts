import { describe, expect, it } from 'vitest';
import { neighbour } from '../../../../shared/graph/navigate.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { node } from '../../../fixtures/graphs.js';

const at = (id: string, type: string, x: number, y: number) => ({ ...node(id, type), position: { x, y } });

// in → a → merge ← b ← in (a above b), and a loose layer far right.
const branchy: Graph = {
  nodes: [at('in', 'Input', 0, 100), at('a', 'Dense', 370, 0), at('b', 'Dense', 370, 200), at('m', 'Add', 740, 100), at('loose', 'Dense', 1500, 100)],
  edges: [
    { id: '1', source: 'in', target: 'a' },
    { id: '2', source: 'in', target: 'b' },
    { id: '3', source: 'a', target: 'm' },
    { id: '4', source: 'b', target: 'm' },
  ],
};

describe('moving the selection with the arrow keys', () => {
  it('starts at the Input when nothing is selected', () => {
    expect(neighbour(branchy, null, 'next')).toBe('in');
  });

  it('follows the data forward and back, the topmost branch first', () => {
    expect(neighbour(branchy, 'in', 'next')).toBe('a');
    expect(neighbour(branchy, 'a', 'next')).toBe('m');
    expect(neighbour(branchy, 'm', 'previous')).toBe('a');
    expect(neighbour(branchy, 'a', 'previous')).toBe('in');
  });

  it('goes across the flow to the layer above or below', () => {
    expect(neighbour(branchy, 'a', 'down')).toBe('b');
    expect(neighbour(branchy, 'b', 'up')).toBe('a');
    expect(neighbour(branchy, 'a', 'up')).toBeNull();
  });

  it('goes to the nearest layer on that side when no connection leads there', () => {
    expect(neighbour(branchy, 'm', 'next')).toBe('loose');
    expect(neighbour(branchy, 'in', 'previous')).toBeNull();
  });
});
