import { useEffect, useState } from 'react';
import type { ParamValue } from '../../shared/graph/types';
import { checkParam } from '../../shared/layers/registry';
import type { ParamSpec } from '../../shared/layers/types';

interface Props {
  spec: ParamSpec;
  value: ParamValue | undefined;
  onChange(value: ParamValue): void;
}

function toText(value: ParamValue | undefined): string {
  return Array.isArray(value) ? value.join(',') : value === undefined ? '' : String(value);
}

function fromText(spec: ParamSpec, text: string): ParamValue {
  if (spec.kind === 'shape') return text.split(',').map((part) => Number(part.trim()));
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** One inspector field, drawn from the parameter's spec. */
export function ParamField({ spec, value, onChange }: Props) {
  const [text, setText] = useState(toText(value));
  useEffect(() => setText(toText(value)), [value]);
  const problem = checkParam(spec, value);
  const id = `param-${spec.name}`;

  let control;
  switch (spec.kind) {
    case 'enum':
      control = (
        <select id={id} value={String(value)} onChange={(e) => onChange(e.target.value)}>
          {spec.options.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      );
      break;
    case 'bool':
      control = <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
      break;
    case 'int':
    case 'float':
    case 'shape':
      control = (
        <input
          id={id}
          inputMode={spec.kind === 'shape' ? 'text' : 'decimal'}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            onChange(fromText(spec, e.target.value));
          }}
        />
      );
      break;
  }
  return (
    <div className="field">
      <label htmlFor={id} title={spec.help}>
        {spec.label}
      </label>
      {control}
      <div className={problem ? 'field-error' : 'field-help'}>{problem ?? spec.help}</div>
    </div>
  );
}
