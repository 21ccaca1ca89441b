/**
 * Fuzzy matching for the command palette: the typed letters must appear in order; runs of
 * consecutive letters, the start of a word and the start of the text score higher, and the
 * typed text found whole scores highest, so "dense" finds Dense before DepthwiseConv2D and
 * "sav" finds Save before "Download project file".
 */

const WORD_BREAK = /[\s\-_.:(/“”"]/;

/** A score (higher is better) or null when the query's letters are not all there in order. */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.trim().toLowerCase();
  if (q === '') return 0;
  const t = text.toLowerCase();
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const ch of q) {
    if (ch === ' ') continue;
    const at = t.indexOf(ch, from);
    if (at < 0) return null;
    const wordStart = at === 0 || WORD_BREAK.test(t[at - 1]!);
    score += 1 + (at === previous + 1 ? 3 : 0) + (wordStart ? 2 : 0);
    previous = at;
    from = at + 1;
  }
  const whole = t.indexOf(q);
  if (whole >= 0) {
    const startsWord = whole === 0 || WORD_BREAK.test(t[whole - 1]!);
    const endsWord = whole + q.length === t.length || WORD_BREAK.test(t[whole + q.length]!);
    score += 10 + (startsWord ? 10 : 0) + (startsWord && endsWord ? 20 : 0);
  }
  // Shorter texts with the same letters are the closer match.
  return score - t.length / 100;
}

/** How far below the first text a match in the later ones (a description) ranks. */
const SECONDARY_PENALTY = 30;

/**
 * The items that match, best first; ties keep their order. `textsOf` gives an item's name
 * first, then texts that may also match, such as its description.
 */
export function fuzzyFilter<T>(items: readonly T[], query: string, textsOf: (item: T) => readonly string[]): T[] {
  const scored = items.map((item, index) => {
    const [name = '', ...rest] = textsOf(item);
    const scores = [fuzzyScore(query, name), ...rest.map((text) => fuzzyScore(query, text))].map((s, i) => (s === null ? null : i === 0 ? s : s - SECONDARY_PENALTY));
    const best = scores.reduce<number | null>((a, b) => (b === null ? a : a === null ? b : Math.max(a, b)), null);
    return { item, index, score: best };
  });
  return scored
    .filter((x): x is { item: T; index: number; score: number } => x.score !== null)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((x) => x.item);
}
