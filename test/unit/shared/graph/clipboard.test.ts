import { describe, expect, it } from 'vitest';
import { clipText, copyLayers, pasteLayers, readClip } from '../../../../shared/graph/clipboard.js';
import { NODE_SIZE } from '../../../../shared/graph/placement.js';
import { mnistMlp } from '../../../fixtures/graphs.js';

describe('layers on the clipboard', () => {
  const spread = () => {
    const g = mnistMlp();
    return { ...g, nodes: g.nodes.map((n, i) => ({ ...n, position: { x: i * 370, y: 0 } })) };
  };

  it('copies the chosen layers with the connections between them only', () => {
    const clip = copyLayers(spread(), ['flat', 'hidden'])!;
    expect(clip.nodes.map((n) => n.id)).toEqual(['flat', 'hidden']);
    expect(clip.edges.map((e) => [e.source, e.target])).toEqual([['flat', 'hidden']]);
    expect(copyLayers(spread(), [])).toBeNull();
  });

  it('round-trips through text, and refuses text that is not layers', () => {
    const clip = copyLayers(spread(), ['hidden'])!;
    expect(readClip(clipText(clip))).toEqual(clip);
    expect(readClip('hello')).toBeNull();
    expect(readClip('{"format":"netcanvas/layers","version":1,"nodes":[],"edges":[]}')).toBeNull();
  });

  it('reads the network of a whole project file pasted as text', () => {
    const clip = readClip(JSON.stringify({ schemaVersion: 1, name: 'x', graph: spread() }))!;
    expect(clip.nodes).toHaveLength(5);
  });

  it('pastes under fresh ids and names, connected inside, covering no layer already there', () => {
    const g = spread();
    const withName = { ...g, nodes: g.nodes.map((n) => (n.id === 'hidden' ? { ...n, name: 'features' } : n)) };
    const clip = copyLayers(withName, ['flat', 'hidden'])!;
    const { graph, ids } = pasteLayers(withName, clip);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(g.nodes.map((n) => n.id)).not.toContain(id);
    expect(graph.edges).toContainEqual(expect.objectContaining({ source: ids[0], target: ids[1] }));
    const pasted = graph.nodes.filter((n) => ids.includes(n.id));
    expect(pasted.map((n) => n.name)).toContain('features_2');
    for (const p of pasted) {
      for (const other of g.nodes) {
        const apart = Math.abs(p.position.x - other.position.x) >= NODE_SIZE.width || Math.abs(p.position.y - other.position.y) >= NODE_SIZE.height;
        expect(apart).toBe(true);
      }
    }
  });
});
