import type { Inference } from '../../shared/graph/infer.js';
import { formatShape, type Graph } from '../../shared/graph/types.js';
import type { Project } from '../../shared/project/schema.js';

type DatasetId = Project['training']['dataset'];

export interface DatasetInfo {
  id: DatasetId;
  name: string;
  inputShape: readonly number[];
  numClasses: number;
  trainSamples: number;
  testSamples: number;
}

export const DATASETS: Record<DatasetId, DatasetInfo> = {
  mnist: { id: 'mnist', name: 'MNIST handwritten digits', inputShape: [28, 28, 1], numClasses: 10, trainSamples: 60_000, testSamples: 10_000 },
};

/** Whether a (valid) graph can train on a dataset; each problem is a sentence with the fix. */
export function datasetProblems(graph: Graph, inference: Inference, datasetId: DatasetId): string[] {
  const info = DATASETS[datasetId];
  const problems: string[] = [];
  const name = (id: string) => graph.nodes.find((n) => n.id === id)?.name ?? id;
  if (inference.inputIds.length !== 1) {
    problems.push(`${info.name} feeds one Input layer, but the network has ${inference.inputIds.length}.`);
  } else {
    const shape = inference.nodes[inference.inputIds[0]!]!.outputShape!.slice(1);
    if (shape.join(',') !== info.inputShape.join(',')) {
      problems.push(
        `${info.name} examples have shape ${formatShape([null, ...info.inputShape])} but Input "${name(inference.inputIds[0]!)}" expects ${formatShape([null, ...shape])}: set its shape to ${info.inputShape.join(',')}.`,
      );
    }
  }
  if (inference.outputIds.length !== 1) {
    problems.push(`${info.name} has one label per example, but the network has ${inference.outputIds.length} outputs.`);
  } else {
    const out = inference.nodes[inference.outputIds[0]!]!.outputShape!;
    if (out.length !== 2 || out[1] !== info.numClasses) {
      problems.push(
        `${info.name} has ${info.numClasses} classes, so the last layer must output (?, ${info.numClasses}); "${name(inference.outputIds[0]!)}" outputs ${formatShape(out)}.`,
      );
    }
  }
  return problems;
}
