import type { EpochRecord } from '../../shared/api/contract.js';
import type { Project } from '../../shared/project/schema.js';

export interface ExpectationCheck {
  metric: string;
  value: number | null;
  atLeast?: number;
  atMost?: number;
  epoch: number;
  met: boolean;
  message: string;
}

/** Whether a run reached the quality its project promises ("expected" in the file), after as many epochs as it says. */
export function checkExpectation(project: Project, history: readonly EpochRecord[]): ExpectationCheck | null {
  const expected = project.expected;
  if (!expected) return null;
  const record = history.find((h) => h.epoch === expected.epochs) ?? history.at(-1);
  const value = record ? record[expected.metric] : null;
  const met =
    value !== null && value !== undefined && record !== undefined && record.epoch >= expected.epochs && (expected.atLeast === undefined || value >= expected.atLeast) && (expected.atMost === undefined || value <= expected.atMost);
  const target = [expected.atLeast !== undefined ? `≥ ${expected.atLeast}` : '', expected.atMost !== undefined ? `≤ ${expected.atMost}` : ''].filter(Boolean).join(' and ');
  const shown = value === null || value === undefined ? 'none' : value.toFixed(4);
  const message = met
    ? `Meets its stated quality: ${expected.metric} ${shown} ${target} after ${expected.epochs} epoch${expected.epochs === 1 ? '' : 's'}.`
    : `Does not meet its stated quality: ${expected.metric} ${target} after ${expected.epochs} epoch${expected.epochs === 1 ? '' : 's'} was promised; this run reached ${shown}${record ? ` after epoch ${record.epoch}` : ''}.`;
  return { metric: expected.metric, value: value ?? null, ...(expected.atLeast !== undefined ? { atLeast: expected.atLeast } : {}), ...(expected.atMost !== undefined ? { atMost: expected.atMost } : {}), epoch: record?.epoch ?? 0, met, message };
}
