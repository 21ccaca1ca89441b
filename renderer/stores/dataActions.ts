import { lossForTask } from './datasets';
import { applyFix, setTraining, useGraphStore } from './graphStore';
import { useRunDraftStore } from './runDraftStore';
import type { FitProblem } from '../../shared/data/fit';
import { LOSSES, type LossName, type Task } from '../../shared/project/schema';

/**
 * Switches the project's task, and its loss with it when the old loss cannot train the new
 * task (a regression with cross-entropy, a classifier with squared error). A loss typed in
 * the run settings follows too.
 */
export function switchTask(task: Task): void {
  const { meta } = useGraphStore.getState();
  const loss = lossForTask(task, meta.training.loss);
  setTraining({ task, loss });
  const draft = useRunDraftStore.getState();
  const typed = draft.draft.values.loss;
  if (typed && (LOSSES as readonly string[]).includes(typed)) {
    const next = lossForTask(task, typed as LossName);
    if (next !== typed) draft.setValue('loss', next);
  }
}

/** Carries out a fit problem's one-click repair: a layer's parameter, or the task. */
export function applyFitFix(problem: FitProblem): void {
  if (problem.fix) applyFix(problem.fix.nodeId ?? problem.nodeId ?? '', problem.fix);
  else if (problem.task) switchTask(problem.task);
}
