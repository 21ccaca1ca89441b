import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandBlocks, layersIn } from '../../../../shared/graph/blocks.js';
import { importKerasModel } from '../../../../shared/keras/import.js';

const teachable = JSON.parse(readFileSync(new URL('../../../fixtures/keras/tfjs-teachable-machine.model.json', import.meta.url), 'utf8')) as unknown;

describe('a model nested in another, imported', () => {
  it('becomes a block named after it, nested as the models are, with its layers named after it', () => {
    const imported = importKerasModel(teachable, 'teachable.json');
    if (!imported.ok) throw new Error(imported.error.message);
    const { graph } = imported.project;
    expect(graph.blocks?.map((b) => [b.id, b.name, b.members])).toEqual([
      ['model_sequential_1', 'sequential_1', ['model_sequential_1__model1']],
      ['model_sequential_1__model1', 'model1', ['input_1', 'Conv1', 'bn_Conv1', 'Conv1_relu', 'global_average_pooling2d_1']],
      ['model_sequential_3', 'sequential_3', ['dense_Dense1', 'dense_Dense2']],
    ]);
    expect(layersIn(graph, 'model_sequential_1')).toHaveLength(5);
    // Small models stay open; the network's layer names carry their models' names.
    expect(graph.blocks!.some((b) => b.collapsed)).toBe(false);
    const names = expandBlocks(graph).graph.nodes.map((n) => n.name);
    expect(names).toContain('sequential_1_model1_Conv1');
    expect(names).toContain('sequential_3_dense_Dense1');
  });
});
