import { augments, toSource, type Augmentation, type DatasetSource } from '../../../shared/data/source.js';
import type { ModelToExport } from '../model.js';
import { pythonNames } from './model-py.js';

const OPTIMIZER_WORDS: Record<ModelToExport['settings']['optimizer'], string> = {
  sgd: 'SGD',
  momentum: 'SGD with momentum',
  adam: 'Adam (β₁ 0.9, β₂ 0.999, ε 1e-7, as TensorFlow.js)',
  adamw: 'Adam with decoupled weight decay (AdamW, applied after each step to kernels and embeddings, as NetCanvas)',
  rmsprop: "RMSprop (TensorFlow.js's: decay 0.9, ε 1e-7 inside the square root)",
};

/** How train_data.py reads the kinds of data whose reading can differ from NetCanvas's, or needs more than NumPy. */
const SOURCE_LINES: Partial<Record<DatasetSource['kind'], string>> = {
  'image-folder':
    "train_data.py reads the image folder as NetCanvas does: the class folders in the same name order, the files that start as a PNG or JPEG does (whatever their names), the same held-out images of each class (or the test folder), and each image decoded with Pillow when a batch needs it, laid over black where it is transparent, made gray as 0.299 R + 0.587 G + 0.114 B for gray input, resized by NetCanvas's own rule (bilinear down to half the size, the average of the pixels covered below that), scaled to 0–1, channels last. PNG pixels come out as NetCanvas's; JPEG decoders round differently, so a JPEG's pixels may differ by a grey level or two, and a 16-bit colour PNG's by one. It needs Pillow (`pip install pillow`).",
  npy: 'train_data.py reads the .npy files as NetCanvas does, memory-mapped so that a large file is never read whole: (examples, features) is a table, (examples, height, width) images when every value is a whole number from 0 to 255 (else sequences of steps), (examples, height, width, 1 or 3) images; whole-number pixels are divided by 255 (images of only 0s and 1s stay as they are), inputs that are NaN or infinite become 0, targets that are whole numbers from 0 or one-hot rows are classes and others values to fit, examples whose target is not a number are left out, and the same examples are held out.',
};

function augmentationWords(a: Augmentation): string {
  const words = [
    ...(a.flip ? ['mirrored left to right half the time'] : []),
    ...(a.shift > 0 ? [`shifted by up to ${a.shift} of the size`] : []),
    ...(a.rotate > 0 ? [`turned by up to ${a.rotate}°`] : []),
    ...(a.noise > 0 ? [`noise of standard deviation ${a.noise} added`] : []),
  ];
  return words.join(', ');
}

/** The README's sentence on the layers frozen in NetCanvas, or null when none is. */
function frozenNote(model: ModelToExport): string | null {
  const frozen = model.graph.nodes.filter((n) => n.frozen && n.type !== 'Input').map((n) => pythonNames(model).get(n.id)!);
  if (frozen.length === 0) return null;
  return `Frozen in NetCanvas, and so in train.py: ${frozen.join(', ')} (model.py's \`FROZEN\`). Their weights get no gradients and stay as they are, and a frozen BatchNormalization keeps normalizing with its running statistics, in train mode too.`;
}

/** The README section on train.py: one CPU, one GPU, torchrun on one or several machines, resuming, and where its files go. */
export function trainingReadmeText(model: ModelToExport, data: { size: string | null; note: string } | null): string {
  const s = model.settings;
  if (s.task === 'gan') {
    return ['## Training', '', 'train.py for a GAN is not provided: training the generator and the discriminator in turn as NetCanvas does is left to NetCanvas. model.py and the weights are still the trained networks.', ''].join('\n');
  }
  const sourceLine = SOURCE_LINES[toSource(s.dataset).kind];
  const augmentation = model.project.training.augmentation;
  const dataLines = [
    ...(data ? [data.note, ...(data.size ? [`The \`data/\` folder holds ${data.size}.`] : [])] : ['The data comes from the dataset the project names (train_config.json, `data`).']),
    ...(sourceLine ? ['', sourceLine] : []),
    ...(augments(augmentation)
      ? ['', `Training batches of images are augmented as NetCanvas augments them (${augmentationWords(augmentation)}), drawn from the same seeded randomness in the first process; validation batches are not.`]
      : []),
  ];
  return [
    '## Training',
    '',
    `train.py trains the network with the settings of ${model.runId ? `run ${model.runId}` : 'the project'}: ${s.task}, ${OPTIMIZER_WORDS[s.optimizer]} at learning rate ${s.learningRate} (${s.schedule.kind} schedule), loss ${s.loss}, batches of ${s.batchSize}, ${s.epochs} epoch${s.epochs === 1 ? '' : 's'}, seed ${s.seed}, the same validation split and the same order of examples each epoch. Every setting is in \`train_config.json\`. It needs PyTorch and NumPy.`,
    '',
    s.startFrom
      ? `The run started from the weights of run ${s.startFrom.runId}, so train.py starts from the exported weights (\`weights.safetensors\`) unless given \`--fresh\`, which starts from PyTorch's default initialization instead.`
      : "A fresh run of train.py starts from PyTorch's default initialization of the layers, not from the initial weights TensorFlow.js drew for NetCanvas, so its numbers will not match NetCanvas's run step for step; give `--from-weights` to start from the exported weights instead.",
    ...(frozenNote(model) ? ['', frozenNote(model)!] : []),
    '',
    ...dataLines,
    '',
    'One CPU, or the GPU when there is one:',
    '',
    '```sh',
    'python train.py',
    'python train.py --device cpu',
    '```',
    '',
    'Several GPUs of one machine (one process per GPU, DistributedDataParallel):',
    '',
    '```sh',
    'torchrun --nproc_per_node=4 train.py',
    '```',
    '',
    'Several machines, here two of eight GPUs each: run on each machine, with `--node_rank=0` on the first and `--node_rank=1` on the second, and the first machine\'s address:',
    '',
    '```sh',
    'torchrun --nnodes=2 --node_rank=0 --master_addr=10.0.0.1 --master_port=29500 --nproc_per_node=8 train.py',
    '```',
    '',
    `Each process trains on its share of every epoch with batches of ${s.batchSize}, so the effective batch is ${s.batchSize} × the number of processes; give \`--batch-size\` to change it (and perhaps \`--learning-rate\`). GPUs talk over NCCL, CPU processes over Gloo.`,
    '',
    "Other options: `--epochs N` (epochs in all), `--max-steps N` (a quick check: stop after N steps), `--data PATH` (the dataset elsewhere), `--from-weights` (start from the exported trained weights, to fine-tune), `--fresh` (start from PyTorch's default initialization), `--out FOLDER`.",
    '',
    'Checkpoints and logs are written by the first process only, each file whole or not at all: `checkpoints/last.pt` after every epoch, `checkpoints/best.pt` when the validation loss is the best so far, and `logs/history.csv` (loss, accuracy, validation loss and accuracy, learning rate per epoch), beside train.py unless `--out` says otherwise. Each epoch prints one line.',
    '',
    'To go on after a stop, run the same command with `--resume`: it loads `checkpoints/last.pt` (weights, optimizer, schedule, epoch and best loss) and trains up to `--epochs` in all.',
    '',
  ].join('\n');
}
