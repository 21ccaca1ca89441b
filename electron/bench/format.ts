import type { AgainstPytorchResult, PytorchRow } from './against-pytorch.js';
import type { ThreadsResult, ThreadsRow } from './threads.js';
import type { BenchRow, MeasuredRow, TrainingSpeedResult } from './training-speed.js';

/** The ratio the table is read against: compiling may cost at most 3% of training speed. */
export const TARGET_RATIO = 0.97;

const perSec = (value: number | null) => (value === null ? '—' : value.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 }));

/** The ratio to PyTorch the best built-in backend should reach on every template. */
export const PYTORCH_TARGET_RATIO = 0.5;

/** The PyTorch engine is PyTorch driven step by step: it should train as fast as PyTorch alone. */
export const PYTORCH_ENGINE_TARGET_RATIO = 1.0;

/** Columns of names and numbers: names read from the left, numbers from the right. */
function table(header: string[], cells: string[][], names: number): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i < names ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...cells.map(line)];
}

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
  const lines = [
    result.control
      ? 'Noise control: each template\'s hand-written network vs a second copy of itself (the "compiled" column); a ratio away from 1 is noise'
      : 'Training speed: each template compiled by NetCanvas vs the same network written by hand in tfjs',
    '(same backend, batches and optimizer, the Trainer’s own training step; median of interleaved rounds;',
    'the last column is the spread of the rounds\' own ratios, which shows how noisy the machine was)',
    ...table(header, cells, 2),
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

export function formatAgainstPytorch(result: AgainstPytorchResult): string {
  const header = ['template', 'backend', 'threads', 'NetCanvas samples/s', 'PyTorch samples/s', 'ratio'];
  const cells = result.rows.map((r) => [r.template, r.backend, String(r.threads), perSec(r.samplesPerSec), perSec(r.pytorchSamplesPerSec), r.ratio === null ? '—' : r.ratio.toFixed(3)]);
  const torch = result.torch;
  const lines = [
    'Training speed against PyTorch: each template trained by NetCanvas, and the same network exported to PyTorch',
    '(its train.py\'s step) and trained by PyTorch on this machine, interleaved, at the template\'s batch size; ratio = NetCanvas / PyTorch',
    torch ? `PyTorch ${torch.torch} on ${torch.device}, ${torch.threads} threads, BLAS: ${torch.blas}` : `PyTorch: not measured (${result.noTorch})`,
    ...table(header, cells, 2),
  ];
  for (const r of result.rows) {
    if (r.error) lines.push(`error    ${r.template} (${r.backend}): ${r.error}`);
    else if (r.pytorch && result.torch) lines.push(`no PyTorch figure for ${r.template}: ${r.pytorch}`);
  }
  for (const s of result.skipped) lines.push(`skipped  ${s.template}: ${s.reason}`);
  const targetLine = (what: string, target: number, rows: readonly PytorchRow[]) => {
    const best = new Map<string, number>();
    for (const r of rows) if (r.ratio !== null) best.set(r.template, Math.max(r.ratio, best.get(r.template) ?? 0));
    if (best.size === 0) return;
    const below = [...best].filter(([, ratio]) => ratio < target);
    lines.push(`target   ${what} ≥ ${target} of PyTorch on every template: ${below.length === 0 ? 'met' : `NOT met (${below.map(([t, ratio]) => `${t} ${ratio.toFixed(3)}`).join(', ')})`}`);
  };
  targetLine('best built-in backend', PYTORCH_TARGET_RATIO, result.rows.filter((r) => r.backend !== 'pytorch'));
  targetLine('the PyTorch engine', PYTORCH_ENGINE_TARGET_RATIO, result.rows.filter((r) => r.backend === 'pytorch'));
  return lines.join('\n');
}

/** The documented JSON row, with `pytorch` (why there is no PyTorch figure) and `error` only where there is one. */
export function pytorchJsonRow(row: PytorchRow): PytorchRow {
  const { template, backend, threads, samplesPerSec, pytorchSamplesPerSec, ratio, pytorch, error } = row;
  return { template, backend, threads, samplesPerSec, pytorchSamplesPerSec, ratio, ...(pytorch === undefined ? {} : { pytorch }), ...(error === undefined ? {} : { error }) };
}

export function formatThreads(result: ThreadsResult): string {
  const header = ['template', 'backend', 'threads', '1 thread samples/s', 'samples/s', 'speed-up', 'a run picks'];
  const cells = result.rows.map((r) => [
    r.template,
    r.backend,
    String(r.threads),
    perSec(r.oneThreadSamplesPerSec),
    perSec(r.samplesPerSec),
    r.speedUp === null ? '—' : `${r.speedUp.toFixed(2)}×`,
    r.chosen === null ? '—' : `${r.chosen} ${r.chosen === 1 ? 'thread' : 'threads'}`,
  ]);
  const lines = [
    `Every CPU core (${result.cores} here): each template on one thread and with its batches split over all of them,`,
    "the gradients summed into one step; interleaved rounds on one job. 'a run picks' is the Trainer's own timed choice.",
    ...table(header, cells, 2),
  ];
  for (const r of result.rows) {
    if (r.error) lines.push(`error    ${r.template}: ${r.error}`);
    else if (r.note) lines.push(`one thread for ${r.template}: ${r.note.replace(/^more threads: /, '')}`);
  }
  for (const s of result.skipped) lines.push(`skipped  ${s.template}: ${s.reason}`);
  return lines.join('\n');
}

/** The JSON row: the figures, and `note` and `error` only where there is one. */
export function threadsJsonRow(row: ThreadsRow): ThreadsRow {
  const { template, backend, threads, oneThreadSamplesPerSec, samplesPerSec, speedUp, chosen, note, error } = row;
  return { template, backend, threads, oneThreadSamplesPerSec, samplesPerSec, speedUp, chosen, ...(note === undefined ? {} : { note }), ...(error === undefined ? {} : { error }) };
}
