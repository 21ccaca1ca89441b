import { modelSource, pytorchRefusals } from './model-py.js';
import { encodeSafetensors } from './safetensors.js';
import { trainingFiles, trainingReadme } from './train.js';
import { ExportRefused, type ExportFile, type ModelToExport, type TargetWriter } from '../model.js';

/**
 * PyTorch: model.py (an nn.Module that computes what the NetCanvas network computes, with
 * NetCanvas's own layers written out), weights.safetensors (its state_dict), predict.py,
 * train.py and a README.
 */

const PREDICT_PY = `"""
Runs the exported model on NumPy files: python predict.py IN.npy [IN2.npy ...] OUT.npy

One .npy per input of the model, shaped (examples, *INPUT_SHAPES[i]) and channels-last, as
NetCanvas's Input layers take them (whole numbers where the model reads token ids). Writes the
first output to OUT.npy and any further outputs to OUT_2.npy, OUT_3.npy, ...
"""
import argparse
import os

import numpy as np
import torch

from model import INPUT_DTYPES, INPUT_NAMES, INPUT_SHAPES, OUTPUT_NAMES, load_model


def output_paths(out):
    stem, ext = os.path.splitext(out)
    return [out] + [f'{stem}_{i}{ext or ".npy"}' for i in range(2, len(OUTPUT_NAMES) + 1)]


def main():
    parser = argparse.ArgumentParser(description='Runs the exported model on .npy inputs.')
    parser.add_argument('files', nargs='+', help=f'{len(INPUT_NAMES)} input file(s) ({", ".join(INPUT_NAMES)}), then the output file')
    parser.add_argument('--device', choices=['cpu', 'cuda'], default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--batch-size', type=int, default=256)
    parser.add_argument('--weights', default=None, help='a .safetensors file (default: weights.safetensors beside model.py)')
    args = parser.parse_args()
    if len(args.files) != len(INPUT_NAMES) + 1:
        parser.error(f'the model takes {len(INPUT_NAMES)} input file(s) ({", ".join(INPUT_NAMES)}) and one output file; got {len(args.files)} file(s)')
    inputs = [np.load(path, mmap_mode='r') for path in args.files[:-1]]
    for path, array, name, shape in zip(args.files, inputs, INPUT_NAMES, INPUT_SHAPES):
        if tuple(array.shape[1:]) != tuple(shape):
            parser.error(f'{path} holds {name} as {tuple(array.shape)}; the model takes (examples, {", ".join(map(str, shape))})')
    count = inputs[0].shape[0]
    if any(array.shape[0] != count for array in inputs):
        parser.error(f'the input files hold different numbers of examples: {", ".join(str(a.shape[0]) for a in inputs)}')
    model = load_model(args.weights).to(args.device)
    paths = output_paths(args.files[-1])
    written = None
    with torch.no_grad():
        for start in range(0, count, args.batch_size):
            batch = [torch.from_numpy(np.asarray(a[start:start + args.batch_size]).astype(dtype)).to(args.device)
                     for a, dtype in zip(inputs, INPUT_DTYPES)]
            outputs = model(*batch)
            outputs = outputs if isinstance(outputs, tuple) else (outputs,)
            if written is None:
                written = [np.lib.format.open_memmap(p, mode='w+', dtype=np.float32, shape=(count,) + tuple(o.shape[1:]))
                           for p, o in zip(paths, outputs)]
            for target, o in zip(written, outputs):
                target[start:start + o.shape[0]] = o.float().cpu().numpy()
    for target in written or []:
        target.flush()
    print(f'{count} example(s): wrote {", ".join(paths)}')


if __name__ == '__main__':
    main()
`;

function readme(model: ModelToExport, className: string, training: string): string {
  const inputs = model.inference.inputIds.map((id) => `(${model.inference.nodes[id]!.outputShape!.slice(1).join(', ')})`);
  const source = model.runId ? `the weights of run \`${model.runId}\` of ${model.project.name}` : `the untrained weights of ${model.project.name} (no run)`;
  return `# ${className} for PyTorch

Exported from NetCanvas with ${source}.

| file | what it is |
| --- | --- |
| \`model.py\` | the network as a plain \`nn.Module\` (\`${className}\`), with \`build_model()\` (fresh: PyTorch's default initialization, not the initial weights TensorFlow.js drew) and \`load_model(path=None)\` (the exported weights, eval mode); both freeze the layers frozen in NetCanvas (\`FROZEN\`); needs only \`torch\` and \`numpy\` |
| \`weights.safetensors\` | the model's \`state_dict()\`, under PyTorch's names and layouts (float32) |
| \`predict.py\` | runs the model on \`.npy\` files |

## Layout

Tensors stay **channels-last** between layers, as in NetCanvas and its datasets: an image is
(batch, height, width, channels) and a sequence (batch, steps, features). Convolutions and
pooling permute around PyTorch's channels-first operations and pad as TensorFlow does
("same" puts the extra row or column at the bottom or right). \`forward\` takes the inputs
shaped as NetCanvas's Input layers, ${inputs.join(', ')} per example, and returns what
NetCanvas's output layers give. Recurrent layers keep Keras's single bias per gate and its
gate order (LSTM i, f, c, o; GRU z, r, h, with the reset gate before the recurrent weights).

## Load

\`\`\`python
from model import load_model
model = load_model()          # eval mode
outputs = model(*inputs)
\`\`\`

\`weights.safetensors\` can also be read with the \`safetensors\` package
(\`safetensors.torch.load_file\`); to keep a \`torch.save\` copy:
\`python -c "import torch; from model import load_model; torch.save(load_model().state_dict(), 'weights.pt')"\`.

## Predict

\`\`\`
python predict.py ${model.inference.inputIds.map((_, i) => `in${i + 1}.npy`).join(' ')} out.npy [--device cpu|cuda] [--batch-size 256]
\`\`\`

Each input file is (examples, …) as above${model.inference.outputIds.length > 1 ? '; the first output goes to out.npy, the next to out_2.npy and so on' : ''}. Files are read and
written batch by batch, so a large file need not fit in memory.
${training ? `\n${training.trim()}\n` : ''}`;
}

/** model.py, weights.safetensors and predict.py: the model without what trains it. */
export function modelFiles(model: ModelToExport): { className: string; files: ExportFile[] } {
  const refusals = pytorchRefusals(model);
  if (refusals.length > 0) throw new ExportRefused('pytorch', refusals);
  const { className, source, state } = modelSource(model);
  return {
    className,
    files: [
      { path: 'model.py', data: source },
      { path: 'weights.safetensors', data: encodeSafetensors(state, model.runId ? { run: model.runId } : {}) },
      { path: 'predict.py', data: PREDICT_PY },
    ],
  };
}

export const PYTORCH_WRITER: TargetWriter = {
  refusals: pytorchRefusals,
  async files(model) {
    const { className, files } = modelFiles(model);
    const training = await trainingFiles(model);
    return [...files, ...training, { path: 'README.md', data: readme(model, className, trainingReadme(model)) }];
  },
};
