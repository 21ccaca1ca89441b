import type { ProjectFile } from '../../shared/api/contract';

function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** Project files to open, each with its name and file; one that cannot be opened says why. */
export function ProjectList({ files, onOpen, empty }: { files: readonly ProjectFile[]; onOpen(path: string): void; empty: string }) {
  if (files.length === 0) return empty ? <p className="muted">{empty}</p> : null;
  return (
    <ul className="project-list">
      {files.map((file) => (
        <li key={file.path}>
          <button className="project-row" onClick={() => onOpen(file.path)} title={file.path} data-testid="project-row">
            <span className="project-row-name">{file.name}</span>
            <span className="project-row-file mono">{file.fileName}</span>
            <span className="project-row-time muted">{when(file.modifiedAt)}</span>
          </button>
          {file.problem && <p className="field-error">{file.problem}</p>}
        </li>
      ))}
    </ul>
  );
}
