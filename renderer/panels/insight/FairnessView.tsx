import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { fairnessGap, figure, labelledGroups, percent } from './fairness';
import type { GroupFigure } from '../../../shared/api/insight';

const TICK = { fontSize: 14, fill: 'var(--chart-axis)' };

interface Props {
  /** Columns a table's rows can be grouped by. */
  columns: readonly string[];
  groupBy: string | null;
  onGroupBy: (column: string | null) => void;
  groups?: readonly GroupFigure[];
  targetName?: string;
  busy: boolean;
}

/**
 * The network's accuracy (or error) on each group of a column side by side, the best and the
 * worst marked and the gap between them said in words.
 */
export function FairnessView({ columns, groupBy, onGroupBy, groups: given, targetName, busy }: Props) {
  const groups = given && groupBy ? labelledGroups(groupBy, given) : given;
  const gap = groups ? fairnessGap(groups, targetName) : null;
  const metric = gap?.metric ?? (groups?.some((g) => g.accuracy !== undefined) ? 'accuracy' : 'meanAbsoluteError');
  const rows = (groups ?? []).map((g) => ({
    group: g.group,
    count: g.count,
    value: metric === 'accuracy' ? (g.accuracy ?? 0) * 100 : (g.meanAbsoluteError ?? 0),
  }));
  const colour = (group: string) => (gap && group === gap.worst.group ? '#dc2626' : gap && group === gap.best.group ? '#059669' : '#64748b');
  const label = metric === 'accuracy' ? 'Accuracy' : `Mean absolute error${targetName ? ` (${targetName})` : ''}`;
  return (
    <section className="fairness" data-testid="fairness">
      <h3>Fairness across groups</h3>
      <div className="setting">
        <label htmlFor="group-by">Group by</label>
        <select id="group-by" data-testid="group-by" value={groupBy ?? ''} disabled={busy} onChange={(e) => onGroupBy(e.target.value || null)}>
          <option value="">(no column)</option>
          {columns.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      {groups && groups.length > 0 && (
        <>
          {gap && (
            <p className={`fairness-gap ${gap.gap >= 5 && metric === 'accuracy' ? 'wide' : ''}`} data-testid="fairness-gap">
              {gap.sentence}
            </p>
          )}
          <div className="fairness-chart" style={{ height: Math.min(360, 60 + rows.length * 30) }} data-testid="group-bars" data-groups={rows.length}>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 60, bottom: 0, left: 0 }}>
                <CartesianGrid stroke="var(--chart-grid)" horizontal={false} />
                <XAxis type="number" tick={TICK} domain={metric === 'accuracy' ? [0, 100] : [0, 'auto']} tickFormatter={(v: number) => (metric === 'accuracy' ? `${v}%` : figure(v))} height={26} />
                <YAxis type="category" dataKey="group" tick={TICK} interval={0} width={110} />
                <Tooltip
                  isAnimationActive={false}
                  formatter={(v, _name, item) => [metric === 'accuracy' ? percent(Number(v) / 100) : figure(Number(v)), `${label}, ${(item.payload as { count: number }).count} examples`]}
                />
                <Bar dataKey="value" isAnimationActive={false}>
                  {rows.map((r) => (
                    <Cell key={r.group} fill={colour(r.group)} />
                  ))}
                  <LabelList dataKey="count" position="right" formatter={(v) => `n = ${String(v)}`} style={{ fontSize: 13, fill: 'var(--muted)' }} />
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </div>
          <p className="setting-help">
            {label} per group; n is the group’s examples in this split. Green is the best group, red the worst.
          </p>
        </>
      )}
    </section>
  );
}
