import type { ColumnInfo } from '../../../shared/data/report';

const ROLE_LABELS: Record<ColumnInfo['role'], string> = { feature: 'input', target: 'target', unused: 'not used' };

/** Each column of a table: what it holds, how much is missing, and what the network does with it. */
export function ColumnsTable({ columns }: { columns: readonly ColumnInfo[] }) {
  return (
    <div className="data-table-box">
      <table className="data-table columns-table" data-testid="data-columns">
        <thead>
          <tr>
            <th>Column</th>
            <th>Type</th>
            <th className="num">Missing</th>
            <th>Role</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((c) => (
            <tr key={c.name} className={`role-${c.role}`}>
              <td title={c.values ? `Values: ${c.values.join(', ')}` : undefined}>{c.name}</td>
              <td>
                {c.type}
                {c.type === 'category' && c.values ? <span className="muted"> ({c.values.length}{c.values.length >= 50 ? '+' : ''})</span> : null}
              </td>
              <td className={`num${c.missing > 0 ? ' warn' : ''}`}>{c.missing}</td>
              <td>
                {ROLE_LABELS[c.role]}
                {c.role === 'feature' && c.width > 1 ? <span className="muted"> ×{c.width}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
