import { TEXT_ALPHABET } from './text.js';
import type { Inference } from '../../shared/graph/infer.js';
import { formatShape, type Graph } from '../../shared/graph/types.js';
import type { DatasetId, Project, Task } from '../../shared/project/schema.js';
import { splitGan } from '../../shared/training/gan.js';

export interface DatasetInfo {
  id: DatasetId;
  name: string;
  kind: 'images' | 'text';
  /** One example's shape: an image's height, width and channels. Text windows take the model's length. */
  inputShape: readonly number[];
  /** Classes of an image dataset; characters of a text one. */
  numClasses: number;
  trainSamples: number;
  testSamples: number;
}

export const DATASETS: Record<DatasetId, DatasetInfo> = {
  mnist: { id: 'mnist', name: 'MNIST handwritten digits', kind: 'images', inputShape: [28, 28, 1], numClasses: 10, trainSamples: 60_000, testSamples: 10_000 },
  'moby-dick': { id: 'moby-dick', name: 'Moby-Dick (text)', kind: 'text', inputShape: [], numClasses: TEXT_ALPHABET.length, trainSamples: 1_000_000, testSamples: 100_000 },
};

const TASK_KIND: Record<Task, DatasetInfo['kind']> = { classify: 'images', autoencode: 'images', gan: 'images', 'language-model': 'text' };

/** Whether a (valid) graph can train on a dataset for a task; each problem is a sentence with the fix. */
export function datasetProblems(graph: Graph, inference: Inference, training: Pick<Project['training'], 'dataset' | 'task' | 'gan'>): string[] {
  const info = DATASETS[training.dataset];
  const task = training.task;
  if (TASK_KIND[task] !== info.kind) {
    return [`The ${task} task needs ${TASK_KIND[task] === 'images' ? 'an image dataset such as MNIST' : 'a text dataset such as Moby-Dick'}, and this project trains on ${info.name}: pick another dataset or task.`];
  }
  if (task === 'gan') {
    const split = splitGan(graph, inference, info.inputShape, training.gan);
    return split.ok ? [] : split.problems;
  }
  const problems: string[] = [];
  const name = (id: string) => graph.nodes.find((n) => n.id === id)?.name ?? id;
  const shapeOf = (id: string) => inference.nodes[id]!.outputShape!;
  if (inference.inputIds.length !== 1) {
    problems.push(`${info.name} feeds one Input layer, but the network has ${inference.inputIds.length}.`);
  }
  if (inference.outputIds.length !== 1) {
    problems.push(`${info.name} has one target per example, but the network has ${inference.outputIds.length} outputs.`);
  }
  if (problems.length > 0) return problems;
  const inputId = inference.inputIds[0]!;
  const outputId = inference.outputIds[0]!;
  const input = shapeOf(inputId);
  const out = shapeOf(outputId);

  if (info.kind === 'text') {
    const v = info.numClasses;
    if (input.length !== 2 && !(input.length === 3 && input[2] === v)) {
      problems.push(`A character model reads a window of character ids, shape (?, length) such as (?, 40), or one-hot characters (?, length, ${v}); Input "${name(inputId)}" is ${formatShape(input)}.`);
    }
    const perStep = out.length === 3 && out[1] === input[1];
    if (!((out.length === 2 && out[1] === v) || (perStep && out[2] === v))) {
      problems.push(
        `${info.name} has ${v} different characters, so the last layer must output (?, ${v}) for the next character, or (?, ${input[1] ?? 'length'}, ${v}) for the next character at every position; "${name(outputId)}" outputs ${formatShape(out)}: set its units to ${v}.`,
      );
    }
    return problems;
  }

  const expected = formatShape([null, ...info.inputShape]);
  if (input.slice(1).join(',') !== info.inputShape.join(',')) {
    problems.push(`${info.name} examples have shape ${expected} but Input "${name(inputId)}" expects ${formatShape(input)}: set its shape to ${info.inputShape.join(',')}.`);
  }
  if (task === 'autoencode') {
    if (out.slice(1).join(',') !== info.inputShape.join(',')) {
      problems.push(`An autoencoder rebuilds its input, so its last layer must output ${expected}; "${name(outputId)}" outputs ${formatShape(out)}: end with Reshape to ${info.inputShape.join(',')}.`);
    }
  } else if (out.length !== 2 || out[1] !== info.numClasses) {
    problems.push(`${info.name} has ${info.numClasses} classes, so the last layer must output (?, ${info.numClasses}); "${name(outputId)}" outputs ${formatShape(out)}.`);
  }
  return problems;
}
