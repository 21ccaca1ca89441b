import { create } from 'zustand';
import { askInsight, useInsightStore } from './insightStore.js';
import { errorText } from './uiStore.js';
import type { Evaluation, ExampleView, ExplainMethod, Explanation, ExplainRequest } from '../../shared/api/insight.js';

/**
 * What the Evaluate and Explain tabs last asked of the run they look at and what came back.
 * Kept here rather than in the tabs, so switching to Try and back shows the same result. Both
 * are let go when the tabs look at another run, and an explanation when the input changes.
 */

export type Split = 'test' | 'validation';

export interface CellChoice {
  truth: number;
  predicted: number;
}

interface EvaluateState {
  split: Split;
  groupBy: string | null;
  /** Examples being evaluated while a question is out; null when none is. */
  evaluating: number | null;
  evaluation: Evaluation | null;
  error: string | null;
  /** The confusion cell clicked, and its examples once they arrive. */
  cell: CellChoice | null;
  cellExamples: ExampleView[] | null;
  cellError: string | null;
  /** The examples of the most confident mistakes. */
  mistakeExamples: ExampleView[] | null;
}

export const useEvaluateStore = create<EvaluateState>()(() => ({
  split: 'test',
  groupBy: null,
  evaluating: null,
  evaluation: null,
  error: null,
  cell: null,
  cellExamples: null,
  cellError: null,
  mistakeExamples: null,
}));

/** The most confident mistakes shown with their examples. */
export const MISTAKES_SHOWN = 12;

// A newer question makes the answer to an older one stale: only the latest is shown.
let evaluateSeq = 0;
let cellSeq = 0;

export function chooseSplit(split: Split): void {
  useEvaluateStore.setState({ split });
}

export function chooseGroupBy(groupBy: string | null): void {
  useEvaluateStore.setState({ groupBy });
}

/** Evaluates the run on the chosen split (grouped by the chosen column, for a table), then fetches its mistakes' examples. */
export async function evaluateRun(): Promise<void> {
  const { info, run } = useInsightStore.getState();
  if (!info || !run) return;
  const { split, groupBy } = useEvaluateStore.getState();
  const seq = ++evaluateSeq;
  cellSeq++;
  useEvaluateStore.setState({
    evaluating: split === 'test' ? info.testCount : info.validationCount,
    error: null,
    evaluation: null,
    cell: null,
    cellExamples: null,
    cellError: null,
    mistakeExamples: null,
  });
  try {
    const evaluation = await askInsight('insight.evaluate', { split, ...(groupBy ? { groupBy } : {}) });
    if (seq !== evaluateSeq) return;
    useEvaluateStore.setState({ evaluation, evaluating: null });
    const indices = (evaluation.mistakes ?? []).slice(0, MISTAKES_SHOWN).map((m) => m.index);
    if (indices.length > 0) {
      const { examples } = await askInsight('insight.examples', { split: evaluation.split, indices });
      if (seq === evaluateSeq) useEvaluateStore.setState({ mistakeExamples: examples });
    }
  } catch (err) {
    if (seq === evaluateSeq) useEvaluateStore.setState({ evaluating: null, ...(useEvaluateStore.getState().evaluation ? {} : { error: errorText(err) }) });
  }
}

/** Shows the examples of one confusion matrix cell: true class `truth` answered as `predicted`. */
export async function showCell(choice: CellChoice): Promise<void> {
  const { evaluation } = useEvaluateStore.getState();
  const indices = evaluation?.cellExamples?.[choice.truth]?.[choice.predicted] ?? [];
  const seq = ++cellSeq;
  useEvaluateStore.setState({ cell: choice, cellExamples: indices.length === 0 ? [] : null, cellError: null });
  if (!evaluation || indices.length === 0) return;
  try {
    const { examples } = await askInsight('insight.examples', { split: evaluation.split, indices });
    if (seq === cellSeq) useEvaluateStore.setState({ cellExamples: examples });
  } catch (err) {
    if (seq === cellSeq) useEvaluateStore.setState({ cellError: errorText(err) });
  }
}

export function closeCell(): void {
  cellSeq++;
  useEvaluateStore.setState({ cell: null, cellExamples: null, cellError: null });
}

// ---- Explain -------------------------------------------------------------------------

interface ExplainState {
  method: ExplainMethod | null;
  /** Layer chosen per method, by graph node id. */
  layers: Partial<Record<ExplainMethod, string>>;
  /** The adversarial search's largest step, in [0, 1] pixel units. */
  epsilon: number;
  explaining: boolean;
  explanation: Explanation | null;
  error: string | null;
}

/** The slider's largest step; the search finds the smallest that changes the answer, so it starts there. */
export const MAX_EPSILON = 0.25;
export const DEFAULT_EPSILON = MAX_EPSILON;

export const useExplainStore = create<ExplainState>()(() => ({
  method: null,
  layers: {},
  epsilon: DEFAULT_EPSILON,
  explaining: false,
  explanation: null,
  error: null,
}));

let explainSeq = 0;

export function chooseMethod(method: ExplainMethod): void {
  useExplainStore.setState({ method });
}

export function chooseLayer(method: ExplainMethod, layer: string): void {
  useExplainStore.setState((s) => ({ layers: { ...s.layers, [method]: layer } }));
}

export function chooseEpsilon(epsilon: number): void {
  useExplainStore.setState({ epsilon });
}

/** Explains the input the Try tab holds with the chosen method. */
export async function explainInput(request: ExplainRequest): Promise<void> {
  const { input, run } = useInsightStore.getState();
  if (!input || !run) return;
  const seq = ++explainSeq;
  useExplainStore.setState({ explaining: true, error: null });
  try {
    const explanation = await askInsight('insight.explain', { input, explain: request });
    if (seq === explainSeq) useExplainStore.setState({ explanation, explaining: false });
  } catch (err) {
    if (seq === explainSeq) useExplainStore.setState({ explanation: null, explaining: false, error: errorText(err) });
  }
}

// Answers about another run, or another input, would be read as this one's.
useInsightStore.subscribe((now, before) => {
  if (now.run !== before.run) {
    evaluateSeq++;
    cellSeq++;
    useEvaluateStore.setState({ evaluating: null, evaluation: null, error: null, cell: null, cellExamples: null, cellError: null, mistakeExamples: null, groupBy: null });
  }
  if (now.run !== before.run || now.input !== before.input) {
    explainSeq++;
    useExplainStore.setState({ explaining: false, explanation: null, error: null });
  }
});
