import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../../../shared/graph/infer.js';
import { exportModel } from '../../../../shared/keras/export.js';
import { importKerasModel } from '../../../../shared/keras/import.js';

const ref = (name: string) => [name, 0, 0, {}];

/** keras-hub's usage: x + PositionEmbedding(sequence_length=10)(x), then a Dense. */
function kerasModel(addBack: boolean) {
  const layers = [
    { class_name: 'InputLayer', name: 'tokens', config: { name: 'tokens', batch_input_shape: [null, 10, 16], dtype: 'float32' }, inbound_nodes: [] },
    { class_name: 'keras_hub>PositionEmbedding', name: 'positions', config: { name: 'positions', sequence_length: 10 }, inbound_nodes: [[ref('tokens')]] },
    ...(addBack ? [{ class_name: 'Add', name: 'with_positions', config: { name: 'with_positions' }, inbound_nodes: [[ref('tokens'), ref('positions')]] }] : []),
    { class_name: 'Dense', name: 'head', config: { name: 'head', units: 4, activation: 'linear', use_bias: true }, inbound_nodes: [[ref(addBack ? 'with_positions' : 'positions')]] },
  ];
  return { class_name: 'Model', config: { name: 'm', layers, input_layers: [['tokens', 0, 0]], output_layers: [['head', 0, 0]] }, keras_version: '2.15.0', backend: 'tensorflow' };
}

describe('layers Keras adds back to their input', () => {
  it('folds x + PositionEmbedding(x) into one PositionalEmbedding node, and exports it as that pair again', () => {
    const imported = importKerasModel(kerasModel(true));
    if (!imported.ok) throw new Error(imported.error.message);
    const { graph } = imported.project;
    expect(graph.nodes.map((n) => [n.type, n.name])).toEqual([
      ['Input', 'tokens'],
      ['PositionalEmbedding', 'with_positions'],
      ['Dense', 'head'],
    ]);
    // Keras: PositionEmbedding 10·16 = 160; Dense 16·4 + 4 = 68.
    expect(inferGraph(graph).totalParams).toBe(228);

    const exported = exportModel(graph, 'keras-json');
    if (!exported.ok) throw new Error(exported.error.message);
    const layers = (exported.json as { config: { layers: { class_name: string; name: string; inbound_nodes: unknown[] }[] } }).config.layers;
    expect(layers.map((l) => [l.class_name, l.name])).toEqual([
      ['InputLayer', 'tokens'],
      ['PositionEmbedding', 'with_positions_values'],
      ['Add', 'with_positions'],
      ['Dense', 'head'],
    ]);
    expect(layers[2]!.inbound_nodes).toEqual([[ref('tokens'), ref('with_positions_values')]]);
  });

  it('refuses a PositionEmbedding that is not added straight back to its input', () => {
    const imported = importKerasModel(kerasModel(false), 'm.json');
    expect(imported.ok).toBe(false);
    if (!imported.ok) expect(imported.error.message).toContain('PositionalEmbedding "positions" is used other than added straight back to its input');
  });
});
