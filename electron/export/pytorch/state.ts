import type { StateEntry } from './layers.js';
import type { NamedTensor } from './safetensors.js';
import { permute } from '../tensors.js';

/**
 * A PyTorch state_dict back as tfjs weights: each entry's layout undone (`StateEntry.from`),
 * by tfjs weight name. A missing entry, or one of another size, is named.
 */
export function weightsFromState(entries: readonly StateEntry[], state: ReadonlyMap<string, NamedTensor>, prefix = ''): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const entry of entries) {
    const tensor = state.get(prefix + entry.key);
    if (!tensor) throw new Error(`PyTorch's weights have no ${entry.key} (the tfjs weight ${entry.from.name}).`);
    if (tensor.values.length !== entry.values.length) {
      throw new Error(`PyTorch's ${entry.key} holds ${tensor.values.length} values, but the tfjs weight ${entry.from.name} has ${entry.values.length}.`);
    }
    const { perm, shape } = entry.from;
    if (!perm) {
      out.set(entry.from.name, tensor.values);
      continue;
    }
    const inverse = new Array<number>(perm.length);
    perm.forEach((axis, i) => (inverse[axis] = i));
    out.set(entry.from.name, permute(tensor.values, perm.map((axis) => shape[axis]!), inverse).values);
  }
  return out;
}
