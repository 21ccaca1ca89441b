import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../../../electron/files/png.js';
import { datasetReportSchema } from '../../../../shared/data/report.js';

function netcanvas(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/netcanvas.js', ...args], { encoding: 'utf8', timeout: 240_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const inspect = (...args: string[]) => {
  const { code, stdout, stderr } = netcanvas('dataset', 'inspect', ...args, '--json');
  expect(stderr).toBe('');
  return { code, report: JSON.parse(stdout) };
};

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'netcanvas-data-'));

describe('netcanvas dataset list', () => {
  it('lists every built-in dataset and whether it is on this machine', () => {
    const { code, stdout } = netcanvas('dataset', 'list', '--json');
    expect(code).toBe(0);
    const list = JSON.parse(stdout) as Array<{ id: string; available: boolean }>;
    expect(list.map((d) => d.id)).toEqual(['mnist', 'fashion-mnist', 'moby-dick', 'imdb', 'iris', 'boston-housing', 'spirals', 'xor', 'circles', 'sine']);
    expect(list.find((d) => d.id === 'fashion-mnist')!.available).toBe(existsSync('/usr/share/datasets/fashion-mnist'));
    expect(list.filter((d) => d.id !== 'fashion-mnist').every((d) => d.available)).toBe(true);
  });
});

describe('netcanvas dataset inspect', () => {
  it('reports a built-in dataset in the documented shape', () => {
    const { code, report } = inspect('mnist');
    expect(code).toBe(0);
    expect(report).toMatchObject({ kind: 'images', samples: 70_000, splits: { train: 60_000, test: 10_000 }, inputShape: [28, 28, 1], columns: [], problems: [] });
    expect(report.classes).toHaveLength(10);
  });

  it('reports the columns of a table', () => {
    const { report } = inspect('iris');
    expect(report).toMatchObject({ kind: 'table', samples: 150, inputShape: [4], classes: ['setosa', 'versicolor', 'virginica'] });
    expect(report.columns.map((c: { type: string }) => c.type)).toEqual(['number', 'number', 'number', 'number', 'category']);
  });

  it('names the line of a ragged row and of a word in a number column, and keeps the other rows', () => {
    const file = path.join(tempDir(), 'flowers.csv');
    writeFileSync(file, ['width,height,kind', '1.0,2.0,a', '1.5,2.5,b', '2.0,3.0', '2.5,abc,a', '3.0,4.0,b', '3.5,4.5,a'].join('\n'));
    const { code, report } = inspect(file);
    expect(code).toBe(1);
    expect(report.problems).toEqual([
      { line: 4, message: expect.stringContaining('line 4 has 2 values but the header has 3 columns') },
      { line: 5, message: expect.stringContaining('"abc" in column "height" is not a number') },
    ]);
    expect(report.samples).toBe(4);
    expect(report.columns).toEqual([
      expect.objectContaining({ name: 'width', type: 'number', missing: 0 }),
      expect.objectContaining({ name: 'height', type: 'number', missing: 1 }),
      expect.objectContaining({ name: 'kind', type: 'category', role: 'target' }),
    ]);
  });

  it('names an empty class folder, a file that is not an image, and one cut short', () => {
    const dir = tempDir();
    for (const name of ['cat', 'dog', 'fox']) mkdirSync(path.join(dir, name));
    const pixels = new Uint8Array(8 * 8).fill(200);
    for (let i = 0; i < 3; i++) {
      writeFileSync(path.join(dir, 'cat', `${i}.png`), encodePng(pixels, 8, 8, 1));
      writeFileSync(path.join(dir, 'fox', `${i}.png`), encodePng(pixels, 8, 8, 1));
    }
    writeFileSync(path.join(dir, 'cat', 'notes.txt'), 'not a picture');
    writeFileSync(path.join(dir, 'fox', 'cut.png'), encodePng(pixels, 8, 8, 1).subarray(0, 40));
    const { code, report } = inspect(dir, '--size', '8x8', '--gray');
    expect(code).toBe(1);
    expect(report).toMatchObject({ kind: 'images', samples: 6, inputShape: [8, 8, 1], classes: ['cat', 'fox'] });
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: expect.stringContaining('notes.txt'), message: expect.stringContaining('not a PNG or JPEG image') }),
        expect.objectContaining({ file: 'dog', message: expect.stringContaining('"dog" has no images') }),
        expect.objectContaining({ file: 'fox/cut.png', message: expect.stringMatching(/cut\.png .*It is skipped\.$/) }),
      ]),
    );
  });

  it('says where a dataset does not fit a network, and that a fitting one fits', () => {
    const mismatch = inspect('spirals', '--network', 'templates/cnn-mnist.netcanvas.json');
    expect(mismatch.code).toBe(1);
    expect(mismatch.report.fit).toEqual([
      { node: 'input', message: expect.stringContaining('Two spirals examples have shape (?, 2); Input "input" expects (?, 28, 28, 1): set its shape to 2.') },
      expect.objectContaining({ message: expect.stringContaining('Two spirals has 2 classes') }),
    ]);
    const fits = inspect('spirals', '--network', 'templates/mlp-spirals.netcanvas.json');
    expect(fits).toMatchObject({ code: 0, report: { fit: [] } });
  });

  it('explains a path that is not there, in the full report shape', () => {
    const { code, report } = inspect('/nowhere/data.csv');
    expect(code).toBe(1);
    expect(datasetReportSchema.strict().parse(report)).toEqual({
      kind: 'table',
      name: 'data.csv',
      samples: 0,
      splits: { train: 0, test: 0 },
      inputShape: [],
      classes: null,
      classCounts: null,
      target: { kind: 'classes' },
      vocabulary: null,
      columns: [],
      problems: [{ file: '/nowhere/data.csv', message: expect.stringMatching(/^\/nowhere\/data\.csv could not be read \(ENOENT\): there is no such file or folder/) }],
      tasks: [],
    });
    expect(inspect('/nowhere/train-images.idx3-ubyte').report).toMatchObject({ kind: 'images', name: 'train-images.idx3-ubyte', samples: 0 });
  });

  it('says which kinds it reads when a file has an extension it does not know', () => {
    const file = path.join(tempDir(), 'scan.bmp');
    writeFileSync(file, 'BM');
    const { code, report } = inspect(file);
    expect(code).toBe(1);
    expect(report).toMatchObject({ kind: 'table', name: 'scan.bmp', samples: 0, tasks: [] });
    expect(report.problems).toEqual([{ file, message: expect.stringContaining('say which this is with --kind csv|image-folder|text|idx|npy.') }]);
  });

  it('stops with the usage, exit code 2, on an option value no dataset takes', () => {
    const file = path.join(tempDir(), 'points.csv');
    writeFileSync(file, ['x,y', '1,2', '3,4'].join('\n'));
    const cases: [string[], string][] = [
      [['--test-fraction', '0.9'], '--test-fraction must be at most 0.5 (got "0.9").'],
      [['--kind', 'bogus'], '--kind must be one of csv, image-folder, text, idx, npy (got "bogus").'],
      [['--size', 'abc'], '--size must be HEIGHTxWIDTH such as 32x32, or one number (got "abc").'],
      [['--delimiter', 'pipe'], '--delimiter must be comma, tab, semicolon (got "pipe").'],
      [['--header', '--no-header'], '--header and --no-header say opposite things: give one of them.'],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = netcanvas('dataset', 'inspect', file, ...args, '--json');
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.split('\n')[0]).toBe(`netcanvas: ${message}`);
    }
    const imdb = netcanvas('dataset', 'inspect', 'imdb', '--vocabulary', '50', '--json');
    expect(imdb).toMatchObject({ code: 2, stdout: '' });
    expect(imdb.stderr.split('\n')[0]).toBe('netcanvas: --vocabulary must be at least 100 (got "50").');
  });

  it('reads the first row and splits values as --header, --no-header and --delimiter say', () => {
    const file = path.join(tempDir(), 'sizes.csv');
    writeFileSync(file, ['a,b;kind', ...Array.from({ length: 10 }, (_, i) => `${i},${i};${i % 2 ? 'x' : 'y'}`)].join('\n'));
    const found = inspect(file).report;
    expect(found.columns.map((c: { name: string }) => c.name)).toEqual(['a,b', 'kind']);
    const commas = inspect(file, '--delimiter', 'comma', '--no-header').report;
    expect(commas.columns.map((c: { name: string }) => c.name)).toEqual(['column 1', 'column 2']);
    // The first row is data now: its "a" is a word in a column of numbers.
    expect(commas.problems).toContainEqual({ line: 1, message: 'sizes.csv line 1: "a" in column "column 1" is not a number; the row is skipped.' });
    const named = inspect(file, '--delimiter', 'comma', '--header').report;
    expect(named.columns.map((c: { name: string }) => c.name)).toEqual(['a', 'b;kind']);
    expect(named.samples).toBe(10);
  });

  it('prints a readable report without --json', () => {
    const { code, stdout } = netcanvas('dataset', 'inspect', 'spirals', '--count', '200');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Two spirals \(table\)\n {2}examples {5}200: 160 train, 40 test\n {2}input shape {2}\(2\)/);
  });
});

describe('netcanvas train --dataset', () => {
  it('trains a template on another built-in dataset, run from the project’s own folder', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'spirals.netcanvas.json'), readFileSync('templates/mlp-spirals.netcanvas.json'));
    const run = spawnSync(process.execPath, [path.resolve('bin/netcanvas.js'), 'train', 'spirals.netcanvas.json', '--dataset', 'xor', '--epochs', '10', '--json'], { cwd: dir, encoding: 'utf8', timeout: 240_000 });
    const { status: code, stdout } = run;
    expect(run.stderr).not.toContain('stopped unexpectedly');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.history).toHaveLength(10);
    expect(result.history[9].valAcc).toBeGreaterThan(0.8);
  });
});
