import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetError, type Corpus } from '../../../../electron/data/dataset.js';
import { corpusDataset, decodeCorpus, loadTextFiles, windowCount, type TextSource } from '../../../../electron/data/text-files.js';
import { encodeText, loadMobyDick, TEXT_ALPHABET } from '../../../../electron/data/text.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nc-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true });
});

const source = (p: string, settings: Partial<TextSource> = {}): TextSource => ({ kind: 'text', path: p, level: 'char', length: 10, stride: 1, vocabulary: 5_000, testFraction: 0.1, ...settings });

const POEM = 'The sea was calm,\r\nthe sky was grey.\r\nA whale rose up\r\nand swam away!\r\n';

describe('loadTextFiles, characters', () => {
  it('reads a file as distinct characters in code-point order, CRLF as \\n, and decodes back to the text', async () => {
    const file = path.join(dir, 'poem.txt');
    await writeFile(file, POEM.repeat(5));
    const data = await loadTextFiles(source(file));
    const text = POEM.replaceAll('\r\n', '\n').repeat(5);
    const corpus = data.corpus!;
    expect(data.kind).toBe('corpus');
    expect(data.name).toBe('poem.txt');
    expect(corpus.tokens).toEqual([...new Set(text)].sort());
    expect(corpus.tokens[0]).toBe('\n');
    expect(corpus.ids).toBeInstanceOf(Uint8Array);
    expect(decodeCorpus(corpus, corpus.ids)).toBe(text);
    expect(corpus.joiner).toBe('');
    expect(data.vocabulary).toBe(corpus.tokens.length);
    expect(data.inputShape).toEqual([10]);
    expect(data.target).toEqual({ kind: 'next-token' });
    expect(data.classes).toBeNull();
    expect(data.problems).toEqual([]);
    expect(corpus.testStart).toBe(text.length - Math.round(text.length * 0.1));
  });

  it('counts training windows at the stride and test windows side by side, and reads them as ids', async () => {
    const file = path.join(dir, 'digits.txt');
    await writeFile(file, '0123456789'.repeat(10));
    const data = await loadTextFiles(source(file, { length: 4, stride: 3, testFraction: 0.2 }));
    // 80 training characters: windows of 4 and the next one start at 0, 3, …, 75.
    expect(data.train.count).toBe(26);
    expect(windowCount(80, 4, 3)).toBe(26);
    // 20 test characters: windows start at 80, 84, 88, 92 (96 has no next character).
    expect(data.test.count).toBe(4);
    const corpus = data.corpus!;
    expect(decodeCorpus(corpus, data.train.features([0, 2]))).toBe('01236789');
    expect(decodeCorpus(corpus, data.test.features([1]))).toBe('4567');
    expect(data.train.labels).toBeNull();
    const preview = data.preview(3);
    expect(preview).toEqual({ kind: 'text', snippets: [{ text: '0123', label: null }, { text: '9012', label: null }, { text: '5678', label: null }] });
  });

  it('reads a folder of .txt files in name order, skipping binary, non-UTF-8 and empty ones with a problem naming each', async () => {
    await writeFile(path.join(dir, 'b.txt'), 'second part');
    await writeFile(path.join(dir, 'a.txt'), 'first part\n');
    await writeFile(path.join(dir, 'c.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a]));
    await writeFile(path.join(dir, 'd.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6b]));
    await writeFile(path.join(dir, 'e.txt'), '  \n');
    await writeFile(path.join(dir, 'f.txt'), 'third');
    await writeFile(path.join(dir, 'notes.md'), 'not read');
    await mkdir(path.join(dir, 'sub.txt'));
    const data = await loadTextFiles(source(dir, { length: 5, testFraction: 0 }));
    const corpus = data.corpus!;
    expect(decodeCorpus(corpus, corpus.ids)).toBe('first part\nsecond part\nthird');
    expect(data.problems).toEqual([
      { file: path.join(dir, 'c.txt'), message: 'c.txt looks like a binary file, not text (it has NUL bytes); it is skipped.' },
      { file: path.join(dir, 'd.txt'), message: 'd.txt is not UTF-8 text: save it with UTF-8 encoding. It is skipped.' },
      { file: path.join(dir, 'e.txt'), message: 'e.txt is empty; it is skipped.' },
    ]);
    expect(data.test.count).toBe(0);
    expect(data.name).toBe(path.basename(dir));
  });

  it('keeps the 200 most frequent characters and reports the rest as one problem', async () => {
    const common = Array.from({ length: 200 }, (_, i) => String.fromCodePoint(0x4e00 + i).repeat(3)).join('');
    const rare = Array.from({ length: 5 }, (_, i) => String.fromCodePoint(0x1f600 + i)).join('');
    const file = path.join(dir, 'many.txt');
    await writeFile(file, common + rare);
    const data = await loadTextFiles(source(file, { testFraction: 0 }));
    expect(data.vocabulary).toBe(200);
    expect(data.corpus!.ids.length).toBe(600);
    expect(data.problems).toEqual([
      { file, message: 'The training text has 205 different characters; the 5 rarest (5 in all, such as "😀") are left out, since a character model reads at most 200.' },
    ]);
  });

  it('takes the characters from the training text only, leaving out and counting held-out ones it lacks', async () => {
    const file = path.join(dir, 'menu.txt');
    await writeFile(file, `${'abc '.repeat(20)}abz café`);
    const data = await loadTextFiles(source(file, { length: 4, testFraction: 0.1 }));
    const corpus = data.corpus!;
    // 88 characters: the first 79 train; "z", "f" and "é" appear only in the last 9, " abz café".
    expect(corpus.tokens).toEqual([' ', 'a', 'b', 'c']);
    expect(corpus.testStart).toBe(79);
    expect(decodeCorpus(corpus, corpus.ids.subarray(corpus.testStart))).toBe(' ab ca');
    expect(data.problems).toEqual([
      {
        file,
        message: 'The held-out text has 3 characters (3 different, such as "z") that the model does not read, since the training text lacks them or has them too rarely; they are left out.',
      },
    ]);
  });

  it('reads a folder in natural name order, and UTF-16 files by their byte-order mark', async () => {
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('tenth café\r\n', 'utf16le')]);
    const utf16be = Buffer.from(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('second ☕', 'utf16le')]).swap16());
    await writeFile(path.join(dir, 'ch10.txt'), utf16le);
    await writeFile(path.join(dir, 'ch2.txt'), utf16be);
    await writeFile(path.join(dir, 'ch1.txt'), 'first\n');
    await writeFile(path.join(dir, 'ch3.txt'), Buffer.from([0xff, 0xfe, 0x41]));
    const data = await loadTextFiles(source(dir, { length: 5, testFraction: 0 }));
    expect(decodeCorpus(data.corpus!, data.corpus!.ids)).toBe('first\nsecond ☕\ntenth café\n');
    expect(data.problems).toEqual([{ file: path.join(dir, 'ch3.txt'), message: 'ch3.txt starts like UTF-16 text but is not valid UTF-16: save it with UTF-8 encoding. It is skipped.' }]);
  });

  it('keeps the user text between < and > instead of taking it for HTML', async () => {
    const file = path.join(dir, 'code.txt');
    await writeFile(file, 'if a < b and c > d then stop.\n'.repeat(3));
    const words = await loadTextFiles(source(file, { level: 'word', length: 3, testFraction: 0 }));
    expect(decodeCorpus(words.corpus!, words.corpus!.ids.subarray(0, 8))).toBe('if a b and c d then stop');
    const chars = await loadTextFiles(source(file, { testFraction: 0 }));
    expect(decodeCorpus(chars.corpus!, chars.corpus!.ids.subarray(0, 18))).toBe('if a < b and c > d');
  });

  it('fails when nothing readable is left, or the text is shorter than one window, naming the path', async () => {
    await writeFile(path.join(dir, 'bin.txt'), Buffer.from([1, 0, 2]));
    const failure = loadTextFiles(source(dir));
    await expect(failure).rejects.toThrow(DatasetError);
    // Said as it is, not as too little text for the window length.
    await expect(failure).rejects.toThrow(`${dir} has no readable text: every file was skipped.`);
    await expect(failure).rejects.toMatchObject({ problems: [{ file: path.join(dir, 'bin.txt') }] });
    await expect(loadTextFiles(source(dir, { level: 'word' }))).rejects.toThrow(`${dir} has no readable text: every file was skipped.`);
    await expect(loadTextFiles(source(path.join(dir, 'nope.txt')))).rejects.toThrow(`${path.join(dir, 'nope.txt')} cannot be read (ENOENT)`);
    const empty = await mkdtemp(path.join(dir, 'empty-'));
    await expect(loadTextFiles(source(empty))).rejects.toThrow(`The folder ${empty} has no .txt files`);
    const short = path.join(dir, 'short.txt');
    await writeFile(short, 'tiny text');
    await expect(loadTextFiles(source(short))).rejects.toThrow(`${short} has 8 characters to train on, too few for one window of 10`);
  });
});

describe('loadTextFiles, words', () => {
  it('reads words and punctuation against a vocabulary of the most frequent ones', async () => {
    const file = path.join(dir, 'words.txt');
    await writeFile(file, 'The cat sat. The cat ran!\r\nA dog sat, the end?\n'.repeat(4));
    const data = await loadTextFiles(source(file, { level: 'word', vocabulary: 10, length: 3, stride: 2, testFraction: 0.25 }));
    const corpus = data.corpus!;
    expect(corpus.tokens).toEqual(['<pad>', '<unk>', 'the', 'cat', 'sat', '!', ',', '.', '?', 'a']);
    expect(corpus.joiner).toBe(' ');
    expect(corpus.ids).toBeInstanceOf(Uint8Array);
    expect(corpus.ids.length).toBe(4 * 15);
    expect(decodeCorpus(corpus, corpus.ids.subarray(0, 15))).toBe('the cat sat . the cat <unk> ! a <unk> sat , the <unk> ?');
    expect(corpus.testStart).toBe(45);
    expect(data.train.count).toBe(windowCount(45, 3, 2));
    expect(data.train.count).toBe(21);
    expect(data.test.count).toBe(4);
  });

  it('builds the vocabulary from the training words only: held-out words it lacks are <unk>', async () => {
    const file = path.join(dir, 'story.txt');
    await writeFile(file, `${'the whale swam . '.repeat(9)}the squid swam .`);
    const data = await loadTextFiles(source(file, { level: 'word', length: 3, testFraction: 0.1 }));
    const corpus = data.corpus!;
    expect(corpus.tokens).toEqual(['<pad>', '<unk>', '.', 'swam', 'the', 'whale']);
    expect(corpus.testStart).toBe(36);
    expect(decodeCorpus(corpus, corpus.ids.subarray(corpus.testStart))).toBe('the <unk> swam .');
    expect(data.problems).toEqual([]);
  });

  it('stores ids in 16 bits once there are more than 256 tokens', async () => {
    const file = path.join(dir, 'numbers.txt');
    await writeFile(file, Array.from({ length: 400 }, (_, i) => `w${i}`).join(' '));
    const data = await loadTextFiles(source(file, { level: 'word', vocabulary: 1_000, testFraction: 0 }));
    expect(data.vocabulary).toBe(402);
    expect(data.corpus!.ids).toBeInstanceOf(Uint16Array);
    expect(decodeCorpus(data.corpus!, data.corpus!.ids.subarray(0, 3))).toBe('w0 w1 w2');
  });
});

describe('corpusDataset', () => {
  it('wraps a corpus whose length the model sets, counting windows of 40', () => {
    const ids = encodeText('call me ishmael. some years ago, never mind how long precisely. '.repeat(20));
    const testStart = Math.floor(ids.length * 0.9);
    const corpus: Corpus = { ids, testStart, tokens: [...TEXT_ALPHABET], joiner: '', stride: 1, length: null };
    const data = corpusDataset('Moby-Dick', corpus);
    expect(data.inputShape).toEqual([]);
    expect(data.vocabulary).toBe(39);
    expect(data.train.count).toBe(testStart - 40);
    expect(data.test.count).toBe(Math.floor((ids.length - testStart - 41) / 40) + 1);
    expect(decodeCorpus(corpus, data.train.features([0]))).toBe('call me ishmael. some years ago, never m');
    expect(corpusDataset('Moby-Dick', corpus, { window: 100 }).train.count).toBe(testStart - 100);
  });

  it('wraps the real Moby-Dick, held out from its last chapters', async () => {
    const text = await loadMobyDick();
    const data = corpusDataset('Moby-Dick', { ids: text.ids, testStart: text.testStart, tokens: [...text.alphabet], joiner: '', stride: 1, length: null });
    expect(data.train.count).toBe(text.testStart - 40);
    expect(data.test.count).toBeGreaterThan(2_000);
    const preview = data.preview(4);
    if (preview.kind !== 'text') throw new Error(`expected a text preview, got ${preview.kind}`);
    expect(preview.snippets.map((s) => s.text.length)).toEqual([40, 40, 40, 40]);
    expect(preview.snippets[0]!.text).toBe(decodeCorpus(data.corpus!, text.ids.subarray(0, 40)));
  });
});
