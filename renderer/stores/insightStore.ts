import { useEffect } from 'react';
import { create } from 'zustand';
import { inputFits, insightRefOf, refFromKey, refKey } from './insightRun.js';
import { useCurrentRun } from './trainingStore.js';
import { errorText } from './uiStore.js';
import { api } from '../api/index.js';
import type { MethodName, ParamsOf, ResultOf } from '../../shared/api/contract.js';
import type { InsightInfo, ModelInput, Prediction, RunRef } from '../../shared/api/insight.js';

export { insightBlocker } from './insightRun.js';

interface InsightState {
  /** The run the tabs look at: the current run of the Runs list when it finished with weights. */
  run: RunRef | null;
  info: InsightInfo | null;
  infoError: string | null;
  loadingInfo: boolean;
  /** The input the Try tab holds, which Explain explains. */
  input: ModelInput | null;
  inputLabel: string | null;
  prediction: Prediction | null;
  predicting: boolean;
  predictError: string | null;
}

export const useInsightStore = create<InsightState>()(() => ({
  run: null,
  info: null,
  infoError: null,
  loadingInfo: false,
  input: null,
  inputLabel: null,
  prediction: null,
  predicting: false,
  predictError: null,
}));

/** The questions about a trained run the Try, Evaluate and Explain tabs ask. */
export type InsightMethod = Exclude<Extract<MethodName, `insight.${string}` | 'runs.health'>, 'insight.open'>;

/** Asks the Analyst about the run the tabs look at; the run is filled in here. */
export async function askInsight<M extends InsightMethod>(method: M, params: Omit<ParamsOf<M>, 'run'>): Promise<ResultOf<M>> {
  const run = useInsightStore.getState().run;
  if (!run) throw new Error('No trained run is selected: pick a finished run in the Runs list.');
  return api.request(method, { ...params, run } as ParamsOf<M>);
}

// Answers come back out of order when one draws fast: only the latest question's answer is shown.
let predictSeq = 0;
let infoSeq = 0;

async function predictHeld(): Promise<void> {
  const { input, run } = useInsightStore.getState();
  const seq = ++predictSeq;
  if (!input || !run) {
    useInsightStore.setState({ prediction: null, predicting: false, predictError: null });
    return;
  }
  useInsightStore.setState({ predicting: true, predictError: null });
  try {
    const { predictions } = await askInsight('insight.predict', { inputs: [input] });
    if (seq === predictSeq) useInsightStore.setState({ prediction: predictions[0] ?? null, predicting: false });
  } catch (err) {
    if (seq === predictSeq) useInsightStore.setState({ prediction: null, predicting: false, predictError: errorText(err) });
  }
}

/** Holds an input for the Try and Explain tabs, and asks for the network's answer to it. */
export function setInput(input: ModelInput, label: string): void {
  useInsightStore.setState({ input, inputLabel: label });
  void predictHeld();
}

/** Lets go of the input, e.g. when the drawing pad is cleared. */
export function clearInput(): void {
  predictSeq++;
  useInsightStore.setState({ input: null, inputLabel: null, prediction: null, predicting: false, predictError: null });
}

async function loadInfo(run: RunRef): Promise<void> {
  const seq = ++infoSeq;
  useInsightStore.setState({ loadingInfo: true, infoError: null });
  try {
    const info = await api.request('insight.open', { run });
    if (seq !== infoSeq) return;
    const { input } = useInsightStore.getState();
    const keep = input !== null && inputFits(info, input);
    useInsightStore.setState({ info, loadingInfo: false, ...(keep ? {} : { input: null, inputLabel: null, prediction: null, predictError: null }) });
    if (keep) void predictHeld();
  } catch (err) {
    if (seq === infoSeq) useInsightStore.setState({ info: null, loadingInfo: false, infoError: errorText(err) });
  }
}

/** Points the tabs at another run (or none), opening it for the Analyst. */
function lookAt(key: string | null): void {
  if (key === refKey(useInsightStore.getState().run)) return;
  const run = refFromKey(key);
  infoSeq++;
  predictSeq++;
  useInsightStore.setState({ run, info: null, infoError: null, loadingInfo: false, prediction: null, predicting: false, predictError: null });
  if (run) void loadInfo(run);
}

/** Asks again for a run that could not be opened, e.g. once its dataset is back. */
export function reloadInfo(): void {
  const { run } = useInsightStore.getState();
  if (run) void loadInfo(run);
}

/** Used by each tab: keeps `run` and `info` in step with the current run of the Runs list. */
export function useInsightRun(): void {
  const key = useCurrentRun((run) => refKey(insightRefOf(run)));
  useEffect(() => lookAt(key), [key]);
}
