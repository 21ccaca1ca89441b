import type { DatasetReport } from './report.js';
import type { Fix } from '../graph/diagnostics.js';
import type { Inference } from '../graph/infer.js';
import { formatShape, type Graph, type Shape } from '../graph/types.js';
import type { GanRoles, LossName, Task } from '../project/schema.js';
import { splitGan } from '../training/gan.js';

/** Where the network and the data disagree, in plain words, with the one-click repair when there is one. */
export interface FitProblem {
  message: string;
  /** The layer to repair. */
  nodeId?: string;
  /** Sets one parameter of `nodeId`. */
  fix?: Extract<Fix, { kind: 'set-param' }>;
  /** Switches the project to a task the data can train. */
  task?: Task;
}

export interface FitSettings {
  task: Task;
  loss?: LossName;
  gan?: GanRoles;
}

export const TASK_NAMES: Record<Task, string> = {
  classify: 'classifier',
  regress: 'regression',
  autoencode: 'autoencoder',
  gan: 'GAN',
  'language-model': 'language model',
};

/** Shapes equal once trailing axes of 1 are dropped: (?, 28, 28) reads 28×28×1 images, (?, 32) a (32, 1) window. */
function sameExample(shape: Shape, example: readonly number[]): boolean {
  const trim = (dims: readonly (number | null)[]) => {
    const out = [...dims];
    while (out.length > 1 && out[out.length - 1] === 1) out.pop();
    return out.join(',');
  };
  return trim(shape.slice(1)) === trim(example);
}

/** The layer whose `units` set an output's width: the output itself, or the Dense behind an Activation, Dropout or the like. */
function unitsLayer(graph: Graph, inference: Inference, outputId: string): string | null {
  let id: string | undefined = outputId;
  for (let step = 0; id && step < 4; step++) {
    const node = graph.nodes.find((n) => n.id === id);
    if (!node) return null;
    if ('units' in node.params || node.type === 'Dense') return id;
    const inputs: string[] = inference.inputsOf[id] ?? [];
    if (inputs.length !== 1) return null;
    const before = inference.nodes[inputs[0]!]?.outputShape;
    const after = inference.nodes[id]?.outputShape;
    if (!before || !after || before.join(',') !== after.join(',')) return null;
    id = inputs[0];
  }
  return null;
}

/**
 * Whether a network (already free of graph errors) can train on a dataset for a task.
 * The same checks run in the Data panel, before a run starts, and in the CLI.
 */
export function datasetFit(graph: Graph, inference: Inference, report: DatasetReport, settings: FitSettings): FitProblem[] {
  const { task } = settings;
  const data = report.name;
  if (!report.tasks.includes(task)) {
    const usual = report.tasks[0];
    return [
      {
        message: `${data} cannot train a ${TASK_NAMES[task]}${usual ? `; it trains a ${TASK_NAMES[usual]}` : ''}. Pick another dataset or task.`,
        ...(usual ? { task: usual } : {}),
      },
    ];
  }
  if (task === 'gan') {
    const split = splitGan(graph, inference, report.inputShape, settings.gan);
    return split.ok ? [] : split.problems.map((message) => ({ message }));
  }
  const name = (id: string) => graph.nodes.find((n) => n.id === id)?.name ?? id;
  const shapeOf = (id: string): Shape => inference.nodes[id]?.outputShape ?? [];
  const problems: FitProblem[] = [];
  if (inference.inputIds.length !== 1) problems.push({ message: `${data} feeds one Input layer, but the network has ${inference.inputIds.length}.` });
  if (inference.outputIds.length !== 1) problems.push({ message: `${data} has one target per example, but the network has ${inference.outputIds.length} outputs.` });
  if (problems.length > 0) return problems;
  const inputId = inference.inputIds[0]!;
  const outputId = inference.outputIds[0]!;
  const input = shapeOf(inputId);
  const out = shapeOf(outputId);
  const setUnits = (units: number, what: string): FitProblem => {
    const layer = unitsLayer(graph, inference, outputId);
    const message = `${what}; "${name(outputId)}" outputs ${formatShape(out)}${layer ? `: set the units of "${name(layer)}" to ${units}.` : '.'}`;
    return layer ? { message, nodeId: layer, fix: { kind: 'set-param', nodeId: layer, param: 'units', value: units, label: `Set units to ${units}` } } : { message, nodeId: outputId };
  };
  const setInput = (shape: number[], what: string): FitProblem => ({
    message: `${what}; Input "${name(inputId)}" expects ${formatShape(input)}: set its shape to ${shape.join(', ')}.`,
    nodeId: inputId,
    fix: { kind: 'set-param', nodeId: inputId, param: 'shape', value: shape, label: `Set shape to ${shape.join(', ')}` },
  });

  if (report.kind === 'corpus') {
    const v = report.vocabulary ?? 0;
    const fixed = report.inputShape[0];
    if (input.length !== 2 && !(input.length === 3 && input[2] === v)) {
      problems.push(setInput([fixed ?? 40], `A language model reads a window of token ids, shape (?, length) such as (?, ${fixed ?? 40}), or one-hot tokens (?, length, ${v})`));
    } else if (fixed !== undefined && input[1] !== fixed) {
      problems.push(setInput(input.length === 3 ? [fixed, v] : [fixed], `${data} is read in windows of ${fixed} tokens`));
    }
    problems.push(...embeddingProblems(graph, v, data));
    const perStep = out.length === 3 && out[1] === input[1];
    if (!((out.length === 2 && out[1] === v) || (perStep && out[2] === v))) {
      problems.push(setUnits(v, `${data} has ${v} different tokens, so the last layer must output (?, ${v}) for the next one, or (?, ${input[1] ?? 'length'}, ${v}) for the next at every position`));
    }
    return problems;
  }

  const example = report.inputShape;
  if (!sameExample(input, example)) {
    problems.push(setInput(example, `${data} examples have shape ${formatShape([null, ...example])}`));
  }
  if (report.kind === 'text') problems.push(...embeddingProblems(graph, report.vocabulary ?? 0, data));
  if (task === 'autoencode') {
    if (!sameExample(out, example)) {
      problems.push({ message: `An autoencoder rebuilds its input, so its last layer must output ${formatShape([null, ...example])}; "${name(outputId)}" outputs ${formatShape(out)}: end with Reshape to ${example.join(', ')}.`, nodeId: outputId });
    }
  } else if (task === 'regress') {
    const size = report.target.kind === 'values' ? report.target.size : 1;
    if (out.length !== 2 || out[1] !== size) problems.push(setUnits(size, `${data} has ${size} value${size === 1 ? '' : 's'} to predict, so the last layer must output (?, ${size})`));
  } else {
    const k = report.classes?.length ?? 0;
    const binary = k === 2 && settings.loss === 'binaryCrossentropy' && out.length === 2 && out[1] === 1;
    if (!binary && (out.length !== 2 || out[1] !== k)) problems.push(setUnits(k, `${data} has ${k} classes, so the last layer must output (?, ${k})`));
  }
  return problems;
}

/** An Embedding must have a row for every token id the data holds. */
function embeddingProblems(graph: Graph, vocabulary: number, data: string): FitProblem[] {
  return graph.nodes
    .filter((n) => n.type === 'Embedding' && typeof n.params.inputDim === 'number' && n.params.inputDim < vocabulary)
    .map((n) => ({
      message: `${data} has ${vocabulary} different tokens, but Embedding "${n.name ?? n.id}" has rows for ${n.params.inputDim as number}: set its inputDim to ${vocabulary}.`,
      nodeId: n.id,
      fix: { kind: 'set-param' as const, nodeId: n.id, param: 'inputDim', value: vocabulary, label: `Set inputDim to ${vocabulary}` },
    }));
}
