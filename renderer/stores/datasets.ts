import type { TrainingDefaults } from '../../shared/project/schema.js';

type DatasetId = TrainingDefaults['dataset'];
type Task = TrainingDefaults['task'];

export interface DatasetInfo {
  label: string;
  /** One example's shape (no batch axis) for image data; a GAN's generator must make this. */
  imageShape: readonly number[] | null;
  /** The tasks that make sense on this data, first the usual one. */
  tasks: readonly Task[];
}

/** What the renderer needs to know of the built-in datasets: names for the picker and the image shape. */
export const DATASET_INFO: Record<DatasetId, DatasetInfo> = {
  mnist: { label: 'MNIST digits', imageShape: [28, 28, 1], tasks: ['classify', 'autoencode', 'gan'] },
  'moby-dick': { label: 'Moby-Dick (text)', imageShape: null, tasks: ['language-model'] },
};

export const TASK_LABELS: Record<Task, string> = {
  classify: 'Classify',
  autoencode: 'Autoencode',
  gan: 'GAN',
  'language-model': 'Language model',
};

export const TASK_HELP: Record<Task, string> = {
  classify: 'Learns which label each example has.',
  autoencode: 'Learns to rebuild each input from a small code.',
  gan: 'A generator learns to make images a discriminator cannot tell from real ones.',
  'language-model': 'Learns to predict the next character, then writes text.',
};
