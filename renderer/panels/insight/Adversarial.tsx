import { useMemo } from 'react';
import { adversarialSentence, visibleToken } from './figures';
import { percent } from './fairness';
import type { Explanation, TopClass } from '../../../shared/api/insight';
import { MAX_EPSILON } from '../../stores/evaluateStore';
import { ImageGrid } from '../training/ImageGrid';

type AdversarialResult = Extract<Explanation, { kind: 'adversarial' }>;

function Classes({ classes, testId }: { classes: readonly TopClass[]; testId: string }) {
  return (
    <ol className="top-list" data-testid={testId}>
      {classes.slice(0, 3).map((c) => (
        <li key={c.index} data-class={c.class} data-probability={c.probability}>
          <span className="top-name">{visibleToken(c.class)}</span>
          <span className="share-bar recall">
            <span style={{ width: `${c.probability * 100}%` }} />
            <em>{percent(c.probability)}</em>
          </span>
        </li>
      ))}
    </ol>
  );
}

interface Props {
  result: AdversarialResult;
  /** The largest step to search up to, as the slider holds it. */
  epsilon: number;
  onEpsilon: (epsilon: number) => void;
  busy: boolean;
}

/**
 * FGSM: the input, the same input nudged along the sign of the loss's gradient by the smallest
 * step that changes the answer, and the nudge itself magnified, with the answers before and after.
 */
export function Adversarial({ result, epsilon, onEpsilon, busy }: Props) {
  const sentence = useMemo(() => adversarialSentence(result), [result]);
  return (
    <section className="adversarial" data-testid="adversarial-view" data-changed={String(result.changed)} data-epsilon={result.epsilon}>
      <label className="chart-option adversarial-strength">
        Largest step to try
        <input
          type="range"
          min={0.005}
          max={MAX_EPSILON}
          step={0.005}
          value={epsilon}
          onChange={(e) => onEpsilon(Number(e.target.value))}
          data-testid="adversarial-epsilon"
          aria-label="Largest step to try, as a share of the brightness range"
        />
        <span className="mono">{(epsilon * 100).toFixed(1)}%</span>
        {busy && <span className="data-loading">searching…</span>}
      </label>
      <div className="adversarial-images">
        <figure>
          <ImageGrid batch={result.original} label="The input" maxScale={6} />
          <figcaption>Original</figcaption>
          <Classes classes={result.before} testId="adversarial-before" />
        </figure>
        <figure>
          <ImageGrid batch={result.adversarial} label="The input after the nudge" maxScale={6} />
          <figcaption>Nudged by {(result.epsilon * 100).toFixed(1)}%</figcaption>
          <Classes classes={result.after} testId="adversarial-after" />
        </figure>
        <figure data-testid="adversarial-difference">
          <ImageGrid batch={result.difference} label="The nudge, magnified" maxScale={6} />
          <figcaption>The difference, magnified (grey is no change)</figcaption>
        </figure>
      </div>
      <p className={`adversarial-sentence ${result.changed ? 'changed' : ''}`} data-testid="adversarial-sentence">
        {sentence}
      </p>
    </section>
  );
}
