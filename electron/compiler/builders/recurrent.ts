import * as tf from '@tensorflow/tfjs';
import { activation, type LayerBuilder } from './types.js';
import type { Params } from '../../../shared/graph/types.js';
import type { RECURRENT_SPECS } from '../../../shared/layers/specs/recurrent.js';

/*
 * tfjs-core 4.22's gradient of unstack expects one gradient per step as a list, but gets a
 * lone tensor when there is a single step, so every recurrent layer (and TimeDistributed) on
 * a one-step sequence fails to train. The gradient registry is global; this corrects it.
 */
tf.registerGradient({
  kernelName: 'Unpack',
  gradFunc: (dy, _saved, attrs) => ({ value: () => tf.stack(Array.isArray(dy) ? dy : [dy], (attrs as { axis: number }).axis) }),
});

/** Keras spells it hard_sigmoid, tfjs hardSigmoid. */
const gateActivation = (value: unknown) => activation(value === 'hard_sigmoid' ? 'hardSigmoid' : value);

function recurrentArgs(p: Params, name: string) {
  return {
    name,
    units: p.units as number,
    activation: activation(p.activation),
    useBias: p.useBias as boolean,
    returnSequences: p.returnSequences as boolean,
    returnState: p.returnState as boolean,
    dropout: p.dropout as number,
    recurrentDropout: p.recurrentDropout as number,
    goBackwards: p.goBackwards as boolean,
  };
}

export const RECURRENT_BUILDERS: Record<(typeof RECURRENT_SPECS)[number]['type'], LayerBuilder> = {
  SimpleRNN: (p, name) => tf.layers.simpleRNN(recurrentArgs(p, name)),
  LSTM: (p, name) =>
    tf.layers.lstm({
      ...recurrentArgs(p, name),
      recurrentActivation: gateActivation(p.recurrentActivation),
      unitForgetBias: p.unitForgetBias as boolean,
    }),
  GRU: (p, name) => tf.layers.gru({ ...recurrentArgs(p, name), recurrentActivation: gateActivation(p.recurrentActivation) }),
};
