import { useMemo } from 'react';
import { heatPixels } from './colors';
import { toSignedUnit, transposed } from './normalize';
import { PixelCanvas } from './PixelCanvas';
import type { Explanation, HeatMap } from '../../../shared/api/insight';
import { ImageGrid } from '../training/ImageGrid';

type ActivationsResult = Extract<Explanation, { kind: 'activations' }>;

const BARS_WIDTH = 760;
const BAR_H = 120;

/**
 * A dense layer's units as bars: up for positive, down for negative, the tallest the largest
 * magnitude. Outputs that are never negative (after a ReLU, a softmax) stand on the bottom edge.
 */
function Bars({ values }: { values: readonly number[] }) {
  const scaled = useMemo(() => toSignedUnit(values), [values]);
  const barW = Math.max(2, Math.min(14, Math.floor(BARS_WIDTH / Math.max(1, scaled.length))));
  const width = Math.max(1, scaled.length) * barW;
  const signed = scaled.some((v) => v < 0);
  const zero = signed ? BAR_H / 2 : BAR_H;
  const reach = signed ? BAR_H / 2 : BAR_H;
  return (
    <div className="activation-bars-box">
      <svg className="activation-bars" data-testid="activation-bars" data-count={values.length} width={width} height={BAR_H} viewBox={`0 0 ${width} ${BAR_H}`} role="img" aria-label={`${values.length} units' outputs`}>
        <line x1={0} x2={width} y1={zero} y2={zero} stroke="#94a3b8" />
        {scaled.map((v, i) => (
          <rect key={i} x={i * barW + 0.5} width={Math.max(1, barW - 1)} y={v >= 0 ? zero - v * reach : zero} height={Math.abs(v) * reach} fill={v >= 0 ? '#2563eb' : '#d97706'}>
            <title>
              unit {i}: {values[i]!.toPrecision(3)}
            </title>
          </rect>
        ))}
      </svg>
    </div>
  );
}

/** A sequence's activations, time running across and features down, stretched to a readable size. */
function Sequence({ heat, layerName }: { heat: HeatMap; layerName: string }) {
  const pixels = useMemo(() => heatPixels(transposed(heat)), [heat]);
  const steps = heat.height;
  const features = heat.width;
  const width = Math.max(240, Math.min(760, steps * 14));
  const height = Math.max(48, Math.min(320, features * 10));
  return (
    <figure className="activation-sequence" data-testid="activation-sequence">
      <PixelCanvas images={pixels} size={width} stretch={{ width, height }} label={`${layerName} over time`} />
      <figcaption>
        {steps} steps across, {features} features down; bright is a high output
      </figcaption>
    </figure>
  );
}

/** A layer's output for the current input: a convolution's channels as a grid of maps, dense units as bars, a sequence as a heat map over time. */
export function Activations({ result, layerName }: { result: ActivationsResult; layerName: string }) {
  const shape = `(${result.shape.join(', ')})`;
  return (
    <section className="activations">
      <p className="explain-caption">
        What {layerName} outputs for this input <span className="mono muted">{shape}</span>
      </p>
      {result.maps && (
        <div className="feature-maps" data-testid="feature-maps" data-count={result.maps.count}>
          <ImageGrid batch={result.maps} columns={Math.min(8, result.maps.count)} label={`${result.maps.count} feature maps of ${layerName}`} maxScale={4} />
          <p className="setting-help">Each square is one channel: bright where its feature is found.</p>
        </div>
      )}
      {result.values && <Bars values={result.values} />}
      {result.sequence && <Sequence heat={result.sequence} layerName={layerName} />}
      {result.hidden > 0 && <p className="setting-help">{result.hidden.toLocaleString('en-US')} more not shown.</p>}
    </section>
  );
}
