import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { classCounts, DatasetError, type LoadedDataset } from '../../../../electron/data/dataset.js';
import { loadImdb } from '../../../../electron/data/imdb.js';
import { buildVocabulary, encodeWords, stripHtml, tokenizeWords, vocabularyIndex } from '../../../../electron/data/tokenize.js';

describe('word tokenizer', () => {
  it('lower-cases and keeps apostrophes inside words; HTML tags go only when stripped first, as IMDB reviews are', () => {
    expect(stripHtml('one<br /><br />two')).toBe('one  two');
    expect(tokenizeWords(stripHtml("It's GREAT.<br /><br />Don't miss it -- 10/10 'quoted'"))).toEqual(["it's", 'great', "don't", 'miss', 'it', '10', '10', 'quoted']);
    expect(tokenizeWords('Stubb’s boat')).toEqual(["stubb's", 'boat']);
    expect(tokenizeWords('if a < b and c > d')).toEqual(['if', 'a', 'b', 'and', 'c', 'd']);
  });

  it('keeps . , ! ? as tokens when asked', () => {
    expect(tokenizeWords('Wait, what?! Yes.', { punctuation: true })).toEqual(['wait', ',', 'what', '?', '!', 'yes', '.']);
    expect(tokenizeWords('Wait, what?! Yes.')).toEqual(['wait', 'what', 'yes']);
  });

  it('builds a vocabulary with pad and unknown first, then by frequency with ties alphabetical', () => {
    const docs = [
      ['b', 'a', 'c', 'c'],
      ['d', 'b', 'c', 'a'],
    ];
    expect(buildVocabulary(docs, 5)).toEqual(['<pad>', '<unk>', 'c', 'a', 'b']);
    expect(buildVocabulary(docs.slice().reverse(), 5)).toEqual(['<pad>', '<unk>', 'c', 'a', 'b']);
    const index = vocabularyIndex(buildVocabulary(docs, 5));
    expect([...encodeWords(['c', 'd', 'a', 'zebra'], index)]).toEqual([2, 1, 3, 1]);
  });
});

describe('loadImdb', () => {
  let data: LoadedDataset;
  let ms = 0;
  beforeAll(async () => {
    const started = performance.now();
    data = await loadImdb();
    ms = performance.now() - started;
  });

  it('loads 10,000 training and 2,500 test reviews, half of each sentiment, in a few seconds', () => {
    expect(ms).toBeLessThan(15_000);
    expect(data.kind).toBe('text');
    expect(data.classes).toEqual(['negative', 'positive']);
    expect(data.train.count).toBe(10_000);
    expect(data.test.count).toBe(2_500);
    expect(classCounts(data.train, 2)).toEqual([5_000, 5_000]);
    expect(classCounts(data.test, 2)).toEqual([1_250, 1_250]);
    // Shuffled: the classes are mixed, not one block after the other.
    expect(new Set(data.train.labels!.subarray(0, 20)).size).toBe(2);
  });

  it('gives each review 200 word ids below the vocabulary, padded with zeros at the end', () => {
    expect(data.inputShape).toEqual([200]);
    expect(data.vocabulary).toBe(10_000);
    const all = Array.from({ length: data.test.count }, (_, i) => i);
    const ids = data.test.features(all);
    expect(ids.length).toBe(2_500 * 200);
    let max = 0;
    let padded = -1;
    for (let r = 0; r < data.test.count; r++) {
      const row = ids.subarray(r * 200, (r + 1) * 200);
      for (const id of row) max = Math.max(max, id);
      expect(Number.isInteger(row[0])).toBe(true);
      expect(row[0]).toBeGreaterThan(0);
      const firstPad = row.indexOf(0);
      if (firstPad > 0) {
        expect(row.subarray(firstPad).every((id) => id === 0)).toBe(true);
        padded = r;
      }
    }
    expect(max).toBeLessThan(10_000);
    expect(max).toBeGreaterThan(9_000);
    expect(padded).toBeGreaterThanOrEqual(0);
    // Common words get small ids: "the" is the most frequent word.
    const trainIds = data.train.features([0, 1, 2, 3, 4]);
    expect(trainIds.includes(2)).toBe(true);
  });

  it('previews the start of real training reviews without HTML, with their labels', () => {
    const preview = data.preview(5);
    if (preview.kind !== 'text') throw new Error(`expected a text preview, got ${preview.kind}`);
    expect(preview.snippets).toHaveLength(5);
    preview.snippets.forEach((s, i) => {
      expect(s.text.length).toBeGreaterThan(20);
      expect(s.text.length).toBeLessThanOrEqual(301);
      expect(s.text).not.toContain('<br');
      expect(s.label).toBe(['negative', 'positive'][data.train.labels![i]!]);
    });
  });

  it('picks the same reviews every time and honours smaller settings', async () => {
    const small = await loadImdb({ vocabulary: 500, length: 50, train: 200, test: 100 });
    const again = await loadImdb({ vocabulary: 500, length: 50, train: 200, test: 100 });
    expect(small.train.count).toBe(200);
    expect(classCounts(small.test, 2)).toEqual([50, 50]);
    expect(small.vocabulary).toBe(500);
    expect(small.inputShape).toEqual([50]);
    const all = Array.from({ length: 200 }, (_, i) => i);
    expect(again.train.features(all)).toEqual(small.train.features(all));
    expect(again.preview(3)).toEqual(small.preview(3));
    expect(Math.max(...small.train.features(all))).toBe(499);
  });

  it('refuses more reviews than there are, and names a broken file', async () => {
    await expect(loadImdb({ train: 40_000, test: 20_000 })).rejects.toThrow(DatasetError);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nc-'));
    const broken = path.join(dir, 'reviews.json');
    await writeFile(broken, '[{"t": "good", "s": 1}, ');
    await expect(loadImdb({}, broken)).rejects.toThrow(`${broken} is not valid JSON`);
    await expect(loadImdb({}, path.join(dir, 'missing.json'))).rejects.toThrow(`${path.join(dir, 'missing.json')} cannot be read (ENOENT)`);
    await rm(dir, { recursive: true });
  });

  it('reads reviews without their HTML line breaks', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nc-'));
    const file = path.join(dir, 'reviews.json');
    const reviews = [...new Array(4).fill({ t: 'Loved it.<br /><br />Great film', s: 1 }), ...new Array(4).fill({ t: 'Hated it.<br />Dull film', s: 0 })];
    await writeFile(file, JSON.stringify(reviews));
    const small = await loadImdb({ vocabulary: 100, length: 6, train: 4, test: 2 }, file);
    // loved, it, great, film, hated, dull, after <pad> and <unk>: no "br".
    expect(small.vocabulary).toBe(8);
    expect(Array.from(small.train.features([0]).subarray(4))).toEqual([0, 0]);
    await rm(dir, { recursive: true });
  });

  it('skips reviews without text or sentiment and says how many', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nc-'));
    const file = path.join(dir, 'reviews.json');
    const reviews = [
      ...Array.from({ length: 10 }, (_, i) => ({ t: `a fine film number ${i}`, s: 1 })),
      ...Array.from({ length: 10 }, (_, i) => ({ t: `a dull film number ${i}`, s: 0 })),
      { t: 'no sentiment' },
      { s: 2, t: 'odd' },
    ];
    await writeFile(file, JSON.stringify(reviews));
    const small = await loadImdb({ vocabulary: 100, length: 8, train: 10, test: 4 }, file);
    expect(small.problems).toEqual([{ file, message: '2 reviews, the first being number 21, have no text or no sentiment 0 or 1; they are skipped.' }]);
    expect(classCounts(small.train, 2)).toEqual([5, 5]);
    expect(Array.from(small.train.features([0]).subarray(5))).toEqual([0, 0, 0]);
    await rm(dir, { recursive: true });
  });
});
