import { useState } from 'react';
import { randomIndex } from './tryPixels.js';

interface Props {
  /** Examples in the test split. */
  count: number;
  onPick(index: number): void;
}

/** A random test example, or the one whose number is typed. */
export function ExamplePicker({ count, onPick }: Props) {
  const [index, setIndex] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  if (count === 0) return <p className="muted">The test split has no examples to pick from.</p>;

  const choose = (text: string) => {
    setIndex(text);
    const value = Number(text);
    if (text.trim() === '') return setProblem(null);
    if (!Number.isInteger(value) || value < 0 || value >= count) return setProblem(`An example's number is a whole number from 0 to ${count - 1}.`);
    setProblem(null);
    onPick(value);
  };
  return (
    <div className="example-picker">
      <button data-testid="pick-example" onClick={() => choose(String(randomIndex(count, Math.random())))}>
        Random test example
      </button>
      <label>
        number
        <input
          type="number"
          min={0}
          max={count - 1}
          step={1}
          value={index}
          data-testid="example-index"
          aria-invalid={problem !== null}
          onChange={(e) => choose(e.target.value)}
        />
        <span className="muted">of {count.toLocaleString('en-US')}</span>
      </label>
      {problem && (
        <span className="setting-error" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
