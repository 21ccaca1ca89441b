import type { PreparedInput, Session } from '../session.js';

/**
 * The token at each position of a text input, for labels: as the input was prepared, else read
 * back from its ids through the dataset's vocabulary ('' for padding).
 */
export function tokensOf(session: Session, prepared: PreparedInput): string[] {
  if (prepared.tokens) return prepared.tokens;
  const ids = Array.from(prepared.tensor.dataSync(), (v) => Math.round(v));
  const { encoder, corpus } = session.data;
  if (encoder?.kind === 'text') return encoder.decode(ids).map((word, i) => (ids[i] === 0 ? '' : word));
  if (corpus) return ids.map((id) => corpus.tokens[id] ?? String(id));
  return ids.map(String);
}
