import type { DataProblem } from '../../../shared/data/report';

const SHOWN = 50;

/** Where a problem is: "line 7", or the file's path inside the dataset's folder. */
export function problemPlace(problem: DataProblem, root: string | null): string | null {
  if (problem.line !== undefined) return `line ${problem.line}`;
  if (problem.file === undefined) return null;
  const file = problem.file.replace(/\\/g, '/');
  const base = root?.replace(/\\/g, '/').replace(/\/+$/, '');
  return base && file.startsWith(`${base}/`) ? file.slice(base.length + 1) : file;
}

/** What was wrong with the files, each with its line or file; the examples that were fine still load. */
export function DataProblems({ problems, root }: { problems: readonly DataProblem[]; root: string | null }) {
  const shown = problems.slice(0, SHOWN);
  return (
    <ul className="data-problems" data-testid="data-problems">
      {shown.map((p, i) => {
        const place = problemPlace(p, root);
        return (
          <li key={i} data-testid="data-problem">
            <strong className="problem-place">{place ?? 'data'}</strong>
            <span>{p.message}</span>
          </li>
        );
      })}
      {problems.length > SHOWN && <li className="muted">…and {problems.length - SHOWN} more.</li>}
    </ul>
  );
}
