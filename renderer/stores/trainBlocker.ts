import { currentReport } from './dataStore';
import { ganViewOf, type GanView } from './gan';
import { useGraphStore } from './graphStore';
import { runFormOf, useRunDraftStore, type RunForm } from './runDraftStore';
import { activeRunKey, useTrainingStore } from './trainingStore';
import { dataFitOf, type DataFit } from './dataFit';
import { inferNetwork } from '../../shared/graph/blocks';
import type { Inference } from '../../shared/graph/infer';
import type { Graph } from '../../shared/graph/types';

export interface TrainInputs {
  graph: Graph;
  inference: Inference;
  gan: GanView | null;
  fit: DataFit;
  form: RunForm;
  /** The project name of a run of another project still training in this window. */
  busyWith: string | null;
}

/** Why Train cannot start yet, in a sentence, or null when it can: one answer for the button and the command. */
export function trainBlocker({ graph, inference, gan, fit, form, busyWith }: TrainInputs): string | null {
  if (busyWith !== null) return `“${busyWith}” is still training: stop it first.`;
  if (graph.nodes.length === 0) return 'Add layers to the canvas, or load a template, first.';
  if (inference.diagnostics.length > 0) return 'Fix the problems shown on the canvas first.';
  if (gan && !gan.split.ok) return 'Sort out the GAN problems shown below first.';
  if (fit.state === 'checked' && fit.problems.length > 0) return `The network does not fit the data (see the Data tab): ${fit.problems[0]!.message}`;
  // Named here too, since the field may be folded away under "More settings".
  if (!form.built.ok) return `Fix the settings marked in red first: ${Object.values(form.built.errors)[0]}`;
  return null;
}

/** The run of another project that holds this window's trainer, if any. */
export function busyWithOther(docId: string): string | null {
  const state = useTrainingStore.getState();
  const key = activeRunKey(state);
  const run = key ? state.runs[key] : undefined;
  return run && run.docId !== docId ? run.projectName : null;
}

/** The run settings as the form shows them now, for a network inferred as `inference`. */
export function currentRunForm(inference: Inference = inferNetwork(useGraphStore.getState().graph)): RunForm {
  return runFormOf(useRunDraftStore.getState().draft, useGraphStore.getState().meta.training, inference.outputIds);
}

/** Everything Train needs, read from the stores now (for menus, keys and the palette). */
export function currentTrainInputs(): TrainInputs {
  const { graph, meta, docId } = useGraphStore.getState();
  const inference = inferNetwork(graph);
  const report = currentReport();
  return {
    graph,
    inference,
    gan: ganViewOf(graph, inference, meta.training, report),
    fit: dataFitOf(graph, inference, report, meta.training),
    form: currentRunForm(inference),
    busyWith: busyWithOther(docId),
  };
}
