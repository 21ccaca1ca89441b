import type { InputField } from '../../../shared/api/insight.js';

/** The word a text network reads in place of one outside its vocabulary. */
export const UNKNOWN_TOKEN = '<unk>';

export interface ReadToken {
  text: string;
  unknown: boolean;
}

/** The tokens a text network read, padding left out, words outside its vocabulary marked. */
export function readTokens(tokens: readonly string[]): ReadToken[] {
  return tokens.filter((t) => t !== '' && t !== '<pad>').map((text) => ({ text, unknown: text === UNKNOWN_TOKEN }));
}

/** Reviews to start from, one clearly each way and one that is not. */
export const EXAMPLE_REVIEWS: readonly { label: string; text: string }[] = [
  { label: 'Loved it', text: 'A wonderful film with a brilliant cast. The story is moving and the ending is perfect. I loved every minute of it.' },
  { label: 'Hated it', text: 'This was the worst movie I have ever seen. The plot is boring, the acting is terrible and it is far too long. A waste of time.' },
  { label: 'Mixed', text: 'The actors are good and the music is great, but the story is slow and the ending made no sense to me.' },
];

/** A table form's starting values: each field's typical value. */
export function typicalValues(fields: readonly InputField[]): Record<string, string> {
  return Object.fromEntries(fields.map((field) => [field.name, field.typical]));
}

/** What is wrong with a value typed into a form's field, in words, or null. */
export function fieldProblem(field: InputField, value: string): string | null {
  const text = value.trim();
  if (field.type === 'category') {
    return field.values && !field.values.includes(text) ? `${field.name} is one of ${field.values.join(', ')}.` : null;
  }
  if (text === '') return `${field.name} needs a number.`;
  if (!Number.isFinite(Number(text))) return `${field.name} needs a number, not "${text}".`;
  return null;
}

/** A number field's hint: the training rows' range, in the column's own units. */
export function rangeHint(field: InputField): string | null {
  if (field.type !== 'number' || field.min === undefined || field.max === undefined) return null;
  return `${field.name} in training: ${formatNumber(field.min)} to ${formatNumber(field.max)}`;
}

/** The field an error message names, so it can be shown beside that field: the longest name that appears. */
export function fieldNamedIn(message: string, fields: readonly InputField[]): string | null {
  let best: string | null = null;
  for (const { name } of fields) if (message.includes(name) && (best === null || name.length > best.length)) best = name;
  return best;
}

/** A number as a person reads it: up to four significant digits, no exponent for everyday sizes. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return value.toExponential(2);
  return Number(value.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}
