import { useEffect, useRef, useState } from 'react';
import { ExamplePicker } from './ExamplePicker';
import { TryAnswer } from './TryAnswer';
import { fieldNamedIn, fieldProblem, rangeHint, typicalValues } from './tryForms.js';
import { setInput, useInsightStore } from '../../stores/insightStore';
import type { InputField, InsightInfo } from '../../../shared/api/insight';

/** A change of a field waits this long before the network is asked, so typing a number asks once. */
const SETTLE_MS = 300;

function Field({ field, value, problem, onChange }: { field: InputField; value: string; problem: string | null; onChange(value: string): void }) {
  const id = `try-field-${field.name}`;
  const hint = rangeHint(field);
  return (
    <div className={`setting${problem ? ' invalid' : ''}`} data-testid="table-field" data-field={field.name}>
      <label htmlFor={id}>{field.name}</label>
      {field.type === 'category' ? (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          {(field.values ?? []).map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      ) : (
        <input id={id} type="number" step="any" value={value} aria-invalid={problem !== null} onChange={(e) => onChange(e.target.value)} />
      )}
      {problem ? (
        <span className="setting-error" role="alert">
          {problem}
        </span>
      ) : (
        hint && <span className="setting-help">{hint}</span>
      )}
    </div>
  );
}

/** A table row to fill in: one field per feature column, in its own units and categories, starting from typical values. */
export function TableForm({ info }: { info: InsightInfo }) {
  const [values, setValues] = useState(() => typicalValues(info.fields));
  const error = useInsightStore((s) => s.predictError);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const ask = (row: Record<string, string>, delay: number) => {
    if (timer.current) clearTimeout(timer.current);
    if (info.fields.some((field) => fieldProblem(field, row[field.name] ?? ''))) return;
    timer.current = setTimeout(() => setInput({ kind: 'row', values: row }, 'Your row'), delay);
  };
  useEffect(() => {
    const start = typicalValues(info.fields);
    setValues(start);
    ask(start, 0);
    return () => void (timer.current && clearTimeout(timer.current));
    // The form starts again for another run's columns.
  }, [info]);

  const change = (name: string, value: string) => {
    const row = { ...values, [name]: value };
    setValues(row);
    ask(row, SETTLE_MS);
  };
  // The Analyst's refusal of a value names its column: shown beside that field.
  const refused = error ? fieldNamedIn(error, info.fields) : null;

  return (
    <div className="try-table">
      <form className="try-inputs table-form" data-testid="table-form" onSubmit={(e) => e.preventDefault()}>
        {info.fields.map((field) => (
          <Field
            key={field.name}
            field={field}
            value={values[field.name] ?? ''}
            problem={fieldProblem(field, values[field.name] ?? '') ?? (refused === field.name ? error : null)}
            onChange={(value) => change(field.name, value)}
          />
        ))}
        <div className="try-controls">
          <button
            type="button"
            onClick={() => {
              const start = typicalValues(info.fields);
              setValues(start);
              ask(start, 0);
            }}
          >
            Back to typical values
          </button>
        </div>
        <ExamplePicker count={info.testCount} onPick={(index) => setInput({ kind: 'example', split: 'test', index }, `Test example ${index}`)} />
      </form>
      {refused === null || !error ? <TryAnswer /> : null}
    </div>
  );
}
