import { useMemo, useState } from 'react';
import { blendHeat, css, viridis } from './colors';
import { PixelCanvas } from './PixelCanvas';
import type { Explanation, InsightInfo } from '../../../shared/api/insight';
import { decodeImages } from '../../charts/pixels';

type HeatExplanation = Extract<Explanation, { kind: 'heatmap' }>;

const NAMES: Record<HeatExplanation['method'], string> = { saliency: 'Saliency', smoothgrad: 'SmoothGrad', gradcam: 'Grad-CAM' };

/** The colour map's key: what dark and bright mean. */
function Legend() {
  const stops = Array.from({ length: 11 }, (_, i) => css(viridis(i / 10))).join(', ');
  return (
    <div className="heat-legend">
      <span>mattered little</span>
      <span className="heat-ramp" style={{ background: `linear-gradient(to right, ${stops})` }} />
      <span>mattered most</span>
    </div>
  );
}

/** A table's saliency: one bar per feature column, in the form's order. */
function FeatureBars({ result, fields }: { result: HeatExplanation; fields: readonly string[] }) {
  const values = result.heat.values;
  return (
    <ol className="feature-heat" data-testid="heat-overlay" data-method={result.method}>
      {values.map((v, i) => (
        <li key={i}>
          <span className="feature-name">{fields[i] ?? `feature ${i + 1}`}</span>
          <span className="share-bar recall">
            <span style={{ width: `${Math.max(0, Math.min(1, v)) * 100}%`, background: css(viridis(v)) }} />
            <em>{v.toFixed(2)}</em>
          </span>
        </li>
      ))}
    </ol>
  );
}

/** Saliency, SmoothGrad or Grad-CAM over the input it explains: the image with a heat map blended over it, its opacity on a slider. */
export function HeatOverlay({ result, info }: { result: HeatExplanation; info: InsightInfo }) {
  const [opacity, setOpacity] = useState(0.7);
  const decoded = useMemo(() => decodeImages(result.image), [result.image]);
  const blended = useMemo(() => ('error' in decoded ? null : blendHeat(decoded, result.heat, opacity)), [decoded, result.heat, opacity]);
  const original = 'error' in decoded ? null : decoded;
  const title = (
    <p className="explain-caption">
      {NAMES[result.method]} for “{result.className}”{result.layer ? ` at ${info.layers.find((l) => l.id === result.layer)?.name ?? result.layer}` : ''}
    </p>
  );
  if (info.input === 'table') {
    return (
      <section className="heat-result">
        {title}
        <FeatureBars result={result} fields={info.fields.map((f) => f.name)} />
      </section>
    );
  }
  if ('error' in decoded || !blended || !original) return <p className="setting-error">{'error' in decoded ? decoded.error : 'The image could not be drawn.'}</p>;
  return (
    <section className="heat-result">
      {title}
      <div className="heat-pair">
        <figure>
          <PixelCanvas images={original} size={224} label="The input" />
          <figcaption>input</figcaption>
        </figure>
        <figure data-testid="heat-overlay" data-method={result.method}>
          <PixelCanvas images={blended} size={224} label={`${NAMES[result.method]} over the input`} />
          <figcaption>{NAMES[result.method]}</figcaption>
        </figure>
      </div>
      <Legend />
      <label className="chart-option">
        Heat opacity
        <input type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))} data-testid="heat-opacity" />
      </label>
    </section>
  );
}
