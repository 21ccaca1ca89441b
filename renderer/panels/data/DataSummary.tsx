import { KIND_LABELS } from '../../stores/datasets';
import type { RunForm } from '../../stores/runDraftStore';
import type { DatasetReport } from '../../../shared/data/report';
import { formatShape } from '../../../shared/graph/types';

const n = (v: number) => v.toLocaleString('en-US');
const SHOWN_CLASSES = 12;

/** How many examples training, validation and test each get, as the run will split them. */
export function splitCounts(report: DatasetReport, form: RunForm): { train: number; validation: number; test: number; heldOut: boolean } {
  const { train, test } = report.splits;
  const fraction = Number(form.values.validationFraction);
  if (form.values.validationKind === 'split' && Number.isFinite(fraction) && fraction > 0 && fraction <= 0.5 && train > 0) {
    const held = Math.max(1, Math.round(train * fraction));
    return { train: train - held, validation: held, test, heldOut: true };
  }
  return { train, validation: test, test, heldOut: false };
}

function targetText(report: DatasetReport): string {
  const { target, classes } = report;
  if (target.kind === 'values') return `${target.size} number${target.size === 1 ? '' : 's'} to predict`;
  if (target.kind === 'next-token') return `the next token${report.vocabulary !== null ? ` (${n(report.vocabulary)} different ones)` : ''}`;
  if (!classes) return 'a class';
  const shown = classes.slice(0, SHOWN_CLASSES).join(', ');
  return `${classes.length} classes: ${shown}${classes.length > SHOWN_CLASSES ? ', …' : ''}`;
}

/** What the data is: its kind and shape, how many examples, how they are split, what is predicted. */
export function DataSummary({ report, form }: { report: DatasetReport; form: RunForm }) {
  const split = splitCounts(report, form);
  return (
    <dl className="data-summary" data-testid="data-summary">
      <dt>Kind</dt>
      <dd>{KIND_LABELS[report.kind]}</dd>
      <dt>Examples</dt>
      <dd data-testid="data-samples">{n(report.samples)}</dd>
      <dt>Training</dt>
      <dd data-testid="split-train">{n(split.train)}</dd>
      <dt>Validation</dt>
      <dd data-testid="split-validation">
        {n(split.validation)} <span className="muted">{split.heldOut ? '(held back from training)' : '(the test split)'}</span>
      </dd>
      <dt>Test</dt>
      <dd data-testid="split-test">{n(split.test)}</dd>
      <dt>Shape</dt>
      <dd className="mono" data-testid="data-shape">
        {report.inputShape.length > 0 ? formatShape([null, ...report.inputShape]) : report.kind === 'corpus' ? 'a window as long as the Input' : '—'}
      </dd>
      <dt>Predicts</dt>
      <dd data-testid="data-target">{targetText(report)}</dd>
      {report.vocabulary !== null && report.target.kind !== 'next-token' && (
        <>
          <dt>Vocabulary</dt>
          <dd>{n(report.vocabulary)} tokens</dd>
        </>
      )}
    </dl>
  );
}
