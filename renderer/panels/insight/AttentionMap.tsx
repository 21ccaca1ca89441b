import { useMemo, useState } from 'react';
import { headWeights, rowScaled, shownPositions } from './attention';
import { css, viridis } from './colors';
import { visibleToken } from './figures';
import type { Explanation } from '../../../shared/api/insight';

type AttentionResult = Extract<Explanation, { kind: 'attention' }>;

const AVERAGE = -1;

function Label({ token, index, axis }: { token: string; index: number; axis: 'query' | 'key' }) {
  return (
    <span
      className={`attention-label ${axis} ${token === '' ? 'padding' : ''}`}
      data-testid="attention-label"
      data-axis={axis}
      title={`${axis} ${index + 1}: ${token === '' ? 'filler before the text' : JSON.stringify(token)}`}
    >
      {visibleToken(token)}
    </span>
  );
}

/** One attention layer's weights, queries down and keys across, with the tokens (or characters) as labels on both axes. */
export function AttentionMap({ result, layerName }: { result: AttentionResult; layerName: string }) {
  const [head, setHead] = useState(0);
  const [withFiller, setWithFiller] = useState(false);
  const shown = head >= result.heads.length ? 0 : head;
  const weights = useMemo(() => headWeights(result.heads, shown), [result.heads, shown]);
  const scaled = useMemo(() => rowScaled(weights), [weights]);
  const filler = result.queries.filter((q) => q === '').length;
  const rows = shownPositions(result.queries, withFiller);
  const cols = shownPositions(result.keys, withFiller);
  const cell = cols.length > 32 ? 13 : cols.length > 16 ? 18 : 26;
  return (
    <section className="attention" data-testid="attention-map" data-heads={result.heads.length} data-layer={result.layer}>
      <div className="attention-controls">
        <p className="explain-caption">{layerName}: how much each position (down) looks at each position (across)</p>
        <label className="chart-option">
          Head
          <select value={shown} onChange={(e) => setHead(Number(e.target.value))} data-testid="attention-head">
            {result.heads.map((_, i) => (
              <option key={i} value={i}>
                {i + 1} of {result.heads.length}
              </option>
            ))}
            {result.heads.length > 1 && <option value={AVERAGE}>mean of all heads</option>}
          </select>
        </label>
        {filler > 0 && (
          <label className="chart-option">
            <input type="checkbox" checked={withFiller} onChange={(e) => setWithFiller(e.target.checked)} data-testid="attention-filler" />
            show the {filler} filler position{filler === 1 ? '' : 's'} before the text
          </label>
        )}
      </div>
      <div className="attention-scroll">
        <div className="attention-grid" style={{ gridTemplateColumns: `auto repeat(${cols.length}, ${cell}px)`, gridAutoRows: `${cell}px`, fontSize: Math.max(10, cell - 5) }}>
          <span className="attention-corner" />
          {cols.map((k) => (
            <Label key={`k${k}`} token={result.keys[k]!} index={k} axis="key" />
          ))}
          {rows.map((q) => [
            <Label key={`q${q}`} token={result.queries[q]!} index={q} axis="query" />,
            ...cols.map((k) => {
              const w = weights[q]?.[k] ?? 0;
              return (
                <span
                  key={`${q}-${k}`}
                  className="attention-cell"
                  style={{ background: css(viridis(scaled[q]?.[k] ?? 0)) }}
                  title={`${visibleToken(result.queries[q]!)} → ${visibleToken(result.keys[k]!)}: ${(w * 100).toFixed(1)}%`}
                />
              );
            }),
          ])}
        </div>
      </div>
      <p className="setting-help">Each row is one position’s attention over the others, which sums to 100%; the brightest cell of a row is where it looks most.</p>
    </section>
  );
}
