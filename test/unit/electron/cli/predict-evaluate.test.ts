import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { evaluateCommand, imageKind, predictCommand, predictionJson, rowInputs } from '../../../../electron/cli/insight.js';
import { formatEvaluation, formatPrediction } from '../../../../electron/cli/format.js';
import { main } from '../../../../electron/cli/main.js';
import { Backend } from '../../../../electron/backend/backend.js';
import { splitRows } from '../../../../electron/data/dataset.js';
import { forkLauncher } from '../../../../electron/training/launcher.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type { Project } from '../../../../shared/project/schema.js';

/**
 * `netcanvas predict` and `netcanvas evaluate` on a network whose answers are known: a
 * model.json of one Dense layer whose weights say "yes exactly when x > 5", and tables whose
 * rows are read here, so every expected figure is worked out by hand below. The commands run in
 * this process (`main`, as bin/netcanvas.js runs it); those that ask a run share one Backend, so
 * one Analyst process holds the run for all of them, as it would for a person asking in turn.
 */

const FIXTURES = path.resolve('test/fixtures/insight');
const TRAIN_CSV = path.join(FIXTURES, 'evaluate-train.csv');
const ROWS_CSV = path.join(FIXTURES, 'evaluate-rows.csv');

let dir = '';
let modelFile = '';
let runId = '';
let backend: Backend;
const savedEnv = { runs: process.env.NETCANVAS_RUNS_DIR, state: process.env.NETCANVAS_STATE_DIR };

interface Output {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the command threw rather than printed: a failure the CLI prints as one line. */
  error?: Error;
}

/** Runs `command` with what it writes to stdout and stderr caught. */
async function caught(command: () => Promise<number>): Promise<Output> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    return { code: await command(), stdout, stderr };
  } catch (error) {
    return { code: null, stdout, stderr, error: error as Error };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** The command line, as bin/netcanvas.js runs it: its own Backend, its exit code. */
const netcanvas = (args: string[]) => caught(() => main(args));

/** predict or evaluate on the shared Backend. */
function ask(command: 'predict' | 'evaluate', args: string[]): Promise<Output> {
  const open = async (file: string): Promise<Project> => {
    const opened = await backend.call('projects.open', { path: path.resolve(file) });
    if ('cancelled' in opened) throw new Error(`${file} did not open`);
    return opened.project;
  };
  return caught(() => (command === 'predict' ? predictCommand : evaluateCommand)(backend, args, open));
}

/** tfjs's own save of a model, as model.json and model.weights.bin. */
async function saveTfjs(model: tf.LayersModel, folder: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const json = { modelTopology: artifacts.modelTopology, format: artifacts.format, generatedBy: artifacts.generatedBy, weightsManifest: [{ paths: ['model.weights.bin'], weights: artifacts.weightSpecs }] };
      await writeFile(path.join(folder, 'model.json'), JSON.stringify(json));
      await writeFile(path.join(folder, 'model.weights.bin'), Buffer.from(artifacts.weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return path.join(folder, 'model.json');
}

const SLOW = 180_000;
const results: Record<string, Output> = {};

beforeAll(async () => {
  await selectBackend('cpu');
  dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-cli-insight-'));
  process.env.NETCANVAS_RUNS_DIR = path.join(dir, 'runs');
  process.env.NETCANVAS_STATE_DIR = path.join(dir, 'state');
  // Scores (no, yes) = (5 − x, x − 5): "yes" exactly when x > 5, with probability 1 / (1 + e^(−2|x − 5|)).
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 2, activation: 'softmax', name: 'answer' })] });
  model.layers[0]!.setWeights([tf.tensor2d([[-1, 1]]), tf.tensor1d([5, -5])]);
  modelFile = await saveTfjs(model, path.join(dir, 'threshold'));
  model.dispose();
  // The model.json's weights, on the table: one batch at a learning rate of 1e-9 moves no weight by more than 1e-8,
  // so the run answers as the weights above do, with the table kept as its data.
  const trained = await netcanvas([
    'train', modelFile, '--dataset', TRAIN_CSV, '--target', 'label', '--features', 'x', '--no-standardize', '--test-fraction', '0.5',
    '--optimizer', 'sgd', '--learning-rate', '1e-9', '--epochs', '1', '--max-batches', '1', '--backend', 'cpu', '--json',
  ]);
  expect(trained.code, trained.stderr).toBe(0);
  runId = JSON.parse(trained.stdout).runId;

  backend = new Backend({ launcher: forkLauncher, trustAllPaths: true, ephemeralRuns: true });
  const bad = path.join(dir, 'bad.csv');
  await writeFile(bad, 'x,group\n1,a\nabc,b\n');
  const fake = path.join(dir, 'digit.png');
  await writeFile(fake, 'not a picture');
  // One after another: each command's output is caught from this process's stdout.
  results.evaluateJson = await ask('evaluate', [modelFile, '--run', runId, '--group-by', 'group', '--json']);
  results.evaluateText = await ask('evaluate', [modelFile, '--run', runId, '--group-by', 'group']);
  results.evaluateRows = await ask('evaluate', [modelFile, '--run', runId, '--dataset', ROWS_CSV, '--group-by', 'group', '--json']);
  results.predictJson = await ask('predict', [modelFile, '--run', runId, ROWS_CSV, '--json']);
  results.predictText = await ask('predict', [modelFile, '--run', runId, ROWS_CSV]);
  results.badCell = await ask('predict', [modelFile, '--run', runId, bad]);
  // These end before any run is asked: the command line's own Backend, exit codes and all.
  results.notImage = await netcanvas(['predict', modelFile, '--run', runId, fake]);
  results.noSuchRun = await netcanvas(['evaluate', modelFile, '--run', 'no-such-run']);
  results.noRun = await netcanvas(['predict', modelFile, ROWS_CSV]);
  results.noInputs = await netcanvas(['predict', modelFile, '--run', runId]);
}, SLOW);

afterAll(async () => {
  backend?.shutdown();
  process.env.NETCANVAS_RUNS_DIR = savedEnv.runs;
  process.env.NETCANVAS_STATE_DIR = savedEnv.state;
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('netcanvas evaluate, figures worked out by hand', () => {
  it('holds out the rows the figures below are worked out from', () => {
    // The CSV loader's test rows of 20 at a test fraction of 0.5 (data rows, 0-based; file line = row + 2).
    expect([...splitRows(20, 0.5).test]).toEqual([0, 4, 5, 8, 9, 10, 12, 15, 16, 17]);
  });

  it('prints the test split’s confusion matrix, per-class and per-group figures as JSON', () => {
    const { code, stdout, stderr } = results.evaluateJson!;
    expect(code, stderr).toBe(0);
    // Test rows (x, group, label → answer): 0 (1, a, no → no), 4 (2, b, yes → no), 5 (3, a, no → no),
    // 8 (4, b, no → no), 9 (6, a, yes → yes), 10 (7, b, yes → yes), 12 (9, a, no → yes),
    // 15 (8, b, yes → yes), 16 (4.5, a, yes → no), 17 (6.5, b, yes → yes).
    // no → no: 0, 5, 8; no → yes: 12; yes → no: 4, 16; yes → yes: 9, 10, 15, 17. Right: 7 of 10.
    // no: precision 3/(3+2) = 0.6, recall 3/4 = 0.75, F1 = 2·0.6·0.75/1.35 = 2/3.
    // yes: precision 4/(4+1) = 0.8, recall 4/6 = 2/3, F1 = 2·0.8·(2/3)/(0.8 + 2/3) = 8/11 = 0.727273.
    // Group a: rows 0 ✓, 5 ✓, 9 ✓, 12 ✗, 16 ✗ → 3/5; group b: 4 ✗, 8 ✓, 10 ✓, 15 ✓, 17 ✓ → 4/5.
    const result = JSON.parse(stdout);
    expect(result).toEqual({
      samples: 10,
      split: 'test',
      accuracy: expect.closeTo(0.7, 6),
      classes: ['no', 'yes'],
      confusion: [
        [3, 1],
        [2, 4],
      ],
      perClass: [
        { class: 'no', precision: expect.closeTo(0.6, 6), recall: 0.75, f1: expect.closeTo(0.666667, 6), count: 4 },
        { class: 'yes', precision: expect.closeTo(0.8, 6), recall: expect.closeTo(0.666667, 6), f1: expect.closeTo(0.727273, 6), count: 6 },
      ],
      groupBy: 'group',
      groups: [
        { group: 'a', count: 5, accuracy: expect.closeTo(0.6, 6) },
        { group: 'b', count: 5, accuracy: expect.closeTo(0.8, 6) },
      ],
    });
  });

  it('prints the same figures as text, the worst group marked and the gap said', () => {
    const { code, stdout, stderr } = results.evaluateText!;
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`Run ${runId} of "`);
    expect(stdout).toContain('on the test split: 10 examples');
    expect(stdout).toContain('Accuracy: 70.0%');
    expect(stdout).toMatch(/^ {2}no +3 +1$/m);
    expect(stdout).toMatch(/^ {2}yes +2 +4$/m);
    expect(stdout).toMatch(/^ {2}a +5 +60\.0% {2}<- worst$/m);
    expect(stdout).toMatch(/^ {2}b +5 +80\.0% {2}<- best$/m);
    expect(stdout).toContain('Gap between best and worst: 20.0 points (b 80.0%, a 60.0%).');
    // The most confident mistake: row 12, x = 9, "yes" at 1 / (1 + e^−8) = 99.97%.
    expect(stdout).toContain('example 6: no taken for yes (100.0%)');
  });

  it('evaluates every row of another table with the run’s columns (--dataset)', () => {
    const { code, stdout, stderr } = results.evaluateRows!;
    expect(code, stderr).toBe(0);
    // Rows: 0 (0, a, no → no), 1 (10, a, yes → yes), 2 (5.5, b, no → yes), 3 (3, b, yes → no), 4 (7, c, yes → yes).
    // no → no: 0; no → yes: 2; yes → no: 3; yes → yes: 1, 4. Right: 3 of 5.
    // no: precision 1/2, recall 1/2, F1 1/2; yes: precision 2/3, recall 2/3, F1 2/3. Groups a 2/2, b 0/2, c 1/1.
    expect(JSON.parse(stdout)).toEqual({
      samples: 5,
      dataset: ROWS_CSV,
      accuracy: expect.closeTo(0.6, 6),
      classes: ['no', 'yes'],
      confusion: [
        [1, 1],
        [1, 2],
      ],
      perClass: [
        { class: 'no', precision: 0.5, recall: 0.5, f1: 0.5, count: 2 },
        { class: 'yes', precision: expect.closeTo(0.666667, 6), recall: expect.closeTo(0.666667, 6), f1: expect.closeTo(0.666667, 6), count: 3 },
      ],
      groupBy: 'group',
      groups: [
        { group: 'a', count: 2, accuracy: 1 },
        { group: 'b', count: 2, accuracy: 0 },
        { group: 'c', count: 1, accuracy: 1 },
      ],
    });
  });
});

describe('netcanvas predict', () => {
  it('prints each row’s classes with their probabilities as JSON', () => {
    const { code, stdout, stderr } = results.predictJson!;
    expect(code, stderr).toBe(0);
    const { predictions } = JSON.parse(stdout) as { predictions: { top: { class: string; probability: number }[] }[] };
    expect(predictions).toHaveLength(5);
    // x = 0: scores (5, −5), "no" at 1 / (1 + e^−10) = 0.999955; x = 5.5: (−0.5, 0.5), "yes" at 1 / (1 + e^−1) = 0.731059.
    expect(predictions[0]).toEqual({ top: [{ class: 'no', probability: expect.closeTo(0.999955, 5) }, { class: 'yes', probability: expect.closeTo(0.000045, 5) }] });
    expect(predictions[2]).toEqual({ top: [{ class: 'yes', probability: expect.closeTo(0.731059, 5) }, { class: 'no', probability: expect.closeTo(0.268941, 5) }] });
    expect(predictions.map((p) => p.top[0]!.class)).toEqual(['no', 'yes', 'yes', 'no', 'yes']);
  });

  it('prints the top classes of each input under its name', () => {
    const { code, stdout, stderr } = results.predictText!;
    expect(code, stderr).toBe(0);
    // x = 3: scores (2, −2), "no" at 1 / (1 + e^−4) = 98.2%.
    expect(stdout).toContain(`${ROWS_CSV} line 5\n  no   98.2%\n  yes   1.8%\n`);
  });

  it('names a bad cell by its file and line, a file that is no image, and a run that is not there', () => {
    const { badCell: cell, notImage: image, noSuchRun: missing } = results;
    expect(cell!.error?.message).toBe(`${path.join(dir, 'bad.csv')} line 3: x: 'abc' is not a number`);
    expect((cell!.error as { code?: string }).code).toBe('INVALID_INPUT');
    expect(image!.code).toBe(1);
    expect(lastLine(image!.stderr)).toBe(`netcanvas: ${path.join(dir, 'digit.png')} is not a PNG or JPEG image: its first bytes are not an image file's.`);
    expect(missing!.code).toBe(1);
    expect(lastLine(missing!.stderr)).toMatch(new RegExp(`^netcanvas: No saved run no-such-run of ".+": its runs are .*${runId} \\(completed\\)`));
  });

  it('refuses a command line without a run or inputs, with the usage', () => {
    const { noRun, noInputs } = results;
    expect(noRun!.code).toBe(2);
    expect(noRun!.stderr.split('\n')[0]).toBe("netcanvas: predict needs --run <run id>: the trained run to ask (the run ids are in train's output and in the Runs list).");
    expect(noInputs!.code).toBe(2);
    expect(noInputs!.stderr).toContain('Usage:');
  });
});

describe('reading inputs and printing figures', () => {
  it('reads a table’s rows by header name, each named by its line', () => {
    const rows = rowInputs('x,group\n1, a\n"2,5",b\n', 'rows.csv');
    expect(rows).toEqual([
      { label: 'rows.csv line 2', input: { kind: 'row', values: { x: '1', group: 'a' } } },
      { label: 'rows.csv line 3', input: { kind: 'row', values: { x: '2,5', group: 'b' } } },
    ]);
    expect(() => rowInputs('x,group\n1\n', 'rows.csv')).toThrow('rows.csv line 2 has 1 cells but the header names 2 columns.');
    expect(() => rowInputs('x,x\n1,2\n', 'rows.csv')).toThrow('rows.csv line 1: two columns are named "x".');
    expect(() => rowInputs('x\n', 'rows.csv')).toThrow('rows.csv has no rows under its header');
  });

  it('knows a PNG and a JPEG by their first bytes', () => {
    expect(imageKind(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('png');
    expect(imageKind(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(imageKind(Buffer.from('GIF89a'))).toBeNull();
  });

  it('prints an answer as predict --json does: classes and probabilities, or values', () => {
    expect(predictionJson({ top: [{ class: '7', index: 7, probability: 0.9 }], tokens: ['a'] })).toEqual({ top: [{ class: '7', probability: 0.9 }] });
    expect(predictionJson({ value: [21.5] })).toEqual({ value: [21.5] });
  });

  it('names a file’s mistakes by their line, and says no gap when every group scores alike', () => {
    const text = formatEvaluation(
      {
        source: 'rows.csv',
        samples: 2,
        accuracy: 0.5,
        classes: ['no', 'yes'],
        confusion: [
          [1, 0],
          [1, 0],
        ],
        perClass: [],
        mistakes: [{ index: 1, truth: 'yes', predicted: 'no', confidence: 0.75 }],
        where: ['rows.csv line 2', 'rows.csv line 3'],
        groupBy: 'group',
        groups: [
          { group: 'a', count: 1, accuracy: 0.5 },
          { group: 'b', count: 1, accuracy: 0.5 },
        ],
      },
      'Run r',
    );
    expect(text).toContain('Run r on rows.csv: 2 examples');
    expect(text).toContain('  rows.csv line 3: yes taken for no (75.0%)');
    expect(text).not.toContain('<-');
    expect(text).not.toContain('Gap');
    expect(formatPrediction({ value: [21.456] }, ['medv'])).toBe('  medv  21.46');
  });

  it('marks the group with the lowest error as best in a regression, with the gap in the target’s units', () => {
    const text = formatEvaluation(
      {
        source: 'the test split',
        samples: 4,
        meanAbsoluteError: 2.5,
        rootMeanSquaredError: 3,
        targetName: 'medv',
        groupBy: 'chas',
        groups: [
          { group: '0', count: 3, meanAbsoluteError: 3 },
          { group: '1', count: 1, meanAbsoluteError: 1 },
        ],
      },
      'Run r',
    );
    expect(text).toContain('Mean absolute error: 2.5 medv');
    expect(text).toMatch(/^ {2}0 +3 +3 medv {2}<- worst$/m);
    expect(text).toMatch(/^ {2}1 +1 +1 medv {2}<- best$/m);
    expect(text).toContain('Gap between best and worst: 2 medv (1 1 medv, 0 3 medv).');
  });
});

/** The last line written: what the command said as it ended, after any notes on opening the file. */
function lastLine(text: string): string {
  return text.trimEnd().split('\n').pop() ?? '';
}
