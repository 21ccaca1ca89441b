import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSourceOptions, likelyKind, sourceFromArgument, SourceOptionError, type SourceOptions } from '../../../../electron/data/guess.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nc-guess-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh folder inside the test's temp folder. */
async function folder(name: string): Promise<string> {
  const where = path.join(dir, name);
  await mkdir(where, { recursive: true });
  return where;
}

/** A .npy file of float32 zeros with the given shape. */
async function npyFile(name: string, shape: number[]): Promise<string> {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const padded = dict.padEnd(Math.ceil((dict.length + 11) / 64) * 64 - 11, ' ') + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(padded.length, 8);
  const file = path.join(dir, name);
  await writeFile(file, Buffer.concat([head, Buffer.from(padded, 'latin1'), Buffer.alloc(4 * shape.reduce((a, b) => a * b, 1))]));
  return file;
}

const optionError = (run: () => unknown): SourceOptionError => {
  try {
    run();
  } catch (err) {
    if (err instanceof SourceOptionError) return err;
    throw err;
  }
  throw new Error('no SourceOptionError was thrown');
};

describe('sourceFromArgument', () => {
  it('judges a folder by what it holds, leaving out hidden folders and __MACOSX', async () => {
    const texts = await folder('texts');
    await mkdir(path.join(texts, '.git'));
    await mkdir(path.join(texts, '__MACOSX'));
    await writeFile(path.join(texts, 'a.txt'), 'some words');
    expect(await sourceFromArgument(texts)).toMatchObject({ kind: 'text', path: texts });

    const photos = await folder('photos');
    await mkdir(path.join(photos, 'cat'));
    await mkdir(path.join(photos, '.thumbnails'));
    expect((await sourceFromArgument(photos)).kind).toBe('image-folder');
  });

  it('reads text from .txt, .text, .md and files without an extension', async () => {
    for (const name of ['book.txt', 'book.text', 'notes.md', 'README']) {
      const file = path.join(dir, name);
      await writeFile(file, 'once upon a time');
      expect((await sourceFromArgument(file)).kind).toBe('text');
    }
  });

  it('refuses to guess a file with an unknown extension, naming it and the kinds, unless --kind says', async () => {
    const file = path.join(dir, 'scan.bmp');
    await writeFile(file, 'BM');
    await expect(sourceFromArgument(file)).rejects.toThrow(`${file}: NetCanvas cannot tell what a .bmp file holds. It reads tables (.csv, .tsv, .tab), NumPy arrays (.npy),`);
    await expect(sourceFromArgument(file)).rejects.toThrow(/say which this is with --kind csv\|image-folder\|text\|idx\|npy\.$/);
    expect((await sourceFromArgument(file, { kind: 'text' })).kind).toBe('text');
  });

  it('knows IDX files named with a dot or a dash, gzipped or not, alone or in a folder', async () => {
    for (const name of ['train-images.idx3-ubyte', 't10k-images.idx3-ubyte.gz', 'train-images-idx3-ubyte', 'digits.idx3']) {
      const file = path.join(dir, name);
      await writeFile(file, '');
      expect((await sourceFromArgument(file)).kind).toBe('idx');
    }
    const mnist = await folder('mnist');
    await writeFile(path.join(mnist, 'train-images.idx3-ubyte.gz'), '');
    await writeFile(path.join(mnist, 'notes.txt'), '');
    expect((await sourceFromArgument(mnist)).kind).toBe('idx');
  });

  it("passes a CSV's first-row and delimiter settings on", async () => {
    const file = path.join(dir, 'table.csv');
    await writeFile(file, 'a;b\n1;2\n');
    expect(await sourceFromArgument(file, { header: false, delimiter: ';', target: 'b' })).toMatchObject({ kind: 'csv', header: false, delimiter: ';', target: 'b' });
    expect(await sourceFromArgument(file)).not.toHaveProperty('header');
  });

  it('throws a SourceOptionError for a value its kind does not take', async () => {
    const file = path.join(dir, 'story.txt');
    await writeFile(file, 'once upon a time');
    expect(await sourceFromArgument(file, { vocabulary: 50 })).toMatchObject({ kind: 'text', vocabulary: 50 });
    const err = await sourceFromArgument('imdb', { vocabulary: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceOptionError);
    expect(err).toMatchObject({ option: 'vocabulary', requirement: 'must be at least 100', message: 'vocabulary must be at least 100 (got 50).' });
  });
});

describe('checkSourceOptions', () => {
  it('names the option and what it must be when no kind of source takes its value', () => {
    const cases: [SourceOptions, string, string][] = [
      [{ testFraction: 0.9 }, 'testFraction', 'must be at most 0.5'],
      [{ kind: 'bogus' as SourceOptions['kind'] }, 'kind', 'must be one of csv, image-folder, text, idx, npy'],
      [{ size: [2, 32] }, 'size', 'must be at least 4 on each side'],
      [{ length: 2.5 }, 'length', 'must be a whole number'],
      [{ missing: 'guess' }, 'missing', 'must be one of drop-row, mean, zero, most-frequent'],
      [{ count: 5 }, 'count', 'must be at least 20'],
    ];
    for (const [options, option, requirement] of cases) expect(optionError(() => checkSourceOptions(options))).toMatchObject({ option, requirement });
    expect(() => checkSourceOptions({ testFraction: 0.5, vocabulary: 50, size: [8, 8], kind: 'csv', count: 200 })).not.toThrow();
  });
});

describe('likelyKind', () => {
  it('guesses from the name: tables, images for folders, IDX and .npy arrays of 3 or more axes, a corpus for text', async () => {
    expect(await likelyKind('/nowhere/data.csv')).toBe('table');
    expect(await likelyKind('/nowhere/data.tsv')).toBe('table');
    expect(await likelyKind('/nowhere/data.xyz')).toBe('table');
    expect(await likelyKind(await folder('anything'))).toBe('images');
    expect(await likelyKind('/nowhere/train-images.idx3-ubyte.gz')).toBe('images');
    expect(await likelyKind(await npyFile('pictures.npy', [2, 4, 4]))).toBe('images');
    expect(await likelyKind(await npyFile('rows.npy', [5, 3]))).toBe('table');
    expect(await likelyKind('/nowhere/missing.npy')).toBe('table');
    expect(await likelyKind('/nowhere/book.txt')).toBe('corpus');
  });
});
