import { KERAS_VERSION } from './h5.js';
import type { KerasModelJson } from '../../../shared/keras/format.js';
import type { ModelToExport } from '../model.js';

/** The weights file's name: not `*.weights.h5`, which Keras 2.13+ and 3 read as their newer layout. */
export const WEIGHTS_FILE = 'model_weights.h5';

/** Keras classes the JSON names that come from keras-hub (keras-nlp before), not Keras itself. */
function hubClasses(json: KerasModelJson): string[] {
  const hub = new Set(['PositionEmbedding', 'TokenAndPositionEmbedding', 'TransformerEncoder']);
  return [...new Set(json.config.layers.map((l) => l.class_name).filter((c) => hub.has(c)))].sort();
}

function inputList(model: ModelToExport): string {
  return model.inference.inputIds
    .map((id) => {
      const shape = model.inference.nodes[id]!.outputShape!.slice(1);
      return `    (${JSON.stringify(model.layerNames.get(id))}, (${shape.join(', ')}${shape.length === 1 ? ',' : ''})),`;
    })
    .join('\n');
}

export function loadKerasScript(model: ModelToExport, json: KerasModelJson): string {
  const args = model.inference.inputIds.map((_, i) => `IN${i + 1}.npy`).join(' ');
  return `"""Loads ${model.name} into Keras with its weights and predicts.

    python load_keras.py ${args} OUT.npy

Each IN file is a NumPy array of one input, batch first; OUT.npy gets the output (OUT_1.npy,
OUT_2.npy... when the model has several). Needs TensorFlow 2.15 (Keras 2) or Keras 3, with
h5py and NumPy${hubClasses(json).length > 0 ? `, and keras-hub (Keras 3) or keras-nlp (Keras 2) for ${hubClasses(json).join(', ')}` : ''}.
Written by NetCanvas.
"""
import importlib
import json
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent

# Each input's name and the shape of one example.
INPUTS = [
${inputList(model)}
]


def _hub_layer(name):
    for module in ("keras_hub.layers", "keras_nlp.layers"):
        try:
            layers = importlib.import_module(module)
        except ImportError:
            continue
        if hasattr(layers, name):
            return getattr(layers, name)
    return None


def _custom_objects(keras, config):
    """What model_from_json needs beyond Keras itself: keras-hub's layers, and relu6 for Keras 2."""
    objects = {}
    if not hasattr(keras.activations, "relu6"):
        backend = keras.backend
        objects["relu6"] = lambda x: backend.minimum(backend.maximum(x, 0.0), 6.0)
    missing = []
    for layer in config["config"]["layers"]:
        nested = layer["config"].get("layer")
        for name in [layer["class_name"]] + ([nested["class_name"]] if isinstance(nested, dict) else []):
            if hasattr(keras.layers, name) or name in objects:
                continue
            found = _hub_layer(name)
            if found is None:
                missing.append(name)
            else:
                objects[name] = found
    if missing:
        sys.exit(f"model.json uses {', '.join(sorted(set(missing)))}, which neither Keras nor keras-hub / keras-nlp here has: pip install keras-hub (Keras 3) or keras-nlp (Keras 2)")
    return objects


def load_model():
    import keras

    text = (HERE / "model.json").read_text(encoding="utf-8")
    model = keras.models.model_from_json(text, custom_objects=_custom_objects(keras, json.loads(text)))
    # A plain .h5 name: Keras 2 and 3 read it with their h5 loader, layer by layer in model order.
    model.load_weights(str(HERE / "${WEIGHTS_FILE}"))
    return model


def predict(model, *inputs):
    """The model's outputs for NumPy inputs (one array per input, batch first)."""
    for (name, shape), x in zip(INPUTS, inputs):
        if tuple(x.shape[1:]) != shape:
            raise ValueError(f"input {name} needs examples of shape {shape}, got an array of shape {x.shape}")
    out = model.predict(list(inputs) if len(inputs) > 1 else inputs[0], verbose=0)
    return out if isinstance(out, list) else [out]


def main(argv):
    if len(argv) != len(INPUTS) + 1:
        names = " ".join(f"{name}.npy" for name, _ in INPUTS)
        sys.exit(f"usage: python load_keras.py {names} OUT.npy")
    inputs = [np.load(path).astype("float32") for path in argv[:-1]]
    outputs = predict(load_model(), *inputs)
    target = pathlib.Path(argv[-1])
    for i, out in enumerate(outputs):
        path = target if len(outputs) == 1 else target.with_name(f"{target.stem}_{i + 1}{target.suffix}")
        np.save(path, np.asarray(out, dtype="float32"))
        print(f"wrote {path} {tuple(out.shape)}")


if __name__ == "__main__":
    main(sys.argv[1:])
`;
}

export function kerasReadme(model: ModelToExport, json: KerasModelJson): string {
  const hub = hubClasses(json);
  const recurrentHardSigmoid = JSON.stringify(json).includes('"hard_sigmoid"');
  const from = model.runId ? `the weights of run \`${model.runId}\`` : 'its weights as they are now (not from a training run)';
  return `# ${model.name} for Keras

Exported by NetCanvas with ${from}.

| file | what it is |
| --- | --- |
| \`model.json\` | the network, as Keras 2's \`model.to_json()\` writes it |
| \`${WEIGHTS_FILE}\` | the weights, as Keras 2's \`model.save_weights('${WEIGHTS_FILE}')\` writes them: one group per layer, float32 |
| \`load_keras.py\` | builds the model, loads the weights and predicts on \`.npy\` files |

## Keras 2 (TensorFlow 2.15) and Keras 3

\`\`\`python
import keras
model = keras.models.model_from_json(open("model.json").read()${hub.length > 0 ? ', custom_objects=...' : ''})
model.load_weights("${WEIGHTS_FILE}")
\`\`\`

or \`python load_keras.py ${model.inference.inputIds.map((_, i) => `IN${i + 1}.npy`).join(' ')} OUT.npy\`, which does the same and predicts.
${hub.length > 0 ? `\n${hub.join(', ')} ${hub.length === 1 ? 'comes' : 'come'} from keras-hub (\`pip install keras-hub\`, Keras 3) or keras-nlp (Keras 2); \`load_keras.py\` finds them and passes them as \`custom_objects\`.\n` : ''}
Keras 2 has no \`relu6\` activation by name; \`load_keras.py\` gives it one when the model uses it.
${recurrentHardSigmoid ? '\nThis model uses `hard_sigmoid`. TensorFlow.js and Keras 2 compute it as clip(0.2·x + 0.5, 0, 1); Keras 3 as relu6(x + 3) / 6, so Keras 3 predicts slightly differently.\n' : ''}
## TensorFlow.js

\`tensorflowjs_converter --input_format keras\` reads a whole model in one \`.h5\` file. Save one from Keras first:

\`\`\`bash
python -c "import load_keras; load_keras.load_model().save('model.h5')"
tensorflowjs_converter --input_format keras model.h5 tfjs_model/
\`\`\`
${hub.length > 0 ? `\nTensorFlow.js has no ${hub.join(', ')}: use NetCanvas's TensorFlow.js export for this model instead.\n` : ''}
## Why this layout

The weights are in Keras's h5 layout, which Keras 2, Keras 3's h5 loader and tensorflowjs_converter
all read, paired with \`model.json\` in the Keras 2 format that Keras 2 and 3 both build from. Keras
pairs the file's layers with the model's in model order, checking each weight's shape. The file is
not named \`*.weights.h5\`: Keras 2.13+ and Keras 3 take that ending for their newer layout
(\`layers/<name>/vars/<i>\`), and a \`.keras\` archive needs Keras 3's own serialization of every
layer, which NetCanvas does not write.

NetCanvas checks these files with h5py and its own Keras importer, not with Keras: TensorFlow is not
part of NetCanvas, so \`load_keras.py\` has not been run where it was written.
`;
}
