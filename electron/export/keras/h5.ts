import { writeH5, type H5File } from '../../data/h5.js';

/**
 * The weights file of Keras 2's `model.save_weights('x.h5')`: root attributes `layer_names`,
 * `backend` and `keras_version`; a group per layer with its `weight_names`; each weight a
 * float32 dataset at `<layer>/<weight name>`, so `conv1/conv1/kernel:0`. Names are fixed-length
 * byte strings, as NumPy writes them through h5py.
 */

export interface KerasWeight {
  /** Keras's full name, e.g. `conv1/kernel:0`. */
  name: string;
  shape: readonly number[];
  values: Float32Array;
}

export interface KerasLayerWeights {
  name: string;
  weights: readonly KerasWeight[];
}

/** Keras writes the keras_version it runs; the JSON beside says the same. */
export const KERAS_VERSION = '2.15.0';

/** HDF5 keeps an attribute in its object's header, which holds 64 KiB; Keras splits longer lists. */
const HEADER_LIMIT = 64512;

export function kerasWeightsFile(layers: readonly KerasLayerWeights[]): Promise<Uint8Array> {
  return writeH5((file) => {
    stringListAttribute(file, 'layer_names', layers.map((l) => l.name));
    file.create_attribute('backend', 'tensorflow', [], fixedString('tensorflow'));
    file.create_attribute('keras_version', KERAS_VERSION, [], fixedString(KERAS_VERSION));
    for (const layer of layers) {
      const group = file.create_group(layer.name);
      stringListAttribute(group, 'weight_names', layer.weights.map((w) => w.name));
      for (const weight of layer.weights) {
        const size = weight.shape.reduce((a, b) => a * b, 1);
        if (size !== weight.values.length) throw new Error(`${weight.name} has shape (${weight.shape.join(', ')}) but ${weight.values.length} values.`);
        const parts = weight.name.split('/');
        // h5py makes the groups along a dataset's path itself; h5wasm needs them made first.
        let path = layer.name;
        for (const part of parts.slice(0, -1)) {
          path = `${path}/${part}`;
          if (!file.get(path)) file.create_group(path);
        }
        const parent = file.get(path) as ReturnType<H5File['create_group']>;
        parent.create_dataset({ name: parts[parts.length - 1]!, data: weight.values, shape: [...weight.shape], dtype: '<f' });
        if (!file.get(`${layer.name}/${weight.name}`)) throw new Error(`The weights file could not hold ${layer.name}/${weight.name}.`);
      }
    }
  });
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

function fixedString(text: string): string {
  return `S${Math.max(1, byteLength(text))}`;
}

type HasAttributes = Pick<H5File, 'create_attribute'>;

/**
 * A list of names as one fixed-length string attribute, or, past HDF5's header limit, as
 * `name0`, `name1`… split as NumPy's `array_split` does: what Keras's
 * `load_attributes_from_hdf5_group` reads back.
 */
function stringListAttribute(target: HasAttributes, name: string, values: readonly string[]): void {
  const width = Math.max(1, ...values.map(byteLength));
  let chunks = 1;
  while (Math.ceil(values.length / chunks) * width > HEADER_LIMIT) chunks += 1;
  if (chunks === 1) {
    target.create_attribute(name, [...values], [values.length], `S${width}`);
    return;
  }
  const base = Math.floor(values.length / chunks);
  const extra = values.length % chunks;
  let start = 0;
  for (let i = 0; i < chunks; i++) {
    const part = values.slice(start, start + base + (i < extra ? 1 : 0));
    start += part.length;
    target.create_attribute(`${name}${i}`, [...part], [part.length], `S${width}`);
  }
}
