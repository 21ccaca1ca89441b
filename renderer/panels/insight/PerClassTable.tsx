import { classRows, visibleToken } from './figures';
import { percent } from './fairness';
import type { Evaluation } from '../../../shared/api/insight';

function Bar({ share, text, kind }: { share: number; text: string; kind: 'recall' | 'balance' }) {
  return (
    <div className={`share-bar ${kind}`} title={text}>
      <span style={{ width: `${Math.max(0, Math.min(1, share)) * 100}%` }} />
      <em>{text}</em>
    </div>
  );
}

/**
 * Precision, recall and F1 of each class, and beside recall how many training examples the
 * class had: a class the data had little of and the network recalls badly stand side by side.
 */
export function PerClassTable({ evaluation }: { evaluation: Pick<Evaluation, 'perClass' | 'trainingBalance'> }) {
  const rows = classRows(evaluation);
  const balance = rows.some((r) => r.training !== null);
  const underserved = rows.filter((r) => r.underserved);
  return (
    <div className="per-class">
      <table className="data-table per-class-table" data-testid="per-class-table">
        <thead>
          <tr>
            <th>Class</th>
            <th className="num" title="Of the examples it called this class, the share that were">
              Precision
            </th>
            <th title="Of the examples of this class, the share it found">Recall</th>
            {balance && <th title="Training examples of the class, against the largest class">Training examples</th>}
            <th className="num" title="The harmonic mean of precision and recall">
              F1
            </th>
            <th className="num" title="Examples of the class in this split">
              Examples
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.class} className={row.underserved ? 'underserved' : undefined} data-class={row.class}>
              <th scope="row">{visibleToken(row.class)}</th>
              <td className="num">{percent(row.precision)}</td>
              <td className="bar-cell">
                <Bar share={row.recall} text={percent(row.recall)} kind="recall" />
              </td>
              {balance && (
                <td className="bar-cell">
                  {row.training !== null && <Bar share={row.trainingShare ?? 0} text={row.training.toLocaleString('en-US')} kind="balance" />}
                </td>
              )}
              <td className="num">{row.f1.toFixed(3)}</td>
              <td className="num">{row.count.toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {underserved.length > 0 && (
        <p className="fairness-note" data-testid="underserved">
          {underserved.map((r) => `“${visibleToken(r.class)}”`).join(', ')} had under half the training examples of the largest class and {underserved.length === 1 ? 'is' : 'are'} recalled
          worse than the others: the network learned its data’s imbalance. More examples of {underserved.length === 1 ? 'it' : 'them'}, or weighting {underserved.length === 1 ? 'it' : 'them'} up, would help.
        </p>
      )}
    </div>
  );
}
