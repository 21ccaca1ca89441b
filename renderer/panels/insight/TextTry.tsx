import { useEffect, useRef, useState } from 'react';
import { ExamplePicker } from './ExamplePicker';
import { TryAnswer } from './TryAnswer';
import { EXAMPLE_REVIEWS, readTokens } from './tryForms.js';
import { setInput, useInsightStore } from '../../stores/insightStore';
import type { InsightInfo } from '../../../shared/api/insight';

/** Typing pauses this long before the network is asked. */
const SETTLE_MS = 400;

/** A text classifier: type a review (or start from one), see the words it read and its answer. */
export function TextTry({ info }: { info: InsightInfo }) {
  const [text, setText] = useState('');
  const tokens = useInsightStore((s) => s.prediction?.tokens);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const ask = (next: string, now = false) => {
    setText(next);
    if (timer.current) clearTimeout(timer.current);
    if (next.trim() === '') return;
    const send = () => setInput({ kind: 'text', text: next }, 'Your text');
    if (now) send();
    else timer.current = setTimeout(send, SETTLE_MS);
  };
  const read = tokens ? readTokens(tokens) : [];
  const unknown = read.filter((t) => t.unknown).length;

  return (
    <div className="try-text">
      <div className="try-inputs">
        <div className="try-examples" role="group" aria-label="Example reviews">
          <span className="muted">Start from:</span>
          {EXAMPLE_REVIEWS.map((review) => (
            <button key={review.label} onClick={() => ask(review.text, true)}>
              {review.label}
            </button>
          ))}
        </div>
        <textarea
          className="try-textarea"
          data-testid="try-text"
          aria-label="Text for the network to read"
          placeholder="Type a review…"
          rows={6}
          value={text}
          onChange={(e) => ask(e.target.value)}
        />
        <ExamplePicker count={info.testCount} onPick={(index) => setInput({ kind: 'example', split: 'test', index }, `Test example ${index}`)} />
        {read.length > 0 && (
          <div className="try-tokens" data-testid="read-tokens">
            <h3>
              What it read: {read.length} word{read.length === 1 ? '' : 's'}
              {unknown > 0 && `, ${unknown} outside its vocabulary (struck through)`}
            </h3>
            <p>
              {read.map((token, i) => (
                <span key={i} className={token.unknown ? 'token unknown' : 'token'} title={token.unknown ? 'Not in the vocabulary: read as <unk>' : undefined}>
                  {token.text}
                </span>
              ))}
            </p>
          </div>
        )}
      </div>
      <TryAnswer />
    </div>
  );
}
