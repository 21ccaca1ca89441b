import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { exportModel } from '../../../../shared/keras/export.js';
import { importKerasModel } from '../../../../shared/keras/import.js';
import { getLayerSpec } from '../../../../shared/layers/registry.js';
import { chain, node } from '../../../fixtures/graphs.js';

const only = (graph: Graph) => {
  const { diagnostics } = inferGraph(graph);
  expect(diagnostics).toHaveLength(1);
  return diagnostics[0]!;
};

describe('recurrent layers', () => {
  it('count weights as Keras does: gates × (inputs·units + units² + bias)', () => {
    const counts = (type: string, params = {}) =>
      inferGraph(chain(node('in', 'Input', { shape: [10, 8] }), node('rnn', type, { units: 32, ...params }))).nodes.rnn!.trainableParams;
    expect(counts('SimpleRNN')).toBe(32 * (8 + 32) + 32);
    expect(counts('LSTM')).toBe(4 * (32 * (8 + 32) + 32)); // 5,248
    expect(counts('GRU')).toBe(3 * (32 * (8 + 32) + 32));
    expect(counts('GRU', { useBias: false })).toBe(3 * 32 * (8 + 32));
  });

  it('give the last step, or every step with return sequences', () => {
    const shape = (params: Record<string, unknown>) =>
      inferGraph(chain(node('in', 'Input', { shape: [10, 8] }), node('rnn', 'GRU', { units: 6, ...params }))).nodes.rnn!.outputShapes;
    expect(shape({})).toEqual([[null, 6]]);
    expect(shape({ returnSequences: true })).toEqual([[null, 10, 6]]);
  });

  it('with return state, have one output per state, named for the canvas', () => {
    const graph = chain(node('in', 'Input', { shape: [5, 3] }), node('lstm', 'LSTM', { units: 4, returnSequences: true, returnState: true }));
    expect(inferGraph(graph).nodes.lstm!.outputShapes).toEqual([[null, 5, 4], [null, 4], [null, 4]]);
    const names = (type: string, returnState: boolean) => getLayerSpec(type)!.outputNames!({ returnState });
    expect(names('LSTM', true)).toEqual(['output', 'state h', 'state c']);
    expect(names('GRU', true)).toEqual(['output', 'state']);
    expect(names('SimpleRNN', true)).toEqual(['output', 'state']);
    expect(names('LSTM', false)).toEqual(['output']);
  });

  it('feed a layer from a state output (sourceHandle "1"), and refuse one that does not exist', () => {
    const graph = chain(node('in', 'Input', { shape: [5, 3] }), node('lstm', 'LSTM', { units: 4, returnState: true }));
    graph.nodes.push(node('fromC', 'Dense', { units: 2 }));
    graph.edges.push({ id: 'c', source: 'lstm', sourceHandle: '2', target: 'fromC' });
    const inference = inferGraph(graph);
    expect(inference.diagnostics).toEqual([]);
    expect(inference.nodes.fromC).toMatchObject({ outputShape: [null, 2], trainableParams: 4 * 2 + 2 });

    graph.nodes[1] = node('lstm', 'LSTM', { units: 4 });
    expect(only(graph)).toMatchObject({ code: 'NO_SUCH_OUTPUT', nodeId: 'fromC' });
  });

  it('tell a recurrent layer fed by one that returns only its last step to turn on return sequences there', () => {
    const d = only(chain(node('in', 'Input', { shape: [10, 8] }), node('first', 'LSTM', { units: 16 }), node('second', 'GRU', { units: 4 })));
    expect(d).toEqual({
      code: 'WRONG_RANK',
      nodeId: 'second',
      message:
        'GRU needs a sequence (batch, steps, features) but gets (?, 16), because the LSTM feeding it returns only its last step: turn on Return sequences in that LSTM.',
      fix: { kind: 'set-param', nodeId: 'first', param: 'returnSequences', value: true, label: 'Return sequences from LSTM' },
    });
  });

  it('point a return-sequences fix at the right node when the sequence comes through a Bidirectional', () => {
    const layer = { type: 'SimpleRNN', params: { units: 3, activation: 'relu' } };
    const d = only(chain(node('in', 'Input', { shape: [6, 2] }), node('bi', 'Bidirectional', { layer }), node('rnn', 'SimpleRNN', { units: 2 })));
    expect(d.message).toMatch(/because the Bidirectional feeding it returns only its last step/);
    expect(d.fix).toEqual({
      kind: 'set-param',
      nodeId: 'bi',
      param: 'layer',
      value: { type: 'SimpleRNN', params: { units: 3, activation: 'relu', returnSequences: true } },
      label: 'Return sequences from Bidirectional',
    });
  });

  it('offer no return-sequences fix when the flat input is not a last step', () => {
    const fromDense = only(chain(node('in', 'Input', { shape: [20] }), node('d', 'Dense', { units: 8 }), node('lstm', 'LSTM')));
    expect(fromDense.message).toBe(
      'LSTM needs a sequence (batch, steps, features) but gets (?, 8): for token ids insert an Embedding first; for one value per step insert Reshape to (8, 1).',
    );
    expect(fromDense.fix).toBeUndefined();

    // A state is the memory after the last step: returning sequences would not change it.
    const graph = chain(node('in', 'Input', { shape: [5, 3] }), node('enc', 'LSTM', { units: 4, returnState: true }));
    graph.nodes.push(node('dec', 'LSTM', { units: 2 }));
    graph.edges.push({ id: 'h', source: 'enc', sourceHandle: '1', target: 'dec' });
    expect(only(graph)).toMatchObject({ code: 'WRONG_RANK', nodeId: 'dec', message: expect.stringMatching(/^LSTM needs a sequence .* \(\?, 4\): for token ids/) });
  });

  it('offer a Reshape that reads an image row by row', () => {
    const d = only(chain(node('in', 'Input', { shape: [28, 28, 1] }), node('rnn', 'SimpleRNN')));
    expect(d.message).toBe('SimpleRNN needs a sequence (batch, steps, features) but gets (?, 28, 28, 1): insert Reshape to (28, 28) so each row becomes one step.');
    expect(d.fix).toEqual({ kind: 'insert-before', layerType: 'Reshape', params: { targetShape: [28, 28] }, label: 'Insert Reshape to (28, 28)' });
  });

  it('read hard_sigmoid gates from old Keras files, and refuse what TensorFlow.js cannot run', () => {
    const model = (className: string, config: Record<string, unknown>) => ({
      class_name: 'Sequential',
      config: {
        name: 'seq',
        layers: [
          { class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 7, 3] } },
          { class_name: className, config: { name: 'rnn', units: 5, ...config } },
        ],
      },
      keras_version: '2.15.0',
      backend: 'tensorflow',
    });
    const imported = importKerasModel(model('LSTM', { recurrent_activation: 'hard_sigmoid' }), 'old.json');
    if (!imported.ok) throw new Error(imported.error.message);
    expect(imported.project.graph.nodes.find((n) => n.type === 'LSTM')!.params.recurrentActivation).toBe('hard_sigmoid');

    const refused = (className: string, config: Record<string, unknown>) => {
      const result = importKerasModel(model(className, config), 'm.json');
      if (result.ok) throw new Error('expected the import to fail');
      return result.error.message;
    };
    expect(refused('GRU', { reset_after: true })).toMatch(/GRU "rnn": GRU has reset_after=True .* build the GRU with reset_after=False and import again\./);
    expect(refused('LSTM', { stateful: true })).toMatch(/LSTM is stateful .* set stateful=False/);
  });

  it('export a GRU as Keras must rebuild it: reset gate before the recurrent weights', () => {
    const result = exportModel(chain(node('in', 'Input', { shape: [4, 2] }), node('gru', 'GRU', { units: 3 })), 'keras-json', 'gru');
    if (!result.ok) throw new Error(result.error.message);
    expect(result.text).toMatch(/"reset_after": false/);
  });
});
