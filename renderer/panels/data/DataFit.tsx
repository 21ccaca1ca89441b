import type { DataFit as Fit } from './useDataFit';
import { applyFitFix } from '../../stores/dataActions';
import { TASK_LABELS } from '../../stores/datasets';
import type { FitProblem } from '../../../shared/data/fit';

function fixLabel(problem: FitProblem): string | null {
  if (problem.fix) return problem.fix.label;
  if (problem.task) return `Switch task to ${TASK_LABELS[problem.task]}`;
  return null;
}

/** Where the network and the data disagree, each with its one-click repair when there is one. */
export function DataFit({ fit }: { fit: Fit }) {
  if (fit.state === 'waiting' || fit.state === 'unreadable' || fit.state === 'no-network') return null;
  if (fit.state === 'graph-errors') {
    return (
      <div className="data-fit pending" data-testid="data-fit">
        Fix the {fit.count === 1 ? 'problem' : `${fit.count} problems`} shown on the canvas first; then this checks the network against the data.
      </div>
    );
  }
  if (fit.problems.length === 0) {
    return (
      <div className="data-fit ok" data-testid="data-fit">
        The network fits this data.
      </div>
    );
  }
  return (
    <div className="data-fit bad" data-testid="data-fit" role="alert">
      <strong>{fit.problems.every((p) => p.task) ? 'The task does not suit this data.' : 'The network does not fit this data.'}</strong>
      <ul>
        {fit.problems.map((p, i) => {
          const label = fixLabel(p);
          return (
            <li key={i} data-testid="fit-problem">
              <span>{p.message}</span>
              {label && (
                <button className="fix-button" onClick={() => applyFitFix(p)}>
                  {label}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
