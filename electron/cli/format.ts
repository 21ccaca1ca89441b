import type { EpochRecord, Summary } from '../../shared/api/contract.js';
import { formatShape } from '../../shared/graph/types.js';

const n = (value: number) => value.toLocaleString('en-US');

/** A summary row with its parameters split as Keras counts them, and the layers feeding it. */
export type SummaryLayer = Summary['layers'][number] & { trainableParams: number; nonTrainableParams: number; inputs: string[] };
export type DetailedSummary = Omit<Summary, 'layers'> & { layers: SummaryLayer[] };

/**
 * A table in the manner of Keras's model.summary(): non-trainable parameters (e.g.
 * BatchNormalization's moving averages) in their own column, and a "Connected to" column
 * when the network is more than a chain, as Keras shows for functional models.
 */
export function formatSummary(summary: DetailedSummary, modelName?: string): string {
  const branched = summary.layers.some((l) => l.inputs.length > 1) || new Set(summary.layers.flatMap((l) => l.inputs)).size < summary.layers.flatMap((l) => l.inputs).length;
  const head = ['Layer (type)', 'Output shape', 'Params', 'Non-trainable', ...(branched ? ['Connected to'] : [])];
  const rows = summary.layers.map((l) => [
    `${l.name} (${l.type})`,
    l.outputShape ? formatShape(l.outputShape) : '—',
    n(l.params),
    l.nonTrainableParams > 0 ? n(l.nonTrainableParams) : '',
    ...(branched ? [l.inputs.join(', ')] : []),
  ]);
  const numeric = new Set([2, 3]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('   ')
      .trimEnd();
  const rule = '─'.repeat(Math.max(...[head, ...rows].map((r) => fmt(r).length)));
  const lines = [...(modelName ? [`Model: "${modelName}"`] : []), rule, fmt(head), rule, ...rows.map(fmt), rule];
  lines.push(`Total params: ${n(summary.totalParams)}`, `Trainable params: ${n(summary.trainableParams)}`, `Non-trainable params: ${n(summary.nonTrainableParams)}`);
  for (const e of summary.errors) lines.push(`error${e.node ? ` [${e.node}]` : ''}: ${e.message}`);
  return lines.join('\n');
}

export function formatEpoch(r: EpochRecord, epochs: number): string {
  const f = (v: number | null) => (v === null ? '—' : v.toFixed(4));
  return `epoch ${r.epoch}/${epochs}  loss ${f(r.loss)}  acc ${f(r.acc)}  val_loss ${f(r.valLoss)}  val_acc ${f(r.valAcc)}`;
}
