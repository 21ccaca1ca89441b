import { runRecurrent } from './recurrent.js';
import { inner, type LayerCall, type LayerEmitter } from '../layer.js';
import type { LayerRef, Shape } from '../../../../shared/graph/types.js';
import { getLayerSpec, withDefaults } from '../../../../shared/layers/registry.js';

const innerName = (name: string, ref: LayerRef) => `${name}_${ref.type.toLowerCase()}`;

function resolve(ref: LayerRef) {
  const spec = getLayerSpec(ref.type)!;
  return { spec, params: withDefaults(spec, ref.params) };
}

/**
 * Bidirectional: the wrapped layer once as set and once reading the other way (tfjs's
 * backward copy); the backward sequence is turned back to the input's order before merging.
 * Outputs: the merge, the forward states, the backward states. Weights: forward, then backward.
 */
function bidirectional(c: LayerCall): string[] {
  const { b } = c;
  const ref = c.params.layer as LayerRef;
  const { params } = resolve(ref);
  const half = c.weights.length / 2;
  const name = innerName(c.name, ref);
  const side = (weights: LayerCall['weights']): LayerCall => ({ ...c, type: ref.type, params, weights, name });
  const goBackwards = params.goBackwards as boolean;
  const forward = runRecurrent(side(c.weights.slice(0, half)), c.inputs[0]!, goBackwards);
  const backward = runRecurrent(side(c.weights.slice(half)), c.inputs[0]!, !goBackwards);
  const sequences = params.returnSequences as boolean;
  const f = sequences ? forward.sequence : forward.last;
  const r = sequences ? b.reverse(backward.sequence, 1) : backward.last;
  let merged: string;
  switch (c.params.mergeMode) {
    case 'concat':
      merged = b.op1('Concat', [f, r], { axis: -1 });
      break;
    case 'sum':
      merged = b.add(f, r);
      break;
    case 'mul':
      merged = b.mul(f, r);
      break;
    default:
      merged = b.mul(b.add(f, r), b.scalar(0.5, 'half'));
  }
  return params.returnState ? [merged, ...forward.states, ...backward.states] : [merged];
}

/** TimeDistributed: batch and steps merged into one axis, the layer applied, then split again. */
function timeDistributed(c: LayerCall): string[] {
  const ref = c.params.layer as LayerRef;
  const { spec, params } = resolve(ref);
  const sizes = inner(c.inputShapes[0]!);
  const [steps, ...step] = sizes as [number, ...number[]];
  const stepShape: Shape = [null, ...step];
  const result = spec.outputShape([stepShape], params);
  if (!result.ok) throw new Error(`TimeDistributed "${c.name}": ${result.message}`);
  const merged = c.b.reshape(c.inputs[0]!, [-1, ...step]);
  const [y] = c.nest({ type: ref.type, params, inputs: [merged], inputShapes: [stepShape], outputShapes: [result.shape], weights: c.weights, name: innerName(c.name, ref) });
  return [c.b.reshape(y!, [-1, steps, ...inner(result.shape)])];
}

export const WRAPPER_EMITTERS: Record<string, LayerEmitter> = {
  Bidirectional: { emit: bidirectional },
  TimeDistributed: {
    refuse: (p, inputShapes, nested) => nested(p.layer as LayerRef, [[null, ...inputShapes[0]!.slice(2)]]),
    emit: timeDistributed,
  },
};
