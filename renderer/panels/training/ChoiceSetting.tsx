import { FIELD_LABELS, type DraftField } from '../../stores/runDraft';
import { useRunDraftStore } from '../../stores/runDraftStore';

interface Props {
  field: DraftField;
  value: string;
  defaultValue: string;
  options: readonly string[];
  labels?: Readonly<Record<string, string>>;
  testId: string;
  error?: string | undefined;
}

/** One of a few named choices, the project's default marked. */
export function ChoiceSetting({ field, value, defaultValue, options, labels, testId, error }: Props) {
  const setValue = useRunDraftStore((s) => s.setValue);
  const id = `setting-${field}`;
  return (
    <div className={`setting${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{FIELD_LABELS[field]}</label>
      <select id={id} value={value} data-testid={testId} onChange={(e) => setValue(field, e.target.value)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {labels?.[o] ?? o}
            {o === defaultValue ? ' (default)' : ''}
          </option>
        ))}
      </select>
      {error && (
        <div className="setting-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
