import type { TopClass } from '../../../shared/api/insight';

interface Props {
  top: readonly TopClass[];
  /** The example's true class, marked among the bars. */
  truth?: string;
  /** Bars shown at most; the rest are less likely still. */
  limit?: number;
}

/** The network's most likely classes, each a bar as long as its probability. */
export function TopClasses({ top, truth, limit = 5 }: Props) {
  return (
    <ol className="top-classes" data-testid="top-classes" aria-label="Most likely classes">
      {top.slice(0, limit).map((entry, i) => {
        const percent = entry.probability * 100;
        return (
          <li
            key={entry.index}
            className={`top-class${i === 0 ? ' first' : ''}${truth !== undefined && entry.class === truth ? ' truth' : ''}`}
            data-testid="top-class"
            data-class={entry.class}
            data-probability={entry.probability}
          >
            <span className="top-class-name" title={entry.class}>
              {entry.class}
            </span>
            <span className="top-class-bar" aria-hidden="true">
              <span style={{ width: `${Math.max(0.5, percent)}%` }} />
            </span>
            <span className="top-class-value mono">{percent < 0.1 && percent > 0 ? '<0.1' : percent.toFixed(1)}%</span>
          </li>
        );
      })}
    </ol>
  );
}
