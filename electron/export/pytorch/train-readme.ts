import type { ModelToExport } from '../model.js';

const OPTIMIZER_WORDS: Record<ModelToExport['settings']['optimizer'], string> = {
  sgd: 'SGD',
  momentum: 'SGD with momentum',
  adam: 'Adam (β₁ 0.9, β₂ 0.999, ε 1e-7, as TensorFlow.js)',
  adamw: 'Adam with decoupled weight decay (AdamW, applied after each step to kernels and embeddings, as NetCanvas)',
  rmsprop: "RMSprop (TensorFlow.js's: decay 0.9, ε 1e-7 inside the square root)",
};

/** The README section on train.py: one CPU, one GPU, torchrun on one or several machines, resuming, and where its files go. */
export function trainingReadmeText(model: ModelToExport, data: { size: string | null; note: string } | null): string {
  const s = model.settings;
  if (s.task === 'gan') {
    return ['## Training', '', 'train.py for a GAN is not provided: training the generator and the discriminator in turn as NetCanvas does is left to NetCanvas. model.py and the weights are still the trained networks.', ''].join('\n');
  }
  const dataLines = data
    ? [data.note, ...(data.size ? [`The \`data/\` folder holds ${data.size}.`] : [])]
    : ['The data comes from the dataset the project names (train_config.json, `data`).'];
  return [
    '## Training',
    '',
    `train.py trains the network as NetCanvas${model.runId ? ` trained run ${model.runId}` : ''} does: ${s.task}, ${OPTIMIZER_WORDS[s.optimizer]} at learning rate ${s.learningRate} (${s.schedule.kind} schedule), loss ${s.loss}, batches of ${s.batchSize}, ${s.epochs} epoch${s.epochs === 1 ? '' : 's'}, seed ${s.seed}, the same validation split and the same order of examples each epoch. Every setting is in \`train_config.json\`. It needs PyTorch and NumPy.`,
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
    'Other options: `--epochs N` (epochs in all), `--max-steps N` (a quick check: stop after N steps), `--data PATH` (the dataset elsewhere), `--from-weights` (start from the exported trained weights, to fine-tune; else from fresh weights), `--out FOLDER`.',
    '',
    'Checkpoints and logs are written by the first process only, each file whole or not at all: `checkpoints/last.pt` after every epoch, `checkpoints/best.pt` when the validation loss is the best so far, and `logs/history.csv` (loss, accuracy, validation loss and accuracy, learning rate per epoch), beside train.py unless `--out` says otherwise. Each epoch prints one line.',
    '',
    'To go on after a stop, run the same command with `--resume`: it loads `checkpoints/last.pt` (weights, optimizer, schedule, epoch and best loss) and trains up to `--epochs` in all.',
    '',
  ].join('\n');
}
