import { ConfusionMatrix } from './ConfusionMatrix';
import { ExampleStrip } from './ExampleStrip';
import { figure, percent } from './fairness';
import { FairnessView } from './FairnessView';
import { classNames, visibleToken } from './figures';
import { InsightGate } from './InsightGate';
import { PerClassTable } from './PerClassTable';
import { RegressionView } from './RegressionView';
import './insight.css';
import type { Evaluation, ExampleView, InsightInfo } from '../../../shared/api/insight';
import { chooseGroupBy, chooseSplit, closeCell, evaluateRun, showCell, useEvaluateStore, type Split } from '../../stores/evaluateStore';
import { setInput, useInsightStore } from '../../stores/insightStore';
import { useUiStore } from '../../stores/uiStore';

/** Holds an example of the split as the Try and Explain tabs' input, and turns to Explain. */
function pick(split: Split, example: ExampleView): void {
  setInput({ kind: 'example', split, index: example.index }, `${split === 'test' ? 'Test' : 'Validation'} example ${example.index}`);
  useUiStore.getState().showView('explain');
}

function Headline({ evaluation }: { evaluation: Evaluation }) {
  const where = evaluation.split === 'test' ? 'test examples' : 'held-back training examples';
  return (
    <p className="evaluate-headline" data-testid="evaluate-headline">
      {evaluation.accuracy !== undefined && (
        <>
          Accuracy <strong>{percent(evaluation.accuracy)}</strong>{' '}
        </>
      )}
      {evaluation.meanAbsoluteError !== undefined && (
        <>
          Mean absolute error <strong>{figure(evaluation.meanAbsoluteError)}</strong>
          {evaluation.targetName ? ` ${evaluation.targetName}` : ''}{' '}
        </>
      )}
      {evaluation.rootMeanSquaredError !== undefined && (
        <>
          · RMSE <strong>{figure(evaluation.rootMeanSquaredError)}</strong>{' '}
        </>
      )}
      <span className="muted">
        on {evaluation.samples.toLocaleString('en-US')} {where}
      </span>
    </p>
  );
}

function Classification({ evaluation, info }: { evaluation: Evaluation; info: InsightInfo }) {
  const cell = useEvaluateStore((s) => s.cell);
  const cellExamples = useEvaluateStore((s) => s.cellExamples);
  const cellError = useEvaluateStore((s) => s.cellError);
  const mistakeExamples = useEvaluateStore((s) => s.mistakeExamples);
  const classes = classNames(evaluation);
  const fields = info.fields.map((f) => f.name);
  const mistakes = evaluation.mistakes ?? [];
  const cellTitle = cell && (
    <>
      {cell.truth === cell.predicted
        ? `Examples of “${visibleToken(classes[cell.truth] ?? '')}” answered right`
        : `Examples of “${visibleToken(classes[cell.truth] ?? '')}” answered “${visibleToken(classes[cell.predicted] ?? '')}”`}
      <button className="link-button close-strip" onClick={closeCell} aria-label="Close the cell's examples">
        ×
      </button>
    </>
  );
  return (
    <div className="evaluate-columns">
      <div className="evaluate-col">
        {evaluation.confusion && <ConfusionMatrix classes={classes} confusion={evaluation.confusion} selected={cell} onSelect={(c) => void showCell(c)} />}
        {cell && cellError && <p className="setting-error">{cellError}</p>}
        {cell && !cellError && cellExamples === null && <p className="data-loading">Fetching the cell’s examples…</p>}
        {cell && cellExamples && <ExampleStrip examples={cellExamples} title={cellTitle} testId="cell-examples" fields={fields} onPick={(e) => pick(evaluation.split, e)} />}
      </div>
      <div className="evaluate-col">
        <h3>Each class</h3>
        <PerClassTable evaluation={evaluation} />
        {mistakes.length > 0 && (
          <div data-testid="mistakes" className="mistakes">
            {mistakeExamples ? (
              <ExampleStrip
                examples={mistakeExamples}
                title="The most confident mistakes"
                testId="mistake-examples"
                fields={fields}
                note={(_, i) => (mistakes[i] ? `answered ${visibleToken(mistakes[i].predicted)} (${percent(mistakes[i].confidence)})` : null)}
                onPick={(e) => pick(evaluation.split, e)}
              />
            ) : (
              <>
                <h3>The most confident mistakes</h3>
                <ol className="mistake-list">
                  {mistakes.slice(0, 12).map((m) => (
                    <li key={m.index}>
                      #{m.index}: truly {visibleToken(m.truth)}, answered {visibleToken(m.predicted)} ({percent(m.confidence)})
                    </li>
                  ))}
                </ol>
              </>
            )}
          </div>
        )}
        {evaluation.confusion && mistakes.length === 0 && <p className="muted">No mistakes on this split.</p>}
      </div>
    </div>
  );
}

function EvaluateBody() {
  const info = useInsightStore((s) => s.info)!;
  const split = useEvaluateStore((s) => s.split);
  const groupBy = useEvaluateStore((s) => s.groupBy);
  const evaluating = useEvaluateStore((s) => s.evaluating);
  const evaluation = useEvaluateStore((s) => s.evaluation);
  const error = useEvaluateStore((s) => s.error);
  const noValidation = info.validationCount === 0;
  const splitCount = (s: Split) => (s === 'test' ? info.testCount : info.validationCount).toLocaleString('en-US');
  const table = info.input === 'table' && info.groupColumns.length > 0;
  return (
    <>
      <div className="evaluate-controls">
        <div className="segmented" role="group" aria-label="Examples to evaluate on">
          <button aria-pressed={split === 'test'} onClick={() => chooseSplit('test')} disabled={evaluating !== null} data-testid="split-test">
            Test split ({splitCount('test')})
          </button>
          <button
            aria-pressed={split === 'validation'}
            onClick={() => chooseSplit('validation')}
            disabled={evaluating !== null || noValidation}
            title={noValidation ? 'The run held back no training examples for validation' : 'The part of the training data the run held back'}
            data-testid="split-validation"
          >
            Validation part ({splitCount('validation')})
          </button>
        </div>
        <button className="primary" data-testid="evaluate-button" onClick={() => void evaluateRun()} disabled={evaluating !== null}>
          Evaluate
        </button>
        {evaluating !== null && (
          <span className="data-loading" data-testid="evaluating">
            Evaluating {evaluating.toLocaleString('en-US')} examples…
          </span>
        )}
      </div>
      {error && (
        <p className="training-error" role="alert">
          {error}
        </p>
      )}
      {!evaluation && evaluating === null && !error && <p className="data-hint">Run the network over every example of the split: where it is right, where it is wrong, and for whom.</p>}
      {evaluation && (
        <div className="evaluate-result" data-testid="evaluation">
          <Headline evaluation={evaluation} />
          {evaluation.confusion && <Classification evaluation={evaluation} info={info} />}
          {evaluation.points && evaluation.points.length > 0 && <RegressionView points={evaluation.points} targetName={evaluation.targetName ?? info.targetNames[0] ?? 'target'} />}
        </div>
      )}
      {table && (
        <FairnessView
          columns={info.groupColumns}
          groupBy={groupBy}
          onGroupBy={(column) => {
            chooseGroupBy(column);
            void evaluateRun();
          }}
          groups={evaluation?.groupBy === groupBy ? evaluation?.groups : undefined}
          targetName={evaluation?.targetName ?? info.targetNames[0]}
          busy={evaluating !== null}
        />
      )}
    </>
  );
}

/** The Evaluate tab: the current run's network on a whole split, its mistakes, and how it does for each group. */
export function EvaluatePanel() {
  return (
    <InsightGate name="evaluate">
      <EvaluateBody />
    </InsightGate>
  );
}
