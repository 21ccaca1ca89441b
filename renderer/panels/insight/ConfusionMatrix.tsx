import { useMemo, type KeyboardEvent } from 'react';
import { confusionShade, css, inkOn } from './colors';
import { visibleToken } from './figures';
import { rowFractions } from './normalize';
import type { CellChoice } from '../../stores/evaluateStore';

interface Props {
  classes: readonly string[];
  /** Rows true classes, columns predicted. */
  confusion: readonly (readonly number[])[];
  selected: CellChoice | null;
  onSelect: (cell: CellChoice) => void;
}

/** Moves the focus between cells with the arrow keys, as in a spreadsheet. */
function moveFocus(event: KeyboardEvent<HTMLTableCellElement>, size: number, truth: number, predicted: number): boolean {
  const step: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  const move = step[event.key];
  if (!move) return false;
  const t = Math.min(size - 1, Math.max(0, truth + move[0]));
  const p = Math.min(size - 1, Math.max(0, predicted + move[1]));
  const table = event.currentTarget.closest('table');
  table?.querySelector<HTMLElement>(`[data-true-index="${t}"][data-predicted-index="${p}"]`)?.focus();
  return true;
}

/**
 * Rows are what each example truly is, columns what the network answered. Each cell is shaded
 * by its share of its row, the diagonal blue and mistakes orange; a click shows its examples.
 */
export function ConfusionMatrix({ classes, confusion, selected, onSelect }: Props) {
  const fractions = useMemo(() => rowFractions(confusion), [confusion]);
  const many = classes.length > 12;
  return (
    <div className="confusion-box">
      <table className={`confusion-matrix ${many ? 'many' : ''}`} data-testid="confusion-matrix" aria-label="Confusion matrix: rows are true classes, columns predicted">
        <thead>
          <tr>
            <th className="confusion-corner" scope="col">
              <span className="muted">true ↓ · predicted →</span>
            </th>
            {classes.map((name) => (
              <th key={name} scope="col" title={`Predicted ${name}`}>
                {visibleToken(name)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {confusion.map((row, t) => {
            const truth = classes[t] ?? String(t);
            const total = row.reduce((a, b) => a + b, 0);
            return (
              <tr key={t}>
                <th scope="row" title={`Truly ${truth}: ${total} examples`}>
                  {visibleToken(truth)}
                </th>
                {row.map((count, p) => {
                  const predicted = classes[p] ?? String(p);
                  const diagonal = t === p;
                  const shade = confusionShade(fractions[t]![p]!, diagonal);
                  const isSelected = selected?.truth === t && selected.predicted === p;
                  const share = total > 0 ? ` (${((count / total) * 100).toFixed(1)}% of ${truth})` : '';
                  const what = diagonal ? `${count} examples of ${truth} answered right${share}` : `${count} examples of ${truth} answered as ${predicted}${share}`;
                  return (
                    <td
                      key={p}
                      data-testid="confusion-cell"
                      data-true={truth}
                      data-predicted={predicted}
                      data-count={count}
                      data-true-index={t}
                      data-predicted-index={p}
                      className={`${diagonal ? 'diagonal' : ''} ${isSelected ? 'selected' : ''}`}
                      style={{ background: css(shade), color: inkOn(shade) }}
                      tabIndex={0}
                      role="button"
                      aria-pressed={isSelected}
                      aria-label={what}
                      title={what}
                      onClick={() => onSelect({ truth: t, predicted: p })}
                      onKeyDown={(event) => {
                        if (event.key === 'Enter' || event.key === ' ') {
                          event.preventDefault();
                          onSelect({ truth: t, predicted: p });
                        } else if (moveFocus(event, classes.length, t, p)) event.preventDefault();
                      }}
                    >
                      {count > 0 || !many ? count : ''}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
