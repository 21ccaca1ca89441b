import { describe, expect, it } from 'vitest';
import { setFrozen } from '../../../../shared/graph/edits.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import { summarize } from '../../../../shared/graph/summary.js';
import { exportModel } from '../../../../shared/keras/export.js';
import { importKerasModel } from '../../../../shared/keras/import.js';
import type { KerasModelJson } from '../../../../shared/keras/format.js';
import { projectSchema } from '../../../../shared/project/schema.js';
import { chain, node, project } from '../../../fixtures/graphs.js';

// conv: 3·3·1·4 + 4 = 40 weights; bn: gamma, beta (8 trainable) and moving mean, variance (8); head: 100·2 + 2.
const graph = () =>
  chain(
    node('in', 'Input', { shape: [5, 5, 1] }),
    node('conv', 'Conv2D', { filters: 4, kernelSize: [3, 3], padding: 'same' }),
    node('bn', 'BatchNormalization'),
    node('flat', 'Flatten'),
    node('head', 'Dense', { units: 2 }),
  );

describe('a frozen layer', () => {
  it('counts its trainable weights as non-trainable, as Keras does, and the total stays the same', () => {
    const before = inferGraph(graph());
    const frozen = inferGraph(setFrozen(graph(), ['conv', 'bn'], true));
    expect(before.trainableParams).toBe(40 + 8 + 100 * 2 + 2);
    expect(before.nonTrainableParams).toBe(8);
    expect(frozen.totalParams).toBe(before.totalParams);
    expect(frozen.trainableParams).toBe(100 * 2 + 2);
    expect(frozen.nonTrainableParams).toBe(40 + 16);
    expect(frozen.nodes.conv).toMatchObject({ trainableParams: 0, nonTrainableParams: 40 });
    const summary = summarize(setFrozen(graph(), ['conv'], true));
    expect([summary.trainableParams, summary.nonTrainableParams]).toEqual([8 + 202, 8 + 40]);
  });

  it('is set and cleared by one pure edit that leaves other layers and no-ops alone', () => {
    const start = graph();
    const frozen = setFrozen(start, ['conv'], true);
    expect(frozen.nodes.find((n) => n.id === 'conv')!.frozen).toBe(true);
    expect(frozen.nodes.filter((n) => n.id !== 'conv')).toEqual(start.nodes.filter((n) => n.id !== 'conv'));
    expect(start.nodes.find((n) => n.id === 'conv')!.frozen).toBeUndefined();
    expect(setFrozen(frozen, ['conv'], true)).toBe(frozen);
    expect(setFrozen(start, ['nothing'], true)).toBe(start);
    const thawed = setFrozen(frozen, ['conv'], false);
    expect(thawed.nodes.find((n) => n.id === 'conv')).toEqual(start.nodes.find((n) => n.id === 'conv'));
  });

  it('is kept in the project file', () => {
    const parsed = projectSchema.parse(JSON.parse(JSON.stringify(project(setFrozen(graph(), ['conv'], true)))));
    expect(parsed.graph.nodes.find((n) => n.id === 'conv')!.frozen).toBe(true);
  });

  it('is exported to Keras as trainable: false and imported back frozen', () => {
    const exported = exportModel(setFrozen(graph(), ['conv'], true), 'keras-json');
    if (!exported.ok) throw new Error(exported.error.message);
    const layers = (exported.json as KerasModelJson).config.layers;
    expect(Object.fromEntries(layers.slice(1).map((l) => [l.name, l.config.trainable]))).toEqual({ conv: false, bn: true, flat: true, head: true });
    const imported = importKerasModel(exported.json);
    if (!imported.ok) throw new Error(imported.error.message);
    expect(imported.project.graph.nodes.filter((n) => n.frozen).map((n) => n.name)).toEqual(['conv']);
  });
});
