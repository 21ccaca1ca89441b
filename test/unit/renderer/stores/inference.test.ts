import { describe, expect, it } from 'vitest';
import { inferenceKey } from '../../../../renderer/stores/inferenceKey.js';
import { moveNodes, renameNode, setFrozen, setParam } from '../../../../shared/graph/edits.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { chain, mnistMlp, node } from '../../../fixtures/graphs.js';

const cnn = (): Graph =>
  chain(
    node('in', 'Input', { shape: [28, 28, 1] }),
    node('conv1', 'Conv2D', { filters: 4, kernelSize: [3, 3] }),
    node('bn', 'BatchNormalization'),
    node('flat', 'Flatten'),
    node('head', 'Dense', { units: 10, activation: 'softmax' }),
  );

/** Edits of one layer, as the inspector and the canvas make them. */
const EDITS: Record<string, (g: Graph, id: string) => Graph> = {
  freeze: (g, id) => setFrozen(g, [id], true),
  'freeze, then thaw': (g, id) => setFrozen(setFrozen(g, [id], true), [id], false),
  'change a setting': (g, id) => setParam(g, id, 'units', 7),
  rename: (g, id) => renameNode(g, id, 'renamed'),
  move: (g, id) => moveNodes(g, { [id]: { x: 300, y: 40 } }),
};

describe('the memo of the inference the inspector, summary and canvas show', () => {
  for (const [edit, apply] of Object.entries(EDITS)) {
    it(`is recomputed after "${edit}" exactly when the counts, shapes or problems change`, () => {
      for (const graph of [mnistMlp(), cnn()]) {
        for (const { id } of graph.nodes) {
          const edited = apply(graph, id);
          const changed = JSON.stringify(inferGraph(edited)) !== JSON.stringify(inferGraph(graph));
          if (changed) expect(inferenceKey(edited), `${edit} of ${id}`).not.toBe(inferenceKey(graph));
        }
      }
    });
  }

  it('counts a frozen layer\'s weights as non-trainable once it is frozen', () => {
    const graph = cnn();
    const frozen = setFrozen(graph, ['conv1'], true);
    expect(inferenceKey(frozen)).not.toBe(inferenceKey(graph));
    expect(inferGraph(frozen).nonTrainableParams).toBe(inferGraph(graph).nonTrainableParams + 40);
  });

  it('is kept when layers only move: dragging does not redo inference', () => {
    const graph = cnn();
    expect(inferenceKey(moveNodes(graph, { conv1: { x: 500, y: 90 }, head: { x: 900, y: 0 } }))).toBe(inferenceKey(graph));
  });
});
