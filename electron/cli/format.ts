import type { EpochRecord, Summary } from '../../shared/api/contract.js';
import { formatShape } from '../../shared/graph/types.js';

const n = (value: number) => value.toLocaleString('en-US');

/** A table in the manner of Keras's model.summary(). */
export function formatSummary(summary: Summary): string {
  const rows = summary.layers.map((l) => [`${l.name} (${l.type})`, l.outputShape ? formatShape(l.outputShape) : '—', n(l.params)]);
  const head = ['Layer (type)', 'Output shape', 'Params'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('   ');
  const rule = '─'.repeat(fmt(head).length);
  const lines = [rule, fmt(head), rule, ...rows.map(fmt), rule];
  lines.push(`Total params: ${n(summary.totalParams)}`, `Trainable params: ${n(summary.trainableParams)}`, `Non-trainable params: ${n(summary.nonTrainableParams)}`);
  for (const e of summary.errors) lines.push(`error${e.node ? ` [${e.node}]` : ''}: ${e.message}`);
  return lines.join('\n');
}

export function formatEpoch(r: EpochRecord, epochs: number): string {
  const f = (v: number | null) => (v === null ? '—' : v.toFixed(4));
  return `epoch ${r.epoch}/${epochs}  loss ${f(r.loss)}  acc ${f(r.acc)}  val_loss ${f(r.valLoss)}  val_acc ${f(r.valAcc)}`;
}
