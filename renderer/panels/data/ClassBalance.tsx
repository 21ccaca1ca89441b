import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const TICK = { fontSize: 14, fill: 'var(--chart-axis)' };
const count = (v: number) => (v >= 10_000 ? `${Number((v / 1000).toFixed(1))}k` : String(v));
const BAR_ROW = 24;

/** Training examples per class: a class with few examples is one the network will learn badly. */
export function ClassBalance({ classes, counts }: { classes: readonly string[]; counts: readonly number[] }) {
  const rows = classes.map((name, i) => ({ name, count: counts[i] ?? 0 }));
  const most = Math.max(1, ...rows.map((r) => r.count));
  const fewest = Math.min(...rows.map((r) => r.count));
  // Short names sit under upright bars; longer ones, or many classes, read better beside bars lying down.
  const longest = Math.max(0, ...rows.map((r) => r.name.length));
  const lying = rows.length * (longest + 1) > 26;
  const height = lying ? Math.min(600, rows.length * BAR_ROW + 34) : 190;
  const bars = (
    <Bar dataKey="count" isAnimationActive={false}>
      {rows.map((r) => (
        // A class with under half the examples of the largest stands out.
        <Cell key={r.name} fill={r.count < most / 2 ? '#d97706' : '#2563eb'} />
      ))}
    </Bar>
  );
  const tooltip = <Tooltip cursor={{ fill: 'var(--shape-bg)' }} formatter={(v) => [String(v), 'training examples']} isAnimationActive={false} />;
  return (
    <div className="class-balance" data-testid="class-balance" data-bars={rows.length}>
      <div style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          {lying ? (
            <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="var(--chart-grid)" horizontal={false} />
              <XAxis type="number" tick={TICK} tickFormatter={count} allowDecimals={false} height={26} />
              <YAxis type="category" dataKey="name" tick={TICK} interval={0} width={Math.min(130, 14 + longest * 8)} />
              {tooltip}
              {bars}
            </BarChart>
          ) : (
            <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
              <XAxis dataKey="name" tick={TICK} interval={0} height={26} />
              <YAxis tick={TICK} width={48} tickFormatter={count} allowDecimals={false} />
              {tooltip}
              {bars}
            </BarChart>
          )}
        </ResponsiveContainer>
      </div>
      {fewest < most / 2 && <p className="setting-help">Orange classes have under half the examples of the largest: the network sees them less.</p>}
    </div>
  );
}
