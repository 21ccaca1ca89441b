import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvDataset, loadCsv, looksLikeHeader, parseDate, parseDelimited, type CsvSource } from '../../../../electron/data/csv.js';
import { DatasetError, type Split } from '../../../../electron/data/dataset.js';
import { csvSourceSchema, type DatasetSourceInput } from '../../../../shared/data/source.js';

const source = (settings: Omit<Extract<DatasetSourceInput, { kind: 'csv' }>, 'kind' | 'path'> = {}, file = 'data.csv'): CsvSource =>
  csvSourceSchema.parse({ kind: 'csv', path: file, ...settings });

const COLORS = ['red', 'green', 'blue'];

/** A table of people: a number, a category, free text, a date and a yes/no class to predict. */
function people(rows = 40): string[] {
  const lines = ['age,color,name,joined,bought'];
  for (let i = 0; i < rows; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    lines.push(`${20 + i},${COLORS[i % 3]},person ${i},2020-03-${day},${i % 2 === 0 ? 'yes' : 'no'}`);
  }
  return lines;
}

/** All examples of a split, one row of numbers each. */
function rowsOf(split: Split, width: number): number[][] {
  const all = split.features(Array.from({ length: split.count }, (_, i) => i));
  return Array.from({ length: split.count }, (_, i) => Array.from(all.subarray(i * width, (i + 1) * width)));
}

const meanStd = (xs: number[]): [number, number] => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return [mean, Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length)];
};

describe('parseDelimited', () => {
  it('reads quoted delimiters, doubled quotes, line breaks inside quotes, CRLF and a byte-order mark', () => {
    const text = '\ufeffname,note,n\r\n"Smith, Jo","said ""hi""",1\r\nLee,"two\r\nlines",2\r\n\r\nKim,,3';
    const parsed = parseDelimited(text);
    expect(parsed.delimiter).toBe(',');
    expect(parsed.records).toEqual([
      { line: 1, cells: ['name', 'note', 'n'] },
      { line: 2, cells: ['Smith, Jo', 'said "hi"', '1'] },
      { line: 3, cells: ['Lee', 'two\r\nlines', '2'] },
      { line: 6, cells: ['Kim', '', '3'] },
    ]);
    expect(parsed.unclosedQuoteLine).toBeNull();
  });

  it('finds tabs and semicolons, and keeps commas inside values', () => {
    expect(parseDelimited('a\tb\tc\n1,5\t2\t3\n4\t5,5\t6\n').delimiter).toBe('\t');
    expect(parseDelimited('a;b\n1,5;2\n3;4,25\n').delimiter).toBe(';');
    const quoted = parseDelimited('city,size\n"Paris, France",3\n"Rome; Italy",2\n');
    expect(quoted.delimiter).toBe(',');
    expect(quoted.records[2]!.cells).toEqual(['Rome; Italy', '2']);
  });

  it('says where a quote is never closed', () => {
    expect(parseDelimited('a,b\n1,2\n3,"oops\n5,6\n').unclosedQuoteLine).toBe(3);
  });
});

describe('header and type detection', () => {
  it('sees a header above numbers, and none in a table of numbers or of repeated words', () => {
    expect(looksLikeHeader(['height', 'weight'], [['1.8', '80'], ['1.7', '65']])).toBe(true);
    expect(looksLikeHeader(['1.8', '80'], [['1.7', '65']])).toBe(false);
    expect(looksLikeHeader(['red', 'small'], [['blue', 'large'], ['red', 'large']])).toBe(false);
    expect(looksLikeHeader(['colour', 'size'], [['blue', 'large'], ['red', 'small']])).toBe(true);
  });

  it('names the columns of a file without a header by position', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `${i},${i * 2},${i % 3}`);
    const data = csvDataset(lines.join('\n'), source(), 'numbers.csv');
    expect(data.columns.map((c) => c.name)).toEqual(['column 1', 'column 2', 'column 3']);
    expect(data.train.count + data.test.count).toBe(30);
    // The last column holds three whole-number codes, so it is a class target.
    expect(data.target).toEqual({ kind: 'classes' });
    expect(data.classes).toEqual(['0', '1', '2']);
  });

  it('sees a header of year-like names above numbers, and none in a first row of data with a missing mark', () => {
    expect(looksLikeHeader(['2019', '2020', 'label'], [['1.5', '2.5', '0'], ['3.5', '1.0', '1']])).toBe(true);
    // All different, and a year above a column of words.
    expect(looksLikeHeader(['2019', 'note'], [['a', 'x'], ['b', 'y']])).toBe(true);
    expect(looksLikeHeader(['?', 'red', 'yes'], [['3', 'blue', 'no'], ['5', 'red', 'yes'], ['7', 'green', 'no']])).toBe(false);
    expect(looksLikeHeader(['', 'NA', 'red'], [['3', '4', 'blue'], ['5', '6', 'red']])).toBe(false);
    // A pandas index column: the empty first name does not hide the names beside it.
    expect(looksLikeHeader(['', 'height', 'kind'], [['0', '1.5', 'a'], ['1', '2.5', 'b']])).toBe(true);

    const years = ['2019,2020,label', ...Array.from({ length: 20 }, (_, i) => `${i * 1.5},${i * 2.5},${i % 2}`)];
    const table = csvDataset(years.join('\n'), source(), 'years.csv');
    expect(table.columns.map((c) => c.name)).toEqual(['2019', '2020', 'label']);
    expect(table.train.count + table.test.count).toBe(20);

    const plain = ['?,red,yes', ...Array.from({ length: 20 }, (_, i) => `${i},${COLORS[i % 3]},${i % 2 ? 'yes' : 'no'}`)];
    const data = csvDataset(plain.join('\n'), source({ missing: 'mean' }), 'plain.csv');
    expect(data.columns.map((c) => c.name)).toEqual(['column 1', 'column 2', 'column 3']);
    expect(data.train.count + data.test.count).toBe(21);
    expect(data.problems).toEqual([{ line: 1, message: expect.stringMatching(/^plain\.csv line 1: column "column 1" has no value \("\?"\); filled in with the column's mean/) }]);
  });

  it('reads the first row as the source says, whatever it looks like', () => {
    const names = ['height,kind', ...Array.from({ length: 10 }, (_, i) => `${i + 1},${i % 2 ? 'a' : 'b'}`)].join('\n');
    const asData = csvDataset(names, source({ header: false, missing: 'zero' }), 'names.csv');
    expect(asData.columns.map((c) => c.name)).toEqual(['column 1', 'column 2']);
    expect(asData.train.count + asData.test.count).toBe(11);
    expect(asData.classes).toEqual(['a', 'b', 'kind']);

    const numbers = ['1,2,3', ...Array.from({ length: 10 }, (_, i) => `${i},${i * 2},${i % 2}`)].join('\n');
    expect(csvDataset(numbers, source(), 'numbers.csv').columns.map((c) => c.name)).toEqual(['column 1', 'column 2', 'column 3']);
    const named = csvDataset(numbers, source({ header: true }), 'numbers.csv');
    expect(named.columns.map((c) => c.name)).toEqual(['1', '2', '3']);
    expect(named.train.count + named.test.count).toBe(10);
  });

  it('splits on the delimiter the source names rather than the one it would find', () => {
    const text = 'a,b;c\n1,2;3\n4,5;6\n7,8;9\n';
    expect(csvDataset(text, source(), 'mixed.csv').columns.map((c) => c.name)).toEqual(['a,b', 'c']);
    const commas = csvDataset(text, source({ delimiter: ',' }), 'mixed.csv');
    expect(commas.columns.map((c) => c.name)).toEqual(['a', 'b;c']);
    expect(commas.preview(1)).toEqual({ kind: 'table', columns: ['a', 'b;c'], rows: [['1', '2;3']] });
  });

  it('types columns as number, category, text and date, and leaves text out of the features', () => {
    const lines = people();
    lines[5] = '24,NA,person 4,2020-03-05,yes';
    lines[6] = '?,green,person 5,2020-03-06,no';
    const data = csvDataset(lines.join('\n'), source({ missing: 'most-frequent' }), 'people.csv');
    expect(data.columns.map(({ name, type, role, missing }) => ({ name, type, role, missing }))).toEqual([
      { name: 'age', type: 'number', role: 'feature', missing: 1 },
      { name: 'color', type: 'category', role: 'feature', missing: 1 },
      { name: 'name', type: 'text', role: 'unused', missing: 0 },
      { name: 'joined', type: 'date', role: 'feature', missing: 0 },
      { name: 'bought', type: 'category', role: 'target', missing: 0 },
    ]);
    expect(data.columns[1]!.values).toEqual(['red', 'green', 'blue']);
    expect(data.classes).toEqual(['no', 'yes']);
  });

  it('reads 1,5 as 1.5 in a semicolon-separated file, and only there', () => {
    const semicolons = ['size;weight;kind', ...Array.from({ length: 10 }, (_, i) => `${i},5;${i}.25;${i % 2 ? 'a' : 'b'}`)].join('\n');
    const data = csvDataset(semicolons, source({ standardize: false, testFraction: 0 }), 'sizes.csv');
    expect(data.columns.map((c) => c.type)).toEqual(['number', 'number', 'category']);
    expect(rowsOf(data.train, 2)[1]).toEqual([1.5, 1.25]);
    const tabs = csvDataset(semicolons.replaceAll(';', '\t'), source({ testFraction: 0 }), 'sizes.tsv');
    expect(tabs.columns[0]!.type).toBe('text');
  });

  it('reads dates as days since 1970', () => {
    expect(parseDate('1970-01-02')).toBe(1);
    expect(parseDate('2000-03-01')).toBe(11_017);
    expect(parseDate('2000/03/01')).toBe(11_017);
    expect(parseDate('03/01/2000')).toBe(11_017);
    expect(parseDate('01.03.2000')).toBe(11_017);
    expect(parseDate('1 Mar 2000')).toBe(11_017);
    expect(parseDate('March 1, 2000')).toBe(11_017);
    expect(parseDate('1970-01-01T12:00')).toBe(0.5);
    expect(parseDate('2000-02-30')).toBeNull();
    expect(parseDate('setosa 1')).toBeNull();
  });
});

describe('encoding', () => {
  it('makes a category one input per value when one-hot, one input when an index', () => {
    const text = people().join('\n');
    const oneHot = csvDataset(text, source({ testFraction: 0 }), 'people.csv');
    expect(oneHot.inputShape).toEqual([1 + 3 + 1]);
    expect(oneHot.columns.map((c) => c.width)).toEqual([1, 3, 0, 1, 0]);
    const index = csvDataset(text, source({ categories: 'index', testFraction: 0 }), 'people.csv');
    expect(index.inputShape).toEqual([3]);
    // The third row is blue: red is the most frequent value, then blue and green (tied, in name order).
    expect(oneHot.columns[1]!.values).toEqual(['red', 'blue', 'green']);
    expect(rowsOf(oneHot.train, 5)[2]!.slice(1, 4)).toEqual([0, 1, 0]);
    expect(rowsOf(index.train, 3)[2]![1]).toBe(1);
  });

  it('standardizes number and date features with the training rows, and leaves them raw when asked', () => {
    const text = people(200).join('\n');
    const data = csvDataset(text, source({ features: ['age', 'joined'] }), 'people.csv');
    expect(data.train.count).toBe(160);
    expect(data.test.count).toBe(40);
    const rows = rowsOf(data.train, 2);
    for (const j of [0, 1]) {
      const [mean, std] = meanStd(rows.map((r) => r[j]!));
      expect(mean).toBeCloseTo(0, 5);
      expect(std).toBeCloseTo(1, 5);
    }
    const raw = csvDataset(text, source({ features: ['age', 'joined'], standardize: false, testFraction: 0 }), 'people.csv');
    expect(rowsOf(raw.train, 2)[0]).toEqual([20, 18_322]);
  });

  it('predicts a number column as standardized values, and sorts class names naturally', () => {
    const lines = ['x,y'];
    for (let i = 0; i < 50; i++) lines.push(`${i},${3 * i + 1}`);
    const regression = csvDataset(lines.join('\n'), source(), 'line.csv');
    expect(regression.target).toEqual({ kind: 'values', size: 1 });
    expect(regression.classes).toBeNull();
    const [mean, std] = meanStd(Array.from(regression.train.values!));
    expect(mean).toBeCloseTo(0, 5);
    expect(std).toBeCloseTo(1, 5);

    const classes = ['x,kind', ...Array.from({ length: 60 }, (_, i) => `${i},class${[10, 2, 1][i % 3]}`)];
    const data = csvDataset(classes.join('\n'), source({ testFraction: 0 }), 'kinds.csv');
    expect(data.classes).toEqual(['class1', 'class2', 'class10']);
    expect(Array.from(data.train.labels!.subarray(0, 3))).toEqual([2, 1, 0]);
  });

  it('splits the same way every time, and keeps everything for training with testFraction 0', () => {
    const text = people(100).join('\n');
    const a = csvDataset(text, source(), 'people.csv');
    const b = csvDataset(text, source(), 'people.csv');
    expect(a.test.count).toBe(20);
    expect(rowsOf(a.test, 5)).toEqual(rowsOf(b.test, 5));
    const all = csvDataset(text, source({ testFraction: 0 }), 'people.csv');
    expect(all.train.count).toBe(100);
    expect(all.test.count).toBe(0);
  });

  it('previews training rows spread through the file, as it wrote them', () => {
    const data = csvDataset(['name,"size, cm",kind', ...Array.from({ length: 20 }, (_, i) => `"item ""${i}""",${i}.50,${i % 2 ? 'a' : 'b'}`)].join('\n'), source({ testFraction: 0 }), 'items.csv');
    expect(data.preview(2)).toEqual({
      kind: 'table',
      columns: ['name', 'size, cm', 'kind'],
      rows: [
        ['item "0"', '0.50', 'b'],
        ['item "10"', '10.50', 'b'],
      ],
    });
  });
});

describe('class targets', () => {
  const table = (target: (i: number) => string, rows = 60) => ['x,y', ...Array.from({ length: rows }, (_, i) => `${i},${target(i)}`)].join('\n');

  it('predicts whole-number codes as classes named by the numbers, in natural order', () => {
    const survived = csvDataset(table((i) => String(i % 2)), source({ testFraction: 0 }), 'titanic.csv');
    expect(survived.target).toEqual({ kind: 'classes' });
    expect(survived.classes).toEqual(['0', '1']);
    expect(Array.from(survived.train.labels!.subarray(0, 4))).toEqual([0, 1, 0, 1]);
    expect(survived.columns[1]).toMatchObject({ name: 'y', type: 'number', role: 'target', values: ['0', '1'] });

    const ratings = csvDataset(table((i) => String([5, 3, 1, 4, 2][i % 5])), source({ testFraction: 0 }), 'ratings.csv');
    expect(ratings.classes).toEqual(['1', '2', '3', '4', '5']);
    expect(Array.from(ratings.train.labels!.subarray(0, 5))).toEqual([4, 2, 0, 3, 1]);

    const twenty = csvDataset(table((i) => String(i % 20).padStart(2, '0')), source(), 'codes.csv');
    expect(twenty.classes).toHaveLength(20);
    expect(twenty.classes!.slice(0, 3)).toEqual(['0', '1', '2']);
    expect(twenty.classes!.at(-1)).toBe('19');
  });

  it('fits numbers with many values, fractions or negative values as a regression', () => {
    for (const target of [(i: number) => String(i % 21), (i: number) => `${i % 2}.5`, (i: number) => String((i % 3) - 1)]) {
      const data = csvDataset(table(target), source(), 'values.csv');
      expect(data.target).toEqual({ kind: 'values', size: 1 });
      expect(data.classes).toBeNull();
    }
  });
});

describe('table width', () => {
  it('takes the width most rows have when there is no header, skipping a short first row', () => {
    const lines = ['1,2', ...Array.from({ length: 10 }, (_, i) => `${i},${i * 2},${i % 2 ? 'a' : 'b'}`)];
    const data = csvDataset(lines.join('\n'), source(), 'short.csv');
    expect(data.columns.map((c) => c.name)).toEqual(['column 1', 'column 2', 'column 3']);
    expect(data.problems).toEqual([{ line: 1, message: 'short.csv line 1 has 2 values but most rows have 3; the row is skipped.' }]);
    expect(data.classes).toEqual(['a', 'b']);
  });

  it('drops an empty last column left by a delimiter at the end of every line', () => {
    const rows = Array.from({ length: 10 }, (_, i) => `${i},${i % 2 ? 'a' : 'b'}`);
    for (const text of [['n,kind,', ...rows.map((r) => `${r},`)], ['n,kind', ...rows.map((r) => `${r},`)], ['n,kind,', ...rows], rows.map((r) => `${r},`)]) {
      const data = csvDataset(text.join('\n'), source({ testFraction: 0 }), 'trailing.csv');
      expect(data.columns).toHaveLength(2);
      expect(data.columns[1]!.role).toBe('target');
      expect(data.classes).toEqual(['a', 'b']);
      expect(data.problems).toEqual([]);
      expect(data.preview(1)).toMatchObject({ rows: [[expect.any(String), 'b']] });
    }
  });

  it('keeps a named column even when it is empty in every row', () => {
    const data = csvDataset(['n,kind,note', ...Array.from({ length: 6 }, (_, i) => `${i},${i % 2 ? 'a' : 'b'},`)].join('\n'), source({ target: 'kind', missing: 'zero' }), 'notes.csv');
    expect(data.columns.map((c) => c.name)).toEqual(['n', 'kind', 'note']);
  });

  it("reads Excel's sep= line as the delimiter, not a row, and still counts it as line 1", () => {
    const lines = ['sep=;', 'a;b;kind', ...Array.from({ length: 10 }, (_, i) => `${i};${i},5;${i % 2 ? 'x' : 'y'}`)];
    lines[4] = '2;3';
    const parsed = parseDelimited(lines.join('\r\n'));
    expect(parsed.delimiter).toBe(';');
    expect(parsed.records[0]).toEqual({ line: 2, cells: ['a', 'b', 'kind'] });
    const data = csvDataset(lines.join('\r\n'), source(), 'excel.csv');
    expect(data.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['a:number', 'b:number', 'kind:category']);
    expect(data.problems).toEqual([{ line: 5, message: 'excel.csv line 5 has 2 values but the header has 3 columns; the row is skipped.' }]);
  });
});

describe('bad rows', () => {
  it('skips a ragged row, naming its line with the header as line 1, and loads the rest', () => {
    const lines = people();
    lines[3] = '22,blue,"person\n2",2020-03-03,yes';
    lines.splice(6, 0, '25,red,oops');
    const data = csvDataset(lines.join('\n'), source(), 'data.csv');
    expect(data.problems).toEqual([{ line: 8, message: 'data.csv line 8 has 3 values but the header has 5 columns; the row is skipped.' }]);
    expect(data.train.count + data.test.count).toBe(40);
  });

  it('skips a row with a word in a number column under drop-row, naming line and column', () => {
    const lines = people();
    lines[13] = 'abc,red,person 12,2020-03-13,yes';
    const data = csvDataset(lines.join('\n'), source({ testFraction: 0 }), 'data.csv');
    expect(data.problems).toEqual([{ line: 14, message: 'data.csv line 14: "abc" in column "age" is not a number; the row is skipped.' }]);
    expect(data.train.count).toBe(39);
    expect(data.columns[0]!.missing).toBe(1);
  });

  it('fills a word in a number column with the training mean under the mean rule, and says so', () => {
    const lines = people();
    lines[13] = 'abc,red,person 12,2020-03-13,yes';
    lines[14] = ',green,person 13,2020-03-14,no';
    const data = csvDataset(lines.join('\n'), source({ missing: 'mean', standardize: false, testFraction: 0 }), 'data.csv');
    const mean = (people().slice(1).reduce((s, l) => s + Number(l.split(',')[0]), 0) - 32 - 33) / 38;
    expect(data.problems.map((p) => p.line)).toEqual([14, 15]);
    expect(data.problems[0]!.message).toBe(`data.csv line 14: "abc" in column "age" is not a number; filled in with the column's mean, ${Number(mean.toPrecision(6))}.`);
    expect(data.problems[1]!.message).toMatch(/^data\.csv line 15: column "age" is empty; filled in with the column's mean/);
    expect(data.train.count).toBe(40);
    const rows = rowsOf(data.train, 5);
    expect(rows[12]![0]).toBeCloseTo(mean, 4);
    expect(rows[13]![0]).toBeCloseTo(mean, 4);
  });

  it('fills an empty category with its most frequent value', () => {
    const lines = people(30);
    lines[2] = '21,,person 1,2020-03-02,no';
    const data = csvDataset(lines.join('\n'), source({ missing: 'zero', testFraction: 0 }), 'data.csv');
    expect(data.problems).toEqual([{ line: 3, message: 'data.csv line 3: column "color" is empty; filled in with its most frequent value, "blue".' }]);
  });

  it('skips a row whose target is missing whatever the rule', () => {
    const lines = people();
    lines[4] = '23,blue,person 3,2020-03-04,';
    const data = csvDataset(lines.join('\n'), source({ missing: 'mean' }), 'data.csv');
    expect(data.problems).toEqual([{ line: 5, message: 'data.csv line 5: column "bought" is empty, and it is the target; the row is skipped.' }]);
    expect(data.train.count + data.test.count).toBe(39);
  });

  it('lists the first 100 problems and counts the rest in one more', () => {
    const lines = people(20);
    for (let i = 0; i < 150; i++) lines.push('1,2');
    const data = csvDataset(lines.join('\n'), source(), 'data.csv');
    expect(data.problems).toHaveLength(101);
    expect(data.problems[99]!.line).toBe(121);
    expect(data.problems[100]!.message).toBe('data.csv has 50 more problems like these, not listed one by one.');
  });

  it('stops when no row can be used, with the problems', () => {
    const text = ['a,b', 'x', '1,', ',2'].join('\n');
    let error: unknown;
    try {
      csvDataset(text, source({ header: true }), 'data.csv');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).message).toBe('None of the 2 rows of data.csv can be used; the problems say why.');
    expect((error as DatasetError).problems.map((p) => p.line)).toEqual([2, 3, 4]);
  });
});

describe('loadCsv', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nc-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a TSV file from disk with its settings', async () => {
    const file = path.join(dir, 'people.tsv');
    await writeFile(file, people(50).map((l) => l.replaceAll(',', '\t')).join('\r\n') + '\r\n');
    const data = await loadCsv(source({ target: 'color', features: ['age', 'bought'] }, file));
    expect(data.name).toBe('people.tsv');
    expect(data.kind).toBe('table');
    expect(data.classes).toEqual(['blue', 'green', 'red']);
    expect(data.inputShape).toEqual([3]);
    expect(data.columns.map((c) => c.role)).toEqual(['feature', 'target', 'unused', 'unused', 'feature']);
    expect(data.train.count + data.test.count).toBe(50);
  });

  it('names a file that is not there, with the error code', async () => {
    await expect(loadCsv(source({}, path.join(dir, 'data.csv')))).rejects.toThrow(/^data\.csv could not be read \(ENOENT\): /);
  });

  it('names unknown columns and lists the real ones', async () => {
    const file = path.join(dir, 'people.csv');
    await writeFile(file, people().join('\n'));
    await expect(loadCsv(source({ target: 'price' }, file))).rejects.toThrow('people.csv has no column "price"; its columns are "age", "color", "name", "joined", "bought".');
    await expect(loadCsv(source({ features: ['age', 'hight', 'wieght'] }, file))).rejects.toThrow('people.csv has no columns "hight", "wieght";');
  });

  it('reads a file that is not UTF-8 as Latin-1, and says so', async () => {
    const file = path.join(dir, 'drinks.csv');
    const lines = ['size,drink', ...Array.from({ length: 10 }, (_, i) => `${i},${i % 2 ? 'caf\u00e9' : 'th\u00e9'}`)];
    await writeFile(file, Buffer.from(lines.join('\n'), 'latin1'));
    const data = await loadCsv(source({}, file));
    expect(data.classes).toEqual(['caf\u00e9', 'th\u00e9']);
    expect(data.problems).toEqual([{ file: 'drinks.csv', message: 'drinks.csv is not UTF-8 text, so it was read as Latin-1 (Windows-1252); if letters look wrong, save it as UTF-8.' }]);
    await writeFile(file, lines.join('\n'));
    expect((await loadCsv(source({}, file))).problems).toEqual([]);
  });

  it('skips a text column asked for as a feature, saying why', async () => {
    const data = await loadCsv(source({ features: ['age', 'name'] }, 'people.csv'), { text: people().join('\n') });
    expect(data.inputShape).toEqual([1]);
    expect(data.problems).toEqual([
      { file: 'people.csv', message: 'people.csv: column "name" holds free text (40 different values), which the network cannot read as numbers; it is not used.' },
    ]);
  });
});
