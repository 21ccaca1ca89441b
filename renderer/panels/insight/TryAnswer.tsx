import { TopClasses } from './TopClasses';
import { formatNumber } from './tryForms.js';
import { ImageGrid } from '../training/ImageGrid';
import { useInsightStore } from '../../stores/insightStore';

/** The network's answer to the input held: classes as bars, a value in its own units, or a reconstruction. */
export function TryAnswer() {
  const prediction = useInsightStore((s) => s.prediction);
  const predicting = useInsightStore((s) => s.predicting);
  const error = useInsightStore((s) => s.predictError);
  const label = useInsightStore((s) => s.inputLabel);
  const targetNames = useInsightStore((s) => s.info?.targetNames ?? []);

  if (error) {
    return (
      <p className="setting-error try-error" role="alert" data-testid="predict-error">
        {error}
      </p>
    );
  }
  if (!prediction) return <p className="muted try-waiting">{predicting ? 'Asking the network…' : 'The network’s answer shows here.'}</p>;
  return (
    <div className={`try-answer${predicting ? ' stale' : ''}`} aria-busy={predicting} data-testid="try-answer">
      {label && (
        <p className="try-input-label" data-testid="input-label">
          {label}
        </p>
      )}
      {prediction.truth !== undefined && (
        <p className="try-truth" data-testid="example-truth">
          True answer: <strong>{prediction.truth}</strong>
        </p>
      )}
      {prediction.top && <TopClasses top={prediction.top} truth={prediction.truth} />}
      {prediction.value && (
        <dl className="try-values" data-testid="predicted-value">
          {prediction.value.map((value, i) => (
            <div key={i}>
              <dt>{targetNames[i] ?? (prediction.value!.length === 1 ? 'Predicted' : `output ${i + 1}`)}</dt>
              <dd className="mono">{formatNumber(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      {prediction.image && (
        <figure className="try-figure" data-testid="reconstruction">
          <ImageGrid batch={prediction.image} label="The network's output for this input" maxScale={6} />
          <figcaption>What the network gives back</figcaption>
        </figure>
      )}
    </div>
  );
}
