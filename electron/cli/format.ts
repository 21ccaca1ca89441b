import type { EpochRecord, Summary } from '../../shared/api/contract.js';
import type { Evaluation, GroupFigure, Prediction } from '../../shared/api/insight.js';
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

const percent = (p: number) => `${(p * 100).toFixed(1)}%`;
/** A number in a target's units: four significant digits, as a person reads a price or a size. */
const amount = (v: number) => String(Number(v.toPrecision(4)));

/** Columns of text, the first left-aligned and the rest right-aligned, two spaces apart. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());
}

/** Classes shown per answer in text; `--json` has them all. */
const TOP_SHOWN = 5;

/** One answer of `netcanvas predict`: its top classes (`7  98.1%`), or each target's value with its name. */
export function formatPrediction(answer: Prediction, targetNames: readonly string[]): string {
  if (answer.top) return table(answer.top.slice(0, TOP_SHOWN).map((t) => [`  ${t.class}`, percent(t.probability)])).join('\n');
  if (answer.value) return table(answer.value.map((v, i) => [`  ${targetNames[i] ?? `value ${i + 1}`}`, amount(v)])).join('\n');
  return `  (no class or value: the network answers with ${answer.image ? 'an image, shown on the Try tab' : 'nothing this command prints'})`;
}

/** An evaluation as the command prints it: of a split of the run's data, or of the rows of another file. */
export type EvaluationFigures = Omit<Evaluation, 'split'> & {
  split?: Evaluation['split'];
  source: string;
  /** Where each example is, for a file's rows ("rows.csv line 3"); a split's are numbered. */
  where?: readonly string[];
};

/** What `netcanvas evaluate --json` prints. */
export function evaluationJson(e: EvaluationFigures): Record<string, unknown> {
  const origin = e.split !== undefined ? { split: e.split } : { dataset: e.source };
  const regression = e.meanAbsoluteError !== undefined && e.accuracy === undefined;
  return {
    samples: e.samples,
    ...origin,
    ...(regression ? { meanAbsoluteError: e.meanAbsoluteError, rootMeanSquaredError: e.rootMeanSquaredError, ...(e.targetName ? { targetName: e.targetName } : {}) } : {}),
    ...(e.accuracy !== undefined ? { accuracy: e.accuracy, classes: e.classes, confusion: e.confusion, perClass: e.perClass } : {}),
    ...(e.groups ? { groupBy: e.groupBy, groups: e.groups } : {}),
  };
}

/** Mistakes listed in text at most. */
const MISTAKES_SHOWN = 5;

/** Accuracy, the confusion matrix and per-class table, or a regression's errors, then the groups with their gap. */
export function formatEvaluation(e: EvaluationFigures, title: string): string {
  const lines = [`${title} on ${e.source}: ${e.samples.toLocaleString('en-US')} examples`];
  const unit = e.targetName ? ` ${e.targetName}` : '';
  if (e.accuracy !== undefined && e.classes && e.confusion && e.perClass) {
    lines.push(`Accuracy: ${percent(e.accuracy)}`, '', 'Confusion matrix (rows: true class, columns: predicted):');
    lines.push(...table([['', ...e.classes], ...e.confusion.map((row, i) => [e.classes![i]!, ...row.map(String)])]).map((l) => `  ${l}`));
    lines.push('', ...table([['Class', 'Precision', 'Recall', 'F1', 'Count'], ...e.perClass.map((c) => [c.class, c.precision.toFixed(3), c.recall.toFixed(3), c.f1.toFixed(3), String(c.count)])]).map((l) => `  ${l}`));
    if (e.mistakes && e.mistakes.length > 0) {
      lines.push('', 'Most confident mistakes:', ...e.mistakes.slice(0, MISTAKES_SHOWN).map((m) => `  ${e.where?.[m.index] ?? `example ${m.index}`}: ${m.truth} taken for ${m.predicted} (${percent(m.confidence)})`));
    }
  } else if (e.meanAbsoluteError !== undefined) {
    lines.push(`Mean absolute error: ${amount(e.meanAbsoluteError)}${unit}`);
    if (e.rootMeanSquaredError !== undefined) lines.push(`Root mean squared error: ${amount(e.rootMeanSquaredError)}${unit}`);
  }
  if (e.groups && e.groups.length > 0) lines.push('', ...formatGroups(e.groups, e.groupBy ?? 'group', unit));
  return lines.join('\n');
}

/** Each group's figure side by side, the best and the worst marked and the gap between them said. */
function formatGroups(groups: readonly GroupFigure[], column: string, unit: string): string[] {
  const byAccuracy = groups.every((g) => g.accuracy !== undefined);
  const score = (g: GroupFigure) => (byAccuracy ? g.accuracy! : g.meanAbsoluteError!);
  const shown = (g: GroupFigure) => (byAccuracy ? percent(g.accuracy!) : `${amount(g.meanAbsoluteError!)}${unit}`);
  // Higher accuracy is better; lower error is.
  const ranked = [...groups].sort((a, b) => (byAccuracy ? score(b) - score(a) : score(a) - score(b)));
  const best = ranked[0]!;
  const worst = ranked[ranked.length - 1]!;
  const apart = groups.length > 1 && score(best) !== score(worst);
  const mark = (g: GroupFigure) => (!apart ? '' : g === best ? '  <- best' : g === worst ? '  <- worst' : '');
  const rows = table([[column, 'Count', byAccuracy ? 'Accuracy' : 'Mean abs. error'], ...groups.map((g) => [g.group, String(g.count), shown(g)])]);
  const lines = [`By ${column}:`, ...rows.map((l, i) => `  ${l}${i === 0 ? '' : mark(groups[i - 1]!)}`)];
  if (apart) {
    const gap = byAccuracy ? `${((score(best) - score(worst)) * 100).toFixed(1)} points` : `${amount(score(worst) - score(best))}${unit}`;
    lines.push(`Gap between best and worst: ${gap} (${best.group} ${shown(best)}, ${worst.group} ${shown(worst)}).`);
  }
  return lines;
}
