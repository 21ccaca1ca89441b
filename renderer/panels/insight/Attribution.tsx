import { css, diverging, inkOn } from './colors';
import type { Explanation } from '../../../shared/api/insight';

type AttributionResult = Extract<Explanation, { kind: 'attribution' }>;

/** Each token of a text coloured by how much it pushed the answer towards the class (red) or away from it (blue). */
export function Attribution({ result }: { result: AttributionResult }) {
  return (
    <section className="attribution-result">
      <p className="explain-caption">Which words made the network answer “{result.className}”</p>
      <p className="attribution" data-testid="attribution" data-tokens={result.tokens.length}>
        {result.tokens.map((token, i) => {
          const score = result.scores[i] ?? 0;
          const colour = diverging(score);
          return (
            <span key={i} className="attribution-token" data-score={score.toFixed(3)} style={{ background: css(colour), color: inkOn(colour) }} title={`${token}: ${score >= 0 ? '+' : ''}${score.toFixed(2)}`}>
              {token}
            </span>
          );
        })}
      </p>
      <div className="heat-legend">
        <span>against “{result.className}”</span>
        <span className="heat-ramp" style={{ background: `linear-gradient(to right, ${css(diverging(-1))}, ${css(diverging(0))}, ${css(diverging(1))})` }} />
        <span>for “{result.className}”</span>
      </div>
    </section>
  );
}
