import { isFinished, type Run } from './runs.js';
import type { InsightInfo, ModelInput, RunRef } from '../../shared/api/insight.js';

/**
 * Why a run has no trained weights to look at or to export, as a kind: the one rule the Try,
 * Evaluate and Explain tabs and the Export dialog share, each in its own words.
 */
export type WeightsGap = 'no-run' | 'elsewhere' | 'training' | 'no-weights';

export function weightsGap(run: Run | undefined): WeightsGap | null {
  if (!run?.runId) return 'no-run';
  if (run.status === 'elsewhere') return 'elsewhere';
  if (!isFinished(run.status)) return 'training';
  if (run.checkpoints.last === null && run.checkpoints.best === null) return 'no-weights';
  return null;
}

const INSIGHT_GAPS: Record<WeightsGap, string> = {
  'no-run': 'Train the network first: these tabs try, evaluate and explain a trained run, and there is none yet.',
  elsewhere: 'This run is still training in another window or another NetCanvas: look at it here once it has finished.',
  training: 'The run is still training: try it once it has finished.',
  'no-weights': 'This run ended before finishing an epoch, so it kept no trained weights to try. Train for at least one epoch.',
};

/** Why no tab can look at this run, in words, or null when it can. */
export function insightBlocker(run?: Run): string | null {
  const gap = weightsGap(run);
  return gap ? INSIGHT_GAPS[gap] : null;
}

/** The saved run the Analyst is asked about, or null while the run cannot be looked at. */
export function insightRefOf(run: Run | undefined): RunRef | null {
  if (weightsGap(run) !== null || !run?.runId) return null;
  return { projectName: run.projectName, ...(run.projectPath ? { projectPath: run.projectPath } : {}), runId: run.runId };
}

/**
 * A run reference as one string: what a React selector can return without making a new object
 * on every change of the store, and what tells two references apart.
 */
export function refKey(ref: RunRef | null): string | null {
  return ref ? JSON.stringify([ref.projectName, ref.projectPath ?? null, ref.runId, ref.checkpoint ?? null]) : null;
}

export function refFromKey(key: string | null): RunRef | null {
  if (key === null) return null;
  const [projectName, projectPath, runId, checkpoint] = JSON.parse(key) as [string, string | null, string, RunRef['checkpoint'] | null];
  return { projectName, ...(projectPath ? { projectPath } : {}), runId, ...(checkpoint ? { checkpoint } : {}) };
}

/**
 * Whether an input held for one run can be given to another's network as it is: a drawing to
 * another image network, a review to another text classifier. Examples are by index, so they
 * fit any run whose split is long enough.
 */
export function inputFits(info: InsightInfo, input: ModelInput): boolean {
  switch (input.kind) {
    case 'drawing':
    case 'image':
    case 'image-file':
      return info.input === 'images';
    case 'example': {
      const split = input.split ?? 'test';
      return input.index < (split === 'test' ? info.testCount : info.validationCount);
    }
    case 'text':
      return info.input === 'text' || info.input === 'corpus';
    case 'row':
      return info.input === 'table' && info.fields.every((field) => field.name in input.values);
    case 'noise':
      return info.input === 'noise';
  }
}
