import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Graph, LayerRef } from '../../../../shared/graph/types.js';
import { getLayerSpec, withDefaults } from '../../../../shared/layers/registry.js';
import { chain, node } from '../../../fixtures/graphs.js';

const only = (graph: Graph) => {
  const { diagnostics } = inferGraph(graph);
  expect(diagnostics).toHaveLength(1);
  return diagnostics[0]!;
};

const lstm = (params: Record<string, unknown> = {}): LayerRef => ({ type: 'LSTM', params: { units: 24, ...params } as LayerRef['params'] });

describe('Bidirectional', () => {
  const bidirectional = (params: Record<string, unknown>) => chain(node('in', 'Input', { shape: [20, 32] }), node('bi', 'Bidirectional', params as LayerRef['params']));

  it('has twice the weights of the layer it wraps, and concat gives twice the units', () => {
    const info = inferGraph(bidirectional({ layer: lstm() })).nodes.bi!;
    expect(info.trainableParams).toBe(2 * 4 * (24 * (32 + 24) + 24)); // 10,944, as Keras reports
    expect(info.outputShape).toEqual([null, 48]);
    expect(inferGraph(bidirectional({ layer: lstm({ returnSequences: true }), mergeMode: 'ave' })).nodes.bi!.outputShape).toEqual([null, 20, 24]);
  });

  it('defaults to an LSTM of 32 units, joined side by side', () => {
    const spec = getLayerSpec('Bidirectional')!;
    expect(withDefaults(spec, {})).toEqual({ layer: { type: 'LSTM', params: { units: 32 } }, mergeMode: 'concat' });
  });

  it('with return state, gives the forward states then the backward ones', () => {
    const graph = bidirectional({ layer: lstm({ units: 4, returnState: true }), mergeMode: 'sum' });
    graph.nodes.push(node('backC', 'Dense', { units: 2 }));
    graph.edges.push({ id: 'bc', source: 'bi', sourceHandle: '4', target: 'backC' });
    const inference = inferGraph(graph);
    expect(inference.diagnostics).toEqual([]);
    expect(inference.nodes.bi!.outputShapes).toEqual([[null, 4], [null, 4], [null, 4], [null, 4], [null, 4]]);
    expect(inference.nodes.backC!.outputShape).toEqual([null, 2]);
    const names = getLayerSpec('Bidirectional')!.outputNames!;
    expect(names({ layer: lstm({ returnState: true }) })).toEqual(['output', 'forward state h', 'forward state c', 'backward state h', 'backward state c']);
    expect(names({ layer: { type: 'GRU', params: { returnState: true } } })).toEqual(['output', 'forward state', 'backward state']);
    expect(names({ layer: lstm() })).toEqual(['output']);
  });

  it('checks the wrapped layer’s own settings and type', () => {
    expect(only(bidirectional({ layer: lstm({ units: 0 }) }))).toMatchObject({
      code: 'INVALID_PARAM',
      message: 'Bidirectional: Layer (LSTM): Units must be at least 1 (got 0).',
    });
    expect(only(bidirectional({ layer: { type: 'Dense', params: {} } })).message).toBe('Bidirectional: Layer must be one of SimpleRNN, LSTM, GRU (got Dense).');
  });

  it('needs a sequence, and says how to get one from an image', () => {
    const d = only(chain(node('in', 'Input', { shape: [8, 8, 3] }), node('bi', 'Bidirectional', {})));
    expect(d).toMatchObject({ code: 'WRONG_RANK', fix: { kind: 'insert-before', layerType: 'Reshape', params: { targetShape: [8, 24] } } });
    expect(d.message).toMatch(/^Bidirectional needs a sequence \(batch, steps, features\) but gets \(\?, 8, 8, 3\)/);
  });
});

describe('TimeDistributed', () => {
  const distributed = (shape: number[], layer: LayerRef) => chain(node('in', 'Input', { shape }), node('td', 'TimeDistributed', { layer }));

  it('applies its layer to every step: the steps stay, the rest is the layer’s output', () => {
    const info = inferGraph(distributed([10, 8], { type: 'Dense', params: { units: 4 } })).nodes.td!;
    expect(info).toMatchObject({ outputShape: [null, 10, 4], trainableParams: 8 * 4 + 4 });
    expect(inferGraph(distributed([3, 4, 5, 2], { type: 'Flatten', params: {} })).nodes.td!.outputShape).toEqual([null, 3, 40]);
  });

  it('counts the wrapped layer’s weights once, non-trainable ones apart', () => {
    const info = inferGraph(distributed([6, 5], { type: 'BatchNormalization', params: {} })).nodes.td!;
    expect(info).toMatchObject({ outputShape: [null, 6, 5], trainableParams: 2 * 5, nonTrainableParams: 2 * 5 });
  });

  it('restates the wrapped layer’s problem for one step, with its fix run on every step', () => {
    const d = only(distributed([5, 4, 4, 3], { type: 'Dense', params: { units: 2 } }));
    expect(d.message).toBe(
      'TimeDistributed runs Dense on each of its 5 steps, shaped (?, 4, 4, 3): Dense needs a flat input (batch, features) but gets (?, 4, 4, 3): insert Flatten.',
    );
    expect(d.fix).toEqual({
      kind: 'insert-before',
      layerType: 'TimeDistributed',
      params: { layer: { type: 'Flatten', params: {} } },
      label: 'Insert TimeDistributed(Flatten)',
    });
  });

  it('turns a fix to the wrapped layer’s settings into a change of its Layer', () => {
    const d = only(distributed([4, 5, 6], { type: 'LSTM', params: { units: 3, returnState: true } }));
    expect(d).toMatchObject({
      code: 'INVALID_PARAM',
      message: 'TimeDistributed can wrap only a layer with one output, but its LSTM returns its state too: turn off Return state.',
      fix: { kind: 'set-param', param: 'layer', value: { type: 'LSTM', params: { units: 3, returnState: false } } },
    });
  });

  it('after a recurrent layer that returns only its last step, offers to return sequences there', () => {
    const d = only(chain(node('in', 'Input', { shape: [10, 8] }), node('gru', 'GRU', { units: 6 }), node('td', 'TimeDistributed', {})));
    expect(d).toMatchObject({
      code: 'WRONG_RANK',
      nodeId: 'td',
      message: expect.stringMatching(/^TimeDistributed needs a sequence \(batch, steps, …\) but gets \(\?, 6\), because the GRU feeding it/),
      fix: { kind: 'set-param', nodeId: 'gru', param: 'returnSequences', value: true },
    });
  });

  it('only offers layers the registry has', () => {
    const param = getLayerSpec('TimeDistributed')!.params.find((p) => p.name === 'layer')!;
    expect(param.kind).toBe('layer');
    for (const type of (param as { options: readonly string[] }).options) expect(getLayerSpec(type), type).toBeDefined();
  });
});
