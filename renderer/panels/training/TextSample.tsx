import { useEffect, useRef, useState } from 'react';
import { requestSamples } from '../../stores/trainingActions';

interface Props {
  runKey: string;
  seed: string;
  text: string;
  temperature: number;
  /** Whether the run can still be asked for samples (running or paused). */
  live: boolean;
}

const ASK_DELAY_MS = 300;

/** Generated text in a readable block; moving the temperature asks the run for new text. */
export function TextSample({ runKey, seed, text, temperature, live }: Props) {
  const [value, setValue] = useState(temperature);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => setValue(temperature), [temperature]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const rest = text.startsWith(seed) ? text.slice(seed.length) : text;

  const change = (next: number) => {
    setValue(next);
    // Dragging the slider passes many values: ask once it rests.
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void requestSamples(runKey, next), ASK_DELAY_MS);
  };

  return (
    <div className="text-sample">
      <blockquote data-testid="sample-text">
        <strong>{seed}</strong>
        {rest}
      </blockquote>
      <label className="temperature">
        Temperature
        <input type="range" min={0.2} max={2} step={0.1} value={value} disabled={!live} onChange={(e) => change(Number(e.target.value))} data-testid="sample-temperature" />
        <span className="mono">{value.toFixed(1)}</span>
      </label>
      <p className="muted small">{live ? 'Low is safe and repetitive, high is wild.' : 'The run has ended: its last text stays here.'}</p>
    </div>
  );
}
