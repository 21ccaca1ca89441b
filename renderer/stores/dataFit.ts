import { datasetFit, type FitProblem } from '../../shared/data/fit';
import type { DatasetReport } from '../../shared/data/report';
import type { Inference } from '../../shared/graph/infer';
import { networkOf } from '../../shared/graph/blocks';
import type { Graph } from '../../shared/graph/types';
import type { TrainingDefaults } from '../../shared/project/schema';

export type DataFit =
  /** The report of the project's dataset has not arrived yet. */
  | { state: 'waiting' }
  /** Nothing on the canvas to check. */
  | { state: 'no-network' }
  /** The data cannot be read: its problems say why. */
  | { state: 'unreadable' }
  /** The canvas has errors of its own, to fix first. */
  | { state: 'graph-errors'; count: number }
  | { state: 'checked'; problems: FitProblem[] };

/** Where the network on the canvas and the project's data disagree, as the Backend checks before a run. */
export function dataFitOf(document: Graph, inference: Inference, report: DatasetReport | null, training: Pick<TrainingDefaults, 'task' | 'loss' | 'gan'>): DataFit {
  const graph = networkOf(document);
  if (!report) return { state: 'waiting' };
  if (report.samples === 0) return { state: 'unreadable' };
  const { task, loss, gan } = training;
  // The task is checked first, with or without a network: data that cannot train it offers the one it can.
  if (!report.tasks.includes(task)) return { state: 'checked', problems: datasetFit(graph, inference, report, { task }) };
  if (graph.nodes.length === 0) return { state: 'no-network' };
  if (inference.diagnostics.length > 0) return { state: 'graph-errors', count: inference.diagnostics.length };
  return { state: 'checked', problems: datasetFit(graph, inference, report, { task, loss, ...(gan ? { gan } : {}) }) };
}
