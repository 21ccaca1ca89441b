import { stat } from 'node:fs/promises';
import path from 'node:path';
import { collectCapped, DataAccess, DataAccessError, formatBytes, type FolderListing } from './access.js';
import { DatasetError, naturally, type Corpus, type LoadedDataset, type Split } from './dataset.js';
import { buildVocabulary, encodeWords, tokenizeWords, vocabularyIndex } from './tokenize.js';
import type { DataProblem } from '../../shared/data/report.js';
import type { SourceOf } from '../../shared/data/source.js';

/** A user's text file or folder of `.txt` files, with how to cut it into tokens and windows. */
export type TextSource = SourceOf<'text'>;

/** Different characters a character-level corpus keeps, the most frequent ones. */
export const MAX_CHARACTERS = 200;
/** Window length the splits are counted with when the model's Input sets the length. */
export const DEFAULT_WINDOW = 40;

const SNIPPETS_MAX = 50;

export interface CorpusOptions {
  /** What was skipped or repaired while reading the text. */
  problems?: DataProblem[];
  /** Tokens per window when the corpus has no fixed length; 40 when absent. */
  window?: number;
}

/** Windows of `length` tokens, each followed by the token to predict, starting every `stride` tokens. */
export function windowCount(tokens: number, length: number, stride: number): number {
  return Math.max(0, Math.floor((tokens - length - 1) / stride) + 1);
}

/** The windows of ids[from, to) starting every `stride` tokens; an example is a window's `length` input ids. */
export function windowSplit(ids: Corpus['ids'], from: number, to: number, length: number, stride: number): Split {
  return {
    count: windowCount(to - from, length, stride),
    labels: null,
    values: null,
    features(indices) {
      const out = new Float32Array(indices.length * length);
      for (let i = 0; i < indices.length; i++) {
        const start = from + indices[i]! * stride;
        for (let t = 0; t < length; t++) out[i * length + t] = ids[start + t]!;
      }
      return out;
    },
  };
}

/** Decoded text of ids. */
export function decodeCorpus(corpus: Pick<Corpus, 'tokens' | 'joiner'>, ids: ArrayLike<number>): string {
  return Array.from(ids, (id) => corpus.tokens[id] ?? '').join(corpus.joiner);
}

/**
 * A long text as a dataset for language models: training windows every `stride` tokens
 * before `testStart`, test windows side by side after it. Targets are the corpus's next
 * tokens, which the training job reads from `corpus` itself.
 */
export function corpusDataset(name: string, corpus: Corpus, options: CorpusOptions = {}): LoadedDataset {
  const length = corpus.length ?? options.window ?? DEFAULT_WINDOW;
  const train = windowSplit(corpus.ids, 0, corpus.testStart, length, corpus.stride);
  const test = windowSplit(corpus.ids, corpus.testStart, corpus.ids.length, length, length);
  return {
    name,
    kind: 'corpus',
    inputShape: corpus.length === null ? [] : [corpus.length],
    target: { kind: 'next-token' },
    classes: null,
    vocabulary: corpus.tokens.length,
    train,
    test,
    corpus,
    columns: [],
    problems: options.problems ?? [],
    preview(count) {
      // Windows spread over the training text: neighbouring windows at stride 1 would read nearly alike.
      const n = Math.min(Math.max(0, count), SNIPPETS_MAX, train.count);
      const snippets = Array.from({ length: n }, (_, k) => {
        const start = (n === 1 ? 0 : Math.round((k * (train.count - 1)) / (n - 1))) * corpus.stride;
        return { text: decodeCorpus(corpus, corpus.ids.subarray(start, start + length)), label: null };
      });
      return { kind: 'text', snippets };
    },
  };
}

function osError(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

/**
 * The files to read: `target` itself, or the `.txt` files of a folder in natural name order
 * ("ch2" before "ch10"); links are followed unless they lead where data may not be read.
 */
async function listFiles(target: string, access: DataAccess, problems: DataProblem[]): Promise<{ files: string[]; isFolder: boolean }> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(target)).isDirectory();
  } catch (err) {
    throw new DatasetError(`${target} cannot be read (${osError(err)}): check the path.`, [{ file: target, message: `It cannot be read (${osError(err)}).` }]);
  }
  if (!isFolder) return { files: [target], isFolder };
  let listing: FolderListing;
  try {
    listing = await access.list(target);
  } catch (err) {
    if (err instanceof DataAccessError) throw err;
    throw new DatasetError(`The folder ${target} cannot be read (${osError(err)}): check its permissions.`, [{ file: target, message: `The folder cannot be read (${osError(err)}).` }]);
  }
  const isText = (name: string) => name.toLowerCase().endsWith('.txt');
  const files = listing.files.filter(isText);
  for (const { name, message } of listing.skipped.filter((s) => isText(s.name))) problems.push({ file: path.join(target, name), message });
  files.sort(naturally);
  if (files.length === 0) throw new DatasetError(`The folder ${target} has no .txt files: put the text in files ending in .txt.`, [{ file: target, message: 'The folder has no .txt files.' }]);
  return { files: files.map((f) => path.join(target, f)), isFolder };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The UTF-16 byte order a file's first two bytes mark (FF FE little-endian, FE FF big-endian), or null without such a mark. */
function utf16Order(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * A file's text, UTF-8 or UTF-16 with its byte-order mark (as Windows Notepad saves "Unicode"),
 * with line ends as \n; or the problem that keeps it out. It is read in chunks, stopping once
 * it passes `budget` bytes (`tooBig` says so); a file NetCanvas may not read, or a device, stops
 * the load with its reason.
 */
async function readText(file: string, access: DataAccess, budget: number, tooBig: () => Error): Promise<{ text: string; bytes: number } | DataProblem> {
  const name = path.basename(file);
  let bytes: Buffer;
  try {
    bytes = await collectCapped(access.chunks(file, 'text'), budget, tooBig);
  } catch (err) {
    if (err instanceof DataAccessError) throw err;
    return { file, message: `${name} cannot be read (${osError(err)}); it is skipped.` };
  }
  const order = utf16Order(bytes);
  let text: string;
  if (order) {
    try {
      text = new TextDecoder(order, { fatal: true }).decode(bytes);
    } catch {
      return { file, message: `${name} starts like UTF-16 text but is not valid UTF-16: save it with UTF-8 encoding. It is skipped.` };
    }
  } else {
    if (bytes.includes(0)) return { file, message: `${name} looks like a binary file, not text (it has NUL bytes); it is skipped.` };
    try {
      text = utf8.decode(bytes);
    } catch {
      return { file, message: `${name} is not UTF-8 text: save it with UTF-8 encoding. It is skipped.` };
    }
  }
  if (text.trim() === '') return { file, message: `${name} is empty; it is skipped.` };
  return { text: text.replace(/\r\n?/g, '\n'), bytes: bytes.length };
}

/** Files' texts one after another, each ending a line, so one file's last line does not run into the next one's first. */
function joinLines(texts: readonly string[]): string {
  return texts.map((t, i) => (i < texts.length - 1 && !t.endsWith('\n') ? `${t}\n` : t)).join('');
}

/** A corpus's ids and tokens, and where its held-out part begins. */
interface Encoded {
  ids: Corpus['ids'];
  tokens: string[];
  testStart: number;
}

/** Where the held-out last `testFraction` of `total` tokens begins. */
const heldOutStart = (total: number, testFraction: number): number => total - Math.round(total * testFraction);

/**
 * Characters as tokens: the training part's most frequent MAX_CHARACTERS, in code-point order;
 * its other characters are dropped, and so are the held-out part's characters outside that set,
 * each with one problem counting them.
 */
function characterCorpus(text: string, source: TextSource, problems: DataProblem[]): Encoded {
  let total = 0;
  for (const _ of text) total++;
  const trainEnd = heldOutStart(total, source.testFraction);
  const counts = new Map<string, number>();
  let k = 0;
  for (const c of text) {
    if (k++ === trainEnd) break;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const byCodePoint = (a: string, b: string) => a.codePointAt(0)! - b.codePointAt(0)!;
  const ranked = [...counts].sort(([a, m], [b, n]) => n - m || byCodePoint(a, b));
  const tokens = ranked.slice(0, MAX_CHARACTERS).map(([c]) => c).sort(byCodePoint);
  const dropped = ranked.slice(MAX_CHARACTERS);
  if (dropped.length > 0) {
    const occurrences = dropped.reduce((n, [, count]) => n + count, 0);
    problems.push({
      file: source.path,
      message: `The training text has ${counts.size} different characters; the ${dropped.length} rarest (${occurrences} in all, such as "${dropped[0]![0]}") are left out, since a character model reads at most ${MAX_CHARACTERS}.`,
    });
  }
  const index = new Map(tokens.map((c, i) => [c, i]));
  const ids = new Uint8Array(total);
  const unseen = new Map<string, number>();
  let n = 0;
  let testStart = 0;
  k = 0;
  for (const c of text) {
    if (k === trainEnd) testStart = n;
    const id = index.get(c);
    if (id !== undefined) ids[n++] = id;
    else if (k >= trainEnd) unseen.set(c, (unseen.get(c) ?? 0) + 1);
    k++;
  }
  if (trainEnd === total) testStart = n;
  if (unseen.size > 0) {
    const occurrences = [...unseen.values()].reduce((a, b) => a + b, 0);
    problems.push({
      file: source.path,
      message: `The held-out text has ${occurrences} characters (${unseen.size} different, such as "${unseen.keys().next().value}") that the model does not read, since the training text lacks them or has them too rarely; they are left out.`,
    });
  }
  return { ids: ids.slice(0, n), tokens, testStart };
}

/** The smallest unsigned array that holds ids below `tokens`. */
function idArray(values: ArrayLike<number>, tokens: number): Corpus['ids'] {
  if (tokens <= 256) return Uint8Array.from(values);
  if (tokens <= 65_536) return Uint16Array.from(values);
  return Uint32Array.from(values);
}

/** Words and . , ! ? as tokens: the training part's `vocabulary` most frequent are kept, every other word becomes '<unk>'. */
function wordCorpus(texts: readonly string[], source: TextSource): Encoded {
  const words = texts.flatMap((t) => tokenizeWords(t, { punctuation: true }));
  const testStart = heldOutStart(words.length, source.testFraction);
  const tokens = buildVocabulary([words.slice(0, testStart)], source.vocabulary);
  return { ids: idArray(encodeWords(words, vocabularyIndex(tokens)), tokens.length), tokens, testStart };
}

/**
 * A user's text as a corpus for a language model, read as characters or words: one file,
 * or a folder's `.txt` files one after another in natural name order. Files that are not
 * UTF-8 or UTF-16 text are skipped with a problem naming them; the last `testFraction` of the
 * text is held out. The vocabulary (words) or character set comes from the training part
 * only, so the held-out text is truly unseen: a held-out word outside the vocabulary is
 * '<unk>', a held-out character outside the set is left out (one problem counts them).
 * Files are read through `access`.
 */
export async function loadTextFiles(source: TextSource, access = new DataAccess()): Promise<LoadedDataset> {
  const problems: DataProblem[] = [];
  const texts: string[] = [];
  const { files, isFolder } = await listFiles(source.path, access, problems);
  const limit = access.limit('text');
  const together = (): Error =>
    new DataAccessError('FILE_REFUSED', `The .txt files of ${source.path} hold more than the ${formatBytes(limit)} NetCanvas reads as one text; reading stopped there. Use fewer or smaller files.`, source.path);
  let read = 0;
  for (const file of files) {
    const got = await readText(file, access, limit - read, isFolder ? together : () => access.tooBig(file, 'text'));
    if ('text' in got) {
      texts.push(got.text);
      read += got.bytes;
    } else problems.push(got);
  }
  if (texts.length === 0) throw new DatasetError(`${source.path} has no readable text: every file was skipped.`, problems);
  const { ids, tokens, testStart } = source.level === 'char' ? characterCorpus(joinLines(texts), source, problems) : wordCorpus(texts, source);
  const unit = source.level === 'char' ? 'characters' : 'words';
  if (windowCount(testStart, source.length, source.stride) === 0) {
    throw new DatasetError(
      `${source.path} has ${testStart} ${unit} to train on, too few for one window of ${source.length} and the one after it: add text, or lower the length.`,
      problems,
    );
  }
  if (source.testFraction > 0 && windowCount(ids.length - testStart, source.length, source.length) === 0) {
    problems.push({ file: source.path, message: `The held-out ${ids.length - testStart} ${unit} are too few for one window of ${source.length}, so there is no test score: add text, raise testFraction, or lower the length.` });
  }
  const corpus: Corpus = { ids, testStart, tokens, joiner: source.level === 'char' ? '' : ' ', stride: source.stride, length: source.length };
  return corpusDataset(path.basename(source.path), corpus, { problems });
}
