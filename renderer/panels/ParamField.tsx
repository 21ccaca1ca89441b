import { useEffect, useState } from 'react';
import { isLayerRef, type LayerRef, type ParamValue } from '../../shared/graph/types';
import { checkParam, getLayerSpec, withDefaults } from '../../shared/layers/registry';
import type { ParamSpec } from '../../shared/layers/types';
import { sealHistory } from '../stores/graphStore';

interface Props {
  spec: ParamSpec;
  value: ParamValue | undefined;
  onChange(value: ParamValue): void;
  /** Distinguishes the fields of a nested layer from the outer layer's. */
  idPrefix?: string;
}

function toText(value: ParamValue | undefined): string {
  if (value === undefined || value === null || isLayerRef(value)) return '';
  return Array.isArray(value) ? value.join(',') : String(value);
}

function fromText(spec: ParamSpec, text: string): ParamValue {
  if (spec.kind === 'ints' && spec.nullable && text.trim() === '') return null;
  if (spec.kind === 'shape' || spec.kind === 'ints') {
    return text
      .split(/[,×x\s]+/)
      .filter((part) => part !== '')
      .map(Number);
  }
  if (text.trim() === '') return (spec.kind === 'int' || spec.kind === 'float') && spec.nullable ? null : Number.NaN;
  return Number(text);
}

/** The settings of a wrapped layer: which layer, then its own fields. */
function NestedLayerField({ spec, value, onChange, idPrefix }: { spec: Extract<ParamSpec, { kind: 'layer' }>; value: LayerRef; onChange(v: LayerRef): void; idPrefix: string }) {
  const inner = getLayerSpec(value.type);
  const params = inner ? withDefaults(inner, value.params) : value.params;
  const switchTo = (type: string) => {
    const next = getLayerSpec(type);
    // Keep the settings both layers share, e.g. units when going from LSTM to GRU.
    const kept = next ? Object.fromEntries(Object.entries(value.params).filter(([k]) => next.params.some((p) => p.name === k))) : {};
    onChange({ type, params: kept });
  };
  return (
    <fieldset className="nested-layer">
      <legend>{spec.label}</legend>
      <select id={`${idPrefix}param-${spec.name}`} aria-label={spec.label} value={value.type} onChange={(e) => switchTo(e.target.value)}>
        {spec.options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
      {inner?.params.map((p) => (
        <ParamField
          key={p.name}
          spec={p}
          value={params[p.name]}
          idPrefix={`${idPrefix}${spec.name}-`}
          onChange={(v) => onChange({ type: value.type, params: { ...value.params, [p.name]: v } })}
        />
      ))}
    </fieldset>
  );
}

/** One inspector field, drawn from the parameter's spec. */
const sameValue = (a: ParamValue | undefined, b: ParamValue | undefined) => JSON.stringify(a) === JSON.stringify(b);

export function ParamField({ spec, value, onChange, idPrefix = '' }: Props) {
  const [text, setText] = useState(toText(value));
  // What is typed stays as typed ("5," on the way to "5,5") while it means the value; a
  // value changed elsewhere (undo, a fix) replaces it.
  useEffect(() => setText((typed) => (sameValue(fromText(spec, typed), value) ? typed : toText(value))), [spec, value]);
  const problem = checkParam(spec, value);
  const id = `${idPrefix}param-${spec.name}`;

  if (spec.kind === 'layer') {
    const ref = isLayerRef(value) ? value : spec.default;
    return (
      <div className="field">
        <NestedLayerField spec={spec} value={ref} onChange={onChange} idPrefix={idPrefix} />
        {problem && <div className="field-error">{problem}</div>}
      </div>
    );
  }

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
    case 'ints':
      control = (
        <input
          id={id}
          inputMode={spec.kind === 'shape' || spec.kind === 'ints' ? 'text' : 'decimal'}
          placeholder={spec.kind !== 'shape' && spec.nullable ? (spec.nullLabel ?? 'auto') : undefined}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            onChange(fromText(spec, e.target.value));
          }}
          onBlur={() => {
            // The next typing in this field is a step of its own; "5," reads back as "5".
            sealHistory();
            setText(toText(value));
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
