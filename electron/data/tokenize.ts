/**
 * Words of English text for word-level models: IMDB reviews and users' text files are
 * read through these functions, so both see the same words. Only IMDB's reviews, which
 * hold HTML line breaks, go through `stripHtml` first; a user's text is read as it is.
 */

/** The id of padding, which fills a document shorter than the model's length. */
export const PAD_ID = 0;
/** The id of every word left out of the vocabulary. */
export const UNKNOWN_ID = 1;
/** Tokens with reserved ids, in id order, at the start of every vocabulary. */
export const RESERVED_TOKENS = ['<pad>', '<unk>'] as const;

export interface TokenizeOptions {
  /** Keep . , ! ? as tokens of their own, as a corpus for language models needs. */
  punctuation?: boolean;
}

const WORDS = /[\p{L}\p{M}\p{N}]+(?:'[\p{L}\p{M}\p{N}]+)*/gu;
const WORDS_AND_PUNCTUATION = /[\p{L}\p{M}\p{N}]+(?:'[\p{L}\p{M}\p{N}]+)*|[.,!?]/gu;

/** Text without HTML tags such as the `<br />` in IMDB reviews; each tag becomes a space. */
export function stripHtml(text: string): string {
  return text.replace(/<[^>]*>/g, ' ');
}

/** Lower-cased words (letters and digits, with apostrophes inside words such as "don't"), in order. */
export function tokenizeWords(text: string, options: TokenizeOptions = {}): string[] {
  const clean = text.toLowerCase().replace(/[‘’]/g, "'");
  return clean.match(options.punctuation ? WORDS_AND_PUNCTUATION : WORDS) ?? [];
}

/**
 * The `size` tokens a model knows: '<pad>' (id 0), '<unk>' (id 1), then the most frequent
 * words of `documents`, ties in alphabetical order so the same text gives the same ids.
 */
export function buildVocabulary(documents: Iterable<readonly string[]>, size: number): string[] {
  const counts = new Map<string, number>();
  for (const words of documents) for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  const ranked = [...counts].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0));
  return [...RESERVED_TOKENS, ...ranked.slice(0, Math.max(0, size - RESERVED_TOKENS.length)).map(([word]) => word)];
}

/** Each token's id, for encoding many documents against one vocabulary. */
export function vocabularyIndex(tokens: readonly string[]): Map<string, number> {
  return new Map(tokens.map((token, id) => [token, id]));
}

/** Word ids of `words`; a word outside the vocabulary gets the unknown id 1. */
export function encodeWords(words: readonly string[], vocabulary: ReadonlyMap<string, number>): Uint32Array {
  const ids = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) ids[i] = vocabulary.get(words[i]!) ?? UNKNOWN_ID;
  return ids;
}
