import type { BenchRow, MeasuredRow, TrainingSpeedResult } from './training-speed.js';

/** The ratio the table is read against: compiling may cost at most 3% of training speed. */
export const TARGET_RATIO = 0.97;

const perSec = (value: number | null) => (value === null ? '—' : value.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 }));

export function formatTrainingSpeed(result: TrainingSpeedResult): string {
  const header = ['template', 'backend', 'compiled samples/s', 'hand-written samples/s', 'ratio', 'rounds (quartiles)'];
  const cells = result.rows.map((r) => [
    r.template,
    r.backend,
    perSec(r.compiledSamplesPerSec),
    perSec(r.handwrittenSamplesPerSec),
    r.ratio === null ? '—' : r.ratio.toFixed(3),
    r.roundRatios ? r.roundRatios.map((q) => q.toFixed(3)).join('–') : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  // Names read from the left, numbers from the right.
  const line = (c: string[]) => c.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ').trimEnd();
  const lines = [
    result.control
      ? 'Noise control: each template\'s hand-written network vs a second copy of itself (the "compiled" column); a ratio away from 1 is noise'
      : 'Training speed: each template compiled by NetCanvas vs the same network written by hand in tfjs',
    '(same backend, batches and optimizer, the Trainer’s own training step; median of interleaved rounds;',
    'the last column is the spread of the rounds\' own ratios, which shows how noisy the machine was)',
    line(header),
    ...cells.map(line),
  ];
  for (const r of result.rows) if (r.error) lines.push(`error    ${r.template}: ${r.error}`);
  for (const s of result.skipped) lines.push(`skipped  ${s.template}: ${s.reason}`);
  const measured = result.rows.filter((r) => r.ratio !== null);
  if (measured.length > 0 && !result.control) {
    const below = measured.filter((r) => r.ratio! < TARGET_RATIO);
    lines.push(
      `target   ratio ≥ ${TARGET_RATIO} on every template: ${below.length === 0 ? 'met' : `NOT met (${below.map((r) => `${r.template} ${r.ratio!.toFixed(3)}`).join(', ')})`}`,
    );
  }
  return lines.join('\n');
}

/** The documented JSON row: the measured figures, and `error` only where there is one. */
export function jsonRow(row: MeasuredRow): BenchRow {
  const { template, backend, compiledSamplesPerSec, handwrittenSamplesPerSec, ratio, error } = row;
  return { template, backend, compiledSamplesPerSec, handwrittenSamplesPerSec, ratio, ...(error === undefined ? {} : { error }) };
}
