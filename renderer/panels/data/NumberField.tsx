import { useEffect, useId, useState } from 'react';

interface Props {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  /** Whole numbers only. */
  integer?: boolean;
  /** Also a slider beside the box, for settings people try by feel (noise, rotation). */
  slider?: boolean;
  help?: string;
  testId?: string;
  onChange(value: number): void;
}

/** A number typed as text: passed on once it is a number in range, otherwise marked with why. */
export function NumberField({ label, value, min, max, step, integer = false, slider = false, help, testId, onChange }: Props) {
  const id = useId();
  const [text, setText] = useState(String(value));
  // A value changed elsewhere (a slider, a loaded project) replaces what was typed.
  useEffect(() => {
    setText((typed) => (Number(typed) === value ? typed : String(value)));
  }, [value]);
  const parsed = Number(text.trim());
  let error: string | null = null;
  if (text.trim() === '' || !Number.isFinite(parsed)) error = `${label} must be a number.`;
  else if (integer && !Number.isInteger(parsed)) error = `${label} must be a whole number.`;
  else if (parsed < min) error = `${label} must be at least ${min}.`;
  else if (parsed > max) error = `${label} must be at most ${max}.`;
  const change = (next: string) => {
    setText(next);
    const n = Number(next.trim());
    if (next.trim() !== '' && Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n))) onChange(n);
  };
  const note = error ?? help;
  return (
    <div className={`setting${error ? ' invalid' : ''}${slider ? ' setting-slider' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="number-field">
        {slider && (
          <input
            type="range"
            aria-label={`${label} slider`}
            min={min}
            max={max}
            step={step ?? (integer ? 1 : (max - min) / 100)}
            value={Number.isFinite(parsed) ? Math.min(max, Math.max(min, parsed)) : value}
            onChange={(e) => change(e.target.value)}
          />
        )}
        <input
          id={id}
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          value={text}
          aria-invalid={error ? true : undefined}
          data-testid={testId}
          onChange={(e) => change(e.target.value)}
        />
      </div>
      {note && (
        <div className={error ? 'setting-error' : 'setting-help'} role={error ? 'alert' : undefined}>
          {note}
        </div>
      )}
    </div>
  );
}
