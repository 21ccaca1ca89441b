import type * as tf from '@tensorflow/tfjs';

/**
 * A template's trainable networks, named as the Trainer's job parts are: one `model`
 * (classify, autoencode, language model), or a GAN's `generator` and `discriminator`.
 */
export type Networks =
  | { kind: 'single'; model: tf.LayersModel }
  | { kind: 'gan'; generator: tf.LayersModel; discriminator: tf.LayersModel };

export function partsOf(networks: Networks): [name: string, model: tf.LayersModel][] {
  return networks.kind === 'gan'
    ? [
        ['generator', networks.generator],
        ['discriminator', networks.discriminator],
      ]
    : [['model', networks.model]];
}

export function disposeNetworks(networks: Networks): void {
  for (const [, model] of partsOf(networks)) model.dispose();
}

const outputShapes = (model: tf.LayersModel) => JSON.stringify(model.outputs.map((o) => o.shape));

/**
 * Why the hand-written networks are not the template's, or null when each part has the same
 * parameter count and output shape: the comparison is only honest for the same network.
 */
export function difference(compiled: Networks, hand: Networks): string | null {
  if (compiled.kind !== hand.kind) {
    const what = (n: Networks) => (n.kind === 'gan' ? "a GAN's generator and discriminator" : 'one network');
    return `the template trains ${what(compiled)}, but its hand-written counterpart is ${what(hand)}`;
  }
  const handParts = new Map(partsOf(hand));
  for (const [name, model] of partsOf(compiled)) {
    const other = handParts.get(name)!;
    if (model.countParams() !== other.countParams() || outputShapes(model) !== outputShapes(other)) {
      return (
        `the hand-written ${name === 'model' ? 'network' : name} differs from the template: ${other.countParams()} parameters and output ${outputShapes(other)}, ` +
        `compiled ${model.countParams()} and ${outputShapes(model)}`
      );
    }
  }
  return null;
}
