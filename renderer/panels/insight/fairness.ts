import type { GroupFigure } from '../../../shared/api/insight.js';

export interface FairnessGap {
  /** The group the network does best on, and the one it does worst on. */
  best: GroupFigure;
  worst: GroupFigure;
  /** Accuracy in percentage points, or mean absolute error in the target's units; never negative. */
  gap: number;
  metric: 'accuracy' | 'meanAbsoluteError';
  sentence: string;
}

/** A number with a few significant digits: 2.31, 0.0412, 1,234. */
export function figure(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A share in [0, 1] as a percentage with one decimal: 0.9512 → "95.1%". */
export const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** A group named by a bare number or yes/no reads better with its column: "chas = 1". */
export function groupLabel(column: string, group: string): string {
  return /^-?\d+(\.\d+)?$|^(true|false)$/i.test(group.trim()) ? `${column} = ${group}` : group;
}

/** The groups with their labels as `groupLabel` gives them. */
export function labelledGroups(column: string, groups: readonly GroupFigure[]): GroupFigure[] {
  return groups.map((g) => ({ ...g, group: groupLabel(column, g.group) }));
}

/**
 * The best and worst groups of a grouped evaluation and the gap between them in words:
 * "Accuracy for female is 12.3 points below male". Groups without examples are left out;
 * null when fewer than two groups have examples or the figures are missing.
 */
export function fairnessGap(groups: readonly GroupFigure[], targetName?: string): FairnessGap | null {
  const counted = groups.filter((g) => g.count > 0);
  const byAccuracy = counted.filter((g) => g.accuracy !== undefined && Number.isFinite(g.accuracy));
  const byError = counted.filter((g) => g.meanAbsoluteError !== undefined && Number.isFinite(g.meanAbsoluteError));
  if (byAccuracy.length >= 2) {
    const sorted = [...byAccuracy].sort((a, b) => b.accuracy! - a.accuracy!);
    const best = sorted[0]!;
    const worst = sorted.at(-1)!;
    const gap = (best.accuracy! - worst.accuracy!) * 100;
    const sentence =
      gap < 0.05
        ? `Accuracy is the same for every group (${percent(best.accuracy!)}).`
        : `Accuracy for ${worst.group} is ${gap.toFixed(1)} points below ${best.group} (${percent(worst.accuracy!)} against ${percent(best.accuracy!)}).`;
    return { best, worst, gap, metric: 'accuracy', sentence: sentence + smallGroupNote(worst) };
  }
  if (byError.length >= 2) {
    const sorted = [...byError].sort((a, b) => a.meanAbsoluteError! - b.meanAbsoluteError!);
    const best = sorted[0]!;
    const worst = sorted.at(-1)!;
    const gap = worst.meanAbsoluteError! - best.meanAbsoluteError!;
    const units = targetName ? ` (in ${targetName})` : '';
    const sentence =
      gap === 0
        ? `The mean absolute error is the same for every group (${figure(best.meanAbsoluteError!)}${units}).`
        : `The mean absolute error for ${worst.group} is ${figure(gap)} higher than for ${best.group}${units}: ${figure(worst.meanAbsoluteError!)} against ${figure(best.meanAbsoluteError!)}.`;
    return { best, worst, gap, metric: 'meanAbsoluteError', sentence: sentence + smallGroupNote(worst) };
  }
  return null;
}

/** Groups this small give figures that swing with a few examples. */
export const SMALL_GROUP = 30;

function smallGroupNote(group: GroupFigure): string {
  return group.count < SMALL_GROUP ? ` Only ${group.count} example${group.count === 1 ? '' : 's'} are ${group.group}: a few examples more or less move this figure a lot.` : '';
}
