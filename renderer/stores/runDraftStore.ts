import { useMemo } from 'react';
import { create } from 'zustand';
import { useGraphStore } from './graphStore.js';
import { useInference } from './inference.js';
import type { TrainingDefaults } from '../../shared/project/schema.js';
import { buildRunConfig, defaultValues, draftOnOpen, EMPTY_DRAFT, type BuiltConfig, type Draft, type DraftField, type DraftValues, type StartFrom } from './runDraft.js';

export { startFromConfig, type StartFrom } from './runDraft.js';

interface RunDraftState {
  draft: Draft;
  startFrom: StartFrom | null;
  setStartFrom(from: StartFrom | null): void;
  setValue(field: DraftField, value: string): void;
  setOutputLoss(outputId: string, loss: string): void;
  /**
   * Back to the project's defaults, e.g. when another project is opened. The weights to start
   * from stay: opening another network to train from a run's weights is how transfer learning goes.
   */
  reset(): void;
}

/** The run settings as typed in the training panel, before they are checked and sent. */
export const useRunDraftStore = create<RunDraftState>()((set, get) => ({
  draft: EMPTY_DRAFT,
  startFrom: null,
  setStartFrom: (startFrom) => set({ startFrom }),
  setValue: (field, value) => set({ draft: { ...get().draft, values: { ...get().draft.values, [field]: value } } }),
  setOutputLoss: (outputId, loss) => set({ draft: { ...get().draft, losses: { ...get().draft.losses, [outputId]: loss } } }),
  reset: () => set(draftOnOpen()),
}));

export interface RunForm {
  values: DraftValues;
  defaults: DraftValues;
  /** Output node ids that get a loss each; empty when the network has one output. */
  lossOutputs: readonly string[];
  losses: Record<string, string>;
  built: BuiltConfig;
}

/** The form as shown (project defaults under the user's changes) and the config it makes. */
export function runFormOf(draft: Draft, training: TrainingDefaults, outputIds: readonly string[]): RunForm {
  const defaults = defaultValues(training);
  const values = { ...defaults, ...draft.values };
  // A GAN's and a language model's losses are set by the task, not per output.
  const lossOutputs = outputIds.length > 1 && (training.task === 'classify' || training.task === 'autoencode') ? outputIds : [];
  const losses = { ...training.losses, ...draft.losses };
  return { values, defaults, lossOutputs, losses, built: buildRunConfig(values, losses, lossOutputs, training.task) };
}

export function useRunForm(): RunForm {
  const draft = useRunDraftStore((s) => s.draft);
  const training = useGraphStore((s) => s.meta.training);
  const outputIds = useInference().outputIds;
  return useMemo(() => runFormOf(draft, training, outputIds), [draft, training, outputIds]);
}
