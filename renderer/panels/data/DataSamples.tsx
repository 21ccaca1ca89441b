import { CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { LabeledImages } from './LabeledImages';
import type { DatasetPreview } from '../../../shared/data/report';

const TICK = { fontSize: 14, fill: 'var(--chart-axis)' };
/** Side by side, two grids share the room one had: half as many images each, as large. */
const AUGMENTED_SHOWN = 8;

function SeriesPreview({ values, testStart }: { values: readonly number[]; testStart: number }) {
  const rows = values.map((value, step) => ({ step, value }));
  const last = Math.max(0, values.length - 1);
  return (
    <div className="data-series" data-testid="data-series" data-points={values.length}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--chart-grid)" />
          {testStart <= last && <ReferenceArea x1={testStart} x2={last} fill="#fde68a" fillOpacity={0.45} label={{ value: 'test', position: 'insideTop', fontSize: 15, fill: '#92400e' }} />}
          <XAxis dataKey="step" type="number" domain={[0, last]} tick={TICK} height={26} />
          <YAxis tick={TICK} width={48} tickFormatter={(v: number) => String(Number(v.toFixed(2)))} />
          <Line dataKey="value" stroke="#2563eb" strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** A few examples as the network will see them: images with labels, table rows, text, a series. */
export function DataSamples({ preview }: { preview: DatasetPreview }) {
  switch (preview.kind) {
    case 'images': {
      const { count, height, width, channels, labels } = preview;
      const shape = { count, height, width, channels, labels };
      if (count === 0) return <p className="muted">No images to show.</p>;
      return preview.augmented ? (
        <div className="augmented-pair">
          <LabeledImages {...shape} pixels={preview.pixels} title="Original" testId="data-images" limit={AUGMENTED_SHOWN} />
          <LabeledImages {...shape} pixels={preview.augmented} title="Augmented" testId="augmented-preview" limit={AUGMENTED_SHOWN} />
        </div>
      ) : (
        <LabeledImages {...shape} pixels={preview.pixels} title="Training examples and their labels" testId="data-images" />
      );
    }
    case 'table':
      if (preview.rows.length === 0) return <p className="muted">No rows to show.</p>;
      return (
        <div className="data-table-box">
          <table className="data-table" data-testid="data-rows">
            <thead>
              <tr>
                {preview.columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j} className={cell !== '' && Number.isFinite(Number(cell)) ? 'num' : undefined}>
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'text':
      if (preview.snippets.length === 0) return <p className="muted">No text to show.</p>;
      return (
        <ul className="data-snippets" data-testid="data-snippets">
          {preview.snippets.map((s, i) => (
            <li key={i}>
              {s.label !== null && <span className="snippet-label">{s.label}</span>}
              <q>
                {s.text.split(/\n+/).map((part, j) => (
                  <span key={j}>
                    {j > 0 && (
                      <span className="line-break" aria-label="new line">
                        ↵
                      </span>
                    )}
                    {part}
                  </span>
                ))}
              </q>
            </li>
          ))}
        </ul>
      );
    case 'series':
      return <SeriesPreview values={preview.values} testStart={preview.testStart} />;
  }
}
