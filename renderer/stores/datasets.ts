import type { BuiltinInfo, DatasetKind } from '../../shared/data/report.js';
import { SYNTHETIC_DATASETS, toSource, type BuiltinDatasetId, type ProjectDataset } from '../../shared/data/source.js';
import type { LossName, TrainingDefaults } from '../../shared/project/schema.js';

type Task = TrainingDefaults['task'];

export const TASK_LABELS: Record<Task, string> = {
  classify: 'Classify',
  regress: 'Regression',
  autoencode: 'Autoencode',
  gan: 'GAN',
  'language-model': 'Language model',
};

export const TASK_HELP: Record<Task, string> = {
  classify: 'Learns which label each example has.',
  regress: 'Learns to predict numbers, such as a price.',
  autoencode: 'Learns to rebuild each input from a small code.',
  gan: 'A generator learns to make images a discriminator cannot tell from real ones.',
  'language-model': 'Learns to predict the next character, then writes text.',
};

export const KIND_LABELS: Record<DatasetKind, string> = {
  images: 'Images',
  table: 'Table',
  sequence: 'Time series',
  text: 'Text documents',
  corpus: 'Text to continue',
};

/** The picker's groups, in the order a course meets them. */
export const BUILTIN_GROUPS: readonly { label: string; ids: readonly BuiltinDatasetId[] }[] = [
  { label: 'Images', ids: ['mnist', 'fashion-mnist'] },
  { label: 'Text', ids: ['moby-dick', 'imdb'] },
  { label: 'Tables', ids: ['iris', 'boston-housing'] },
  { label: 'Teaching', ids: SYNTHETIC_DATASETS },
];

const CLASSIFICATION_LOSSES: readonly LossName[] = ['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy'];
const REGRESSION_LOSSES: readonly LossName[] = ['meanSquaredError', 'meanAbsoluteError', 'huber'];

/**
 * The loss to use after switching to `task`: a regression cannot learn with a
 * classification loss and the other way round; any other loss is kept.
 */
export function lossForTask(task: Task, loss: LossName): LossName {
  if (task === 'regress' && CLASSIFICATION_LOSSES.includes(loss)) return 'meanSquaredError';
  if (task === 'classify' && REGRESSION_LOSSES.includes(loss)) return 'categoricalCrossentropy';
  return loss;
}

/** A short name for the project's dataset: the built-in's name, or the file's. */
export function datasetLabel(dataset: ProjectDataset, builtins: readonly BuiltinInfo[] | null): string {
  const source = toSource(dataset);
  if (source.kind === 'builtin') return builtins?.find((b) => b.id === source.id)?.name ?? source.id;
  const parts = source.path.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? source.path;
}
