import { FIELD_LABELS, type DraftField } from '../../stores/runDraft';
import { useRunDraftStore } from '../../stores/runDraftStore';

interface Props {
  field: DraftField;
  value: string;
  defaultValue: string;
  error: string | undefined;
  testId: string;
  /** Shown under the input when there is no error, e.g. what an empty field means. */
  help?: string;
  placeholder?: string;
}

/** A number typed as text: kept as typed, checked, and refused with a plain message when wrong. */
export function TextSetting({ field, value, defaultValue, error, testId, help, placeholder }: Props) {
  const setValue = useRunDraftStore((s) => s.setValue);
  const id = `setting-${field}`;
  const note = error ?? (value !== defaultValue ? `project default: ${defaultValue || 'none'}` : help);
  return (
    <div className={`setting${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{FIELD_LABELS[field]}</label>
      <input
        id={id}
        inputMode="decimal"
        autoComplete="off"
        spellCheck={false}
        value={value}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={note ? `${id}-note` : undefined}
        data-testid={testId}
        onChange={(e) => setValue(field, e.target.value)}
      />
      {note && (
        <div id={`${id}-note`} className={error ? 'setting-error' : 'setting-help'} role={error ? 'alert' : undefined}>
          {note}
        </div>
      )}
    </div>
  );
}
