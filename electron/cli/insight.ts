import path from 'node:path';
import { parseCommand } from './args.js';
import { evaluationJson, formatEvaluation, formatPrediction, type EvaluationFigures } from './format.js';
import { CHECKPOINT_CHOICES, type InsightInfo, type ModelInput, type Prediction, type RunRef } from '../../shared/api/insight.js';
import type { Project } from '../../shared/project/schema.js';
import { ApiFailure, type Backend } from '../backend/backend.js';
import { parseDelimited } from '../data/csv.js';
import { readCapped } from '../files/read.js';
import { classifierEvaluation, groupFigures, regressionFigures } from '../insight/metrics.js';

/**
 * `netcanvas predict` and `netcanvas evaluate`: a saved run's answers for files, and its figures
 * on a whole split, asked of the Backend as the app asks them.
 */

export const INSIGHT_USAGE = `netcanvas predict <file> --run <run id> <input>... [--checkpoint best|last] [--json]
  netcanvas evaluate <file> --run <run id> [--split test|validation] [--group-by COLUMN] [--dataset <rows.csv> [--target COLUMN]]
                     [--checkpoint best|last] [--json]`;

export const INSIGHT_HELP = `predict gives a trained run's answer for each input: an image file (.png, .jpg), a text file
(.txt, one review or prompt), or a CSV file whose rows are inputs (columns by header name).
evaluate gives its accuracy, confusion matrix and per-class figures (or a regression's error in
the target's units) on the test split or the part of training it held back; --group-by sets the
figures of each value of a column side by side; --dataset evaluates on the rows of another CSV
file with the run's columns.`;

/** A predict or evaluate command line that cannot be run: printed with the usage, exit 2. */
export class InsightUsageError extends Error {}

/** Inputs sent in one request at most (the contract's limit). */
const PER_REQUEST = 256;
/** The largest input file read. */
const MAX_INPUT_BYTES = 64 * 1024 * 1024;
const MAX_TEXT = 100_000;

const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];
const TEXT_EXTENSIONS = ['.txt'];
const TABLE_EXTENSIONS = ['.csv', '.tsv'];

async function predictions(backend: Backend, run: RunRef, inputs: ModelInput[]): Promise<Prediction[]> {
  return (await backend.call('insight.predict', { run, inputs })).predictions;
}

/** The run `runId` of the project: beside its file, else in the runs folder under its name, as export finds it. */
async function findRun(backend: Backend, project: Project, file: string, runId: string, checkpoint: RunRef['checkpoint']): Promise<RunRef> {
  const projectPath = path.resolve(file);
  const beside = await backend.call('runs.list', { projectName: project.name, projectPath });
  const byName = beside.some((r) => r.runId === runId) ? [] : await backend.call('runs.list', { projectName: project.name });
  const ref = { projectName: project.name, runId, ...(checkpoint ? { checkpoint } : {}) };
  if (beside.some((r) => r.runId === runId)) return { ...ref, projectPath };
  if (byName.some((r) => r.runId === runId)) return ref;
  const known = [...beside, ...byName].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).map((r) => `${r.runId} (${r.status})`);
  const listed = known.length === 0 ? 'it has no saved runs yet (train it with netcanvas train)' : `its runs are ${known.slice(0, 8).join(', ')}${known.length > 8 ? ` and ${known.length - 8} more` : ''}`;
  throw new ApiFailure('NOT_FOUND', `No saved run ${runId} of "${project.name}": ${listed}.`);
}

function checkpointOption(value: string | undefined): RunRef['checkpoint'] {
  if (value === undefined) return undefined;
  if ((CHECKPOINT_CHOICES as readonly string[]).includes(value)) return value as RunRef['checkpoint'];
  throw new InsightUsageError(`--checkpoint must be one of ${CHECKPOINT_CHOICES.join(', ')} (got "${value}").`);
}

/** One input to the network, and where it came from for messages and output. */
export interface LabelledInput {
  label: string;
  input: ModelInput;
}

async function readInputFile(file: string): Promise<Buffer> {
  try {
    return (await readCapped(file, { limit: MAX_INPUT_BYTES })).bytes;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message;
    throw new ApiFailure('INVALID_INPUT', `Cannot read ${file}: ${why}.`);
  }
}

/** Whether bytes begin as a PNG or a JPEG file does. */
export function imageKind(bytes: Uint8Array): 'png' | 'jpeg' | null {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/** A table file's rows, each an input of its cells by the header's column names; `file` names it in messages. */
export function rowInputs(text: string, file: string): LabelledInput[] {
  const { records, unclosedQuoteLine } = parseDelimited(text);
  if (unclosedQuoteLine !== null) throw new ApiFailure('INVALID_INPUT', `${file} line ${unclosedQuoteLine}: a quoted value is never closed.`);
  const [header, ...rows] = records;
  if (!header || rows.length === 0) throw new ApiFailure('INVALID_INPUT', `${file} has no rows under its header: the first line names the columns, each line below is one input.`);
  const names = header.cells.map((c) => c.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '') throw new ApiFailure('INVALID_INPUT', `${file} line ${header.line}: a column has no name; the first line names the columns.`);
    if (seen.has(name)) throw new ApiFailure('INVALID_INPUT', `${file} line ${header.line}: two columns are named "${name}".`);
    seen.add(name);
  }
  return rows.map((row) => {
    if (row.cells.length !== names.length) {
      throw new ApiFailure('INVALID_INPUT', `${file} line ${row.line} has ${row.cells.length} cells but the header names ${names.length} columns.`);
    }
    return { label: `${file} line ${row.line}`, input: { kind: 'row', values: Object.fromEntries(names.map((name, i) => [name, row.cells[i]!.trim()])) } };
  });
}

/** The inputs the files give: an image each, a text each, a table's rows. */
export async function inputsOf(files: readonly string[]): Promise<LabelledInput[]> {
  const out: LabelledInput[] = [];
  for (const file of files) {
    const extension = path.extname(file).toLowerCase();
    if (IMAGE_EXTENSIONS.includes(extension)) {
      const bytes = await readInputFile(file);
      if (!imageKind(bytes)) throw new ApiFailure('INVALID_INPUT', `${file} is not a PNG or JPEG image: its first bytes are not an image file's.`);
      out.push({ label: file, input: { kind: 'image-file', path: path.resolve(file) } });
    } else if (TEXT_EXTENSIONS.includes(extension)) {
      const text = (await readInputFile(file)).toString('utf8').replace(/^\uFEFF/, '');
      if (text.length > MAX_TEXT) throw new ApiFailure('INVALID_INPUT', `${file} holds ${text.length.toLocaleString('en-US')} characters; a text input is at most ${MAX_TEXT.toLocaleString('en-US')}.`);
      out.push({ label: file, input: { kind: 'text', text } });
    } else if (TABLE_EXTENSIONS.includes(extension)) {
      out.push(...rowInputs((await readInputFile(file)).toString('utf8'), file));
    } else {
      throw new ApiFailure('INVALID_INPUT', `${file}: predict reads images (${IMAGE_EXTENSIONS.join(', ')}), texts (.txt, one input each) and tables (${TABLE_EXTENSIONS.join(', ')}, a row each).`);
    }
  }
  return out;
}

/**
 * The run's answers, PER_REQUEST inputs at a time. An input the network cannot be given fails
 * its whole request; it is then found by asking for each alone, so the message says where it is.
 */
async function predictAll(backend: Backend, run: RunRef, inputs: readonly LabelledInput[]): Promise<Prediction[]> {
  const out: Prediction[] = [];
  for (let start = 0; start < inputs.length; start += PER_REQUEST) {
    const chunk = inputs.slice(start, start + PER_REQUEST);
    try {
      out.push(...(await predictions(backend, run, chunk.map((c) => c.input))));
    } catch (err) {
      if (!(err instanceof ApiFailure && err.code === 'INVALID_INPUT')) throw err;
      if (chunk.length === 1) throw new ApiFailure('INVALID_INPUT', `${chunk[0]!.label}: ${err.message}`);
      for (const one of chunk) {
        try {
          await predictions(backend, run, [one.input]);
        } catch (single) {
          if (single instanceof ApiFailure && single.code === 'INVALID_INPUT') throw new ApiFailure('INVALID_INPUT', `${one.label}: ${single.message}`);
          throw single;
        }
      }
      throw err;
    }
  }
  return out;
}

const RUN_EXAMPLES = { run: '<run id>', checkpoint: 'best' };

export async function predictCommand(backend: Backend, args: string[], openProject: (file: string) => Promise<Project>): Promise<number> {
  const options = { run: { type: 'string' }, checkpoint: { type: 'string' }, json: { type: 'boolean' } } as const;
  const { values, positionals } = parseCommand('predict', { args, options, allowPositionals: true }, RUN_EXAMPLES);
  const [file, ...files] = positionals;
  if (file === undefined) throw new InsightUsageError('predict takes a project or model file, then the inputs.');
  if (values.run === undefined) throw new InsightUsageError('predict needs --run <run id>: the trained run to ask (the run ids are in train\'s output and in the Runs list).');
  if (files.length === 0) throw new InsightUsageError('predict needs at least one input after the file: an image (.png, .jpg), a text (.txt) or a table of rows (.csv).');
  const checkpoint = checkpointOption(values.checkpoint);
  const project = await openProject(file);
  const run = await findRun(backend, project, file, values.run, checkpoint);
  const inputs = await inputsOf(files);
  const answers = await predictAll(backend, run, inputs);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ predictions: answers.map(predictionJson) })}\n`);
    return 0;
  }
  const info = answers.some((a) => a.value) ? await backend.call('insight.open', { run }) : null;
  inputs.forEach((one, i) => process.stdout.write(`${one.label}\n${formatPrediction(answers[i]!, info?.targetNames ?? [])}\n`));
  return 0;
}

/** An answer as `predict --json` prints it: the classes with their probabilities, or the values. */
export function predictionJson(answer: Prediction): { top: { class: string; probability: number }[] } | { value: number[] } | Record<string, never> {
  if (answer.top) return { top: answer.top.map((t) => ({ class: t.class, probability: t.probability })) };
  if (answer.value) return { value: answer.value };
  return {};
}

export async function evaluateCommand(backend: Backend, args: string[], openProject: (file: string) => Promise<Project>): Promise<number> {
  const options = {
    run: { type: 'string' },
    checkpoint: { type: 'string' },
    split: { type: 'string' },
    'group-by': { type: 'string' },
    dataset: { type: 'string' },
    target: { type: 'string' },
    json: { type: 'boolean' },
  } as const;
  const examples = { ...RUN_EXAMPLES, split: 'validation', 'group-by': 'sex', dataset: 'held-out.csv', target: 'species' };
  const { values, positionals } = parseCommand('evaluate', { args, options, allowPositionals: true }, examples);
  if (positionals.length !== 1) throw new InsightUsageError('evaluate takes one project or model file.');
  if (values.run === undefined) throw new InsightUsageError('evaluate needs --run <run id>: the trained run to evaluate (the run ids are in train\'s output and in the Runs list).');
  const split = values.split ?? 'test';
  if (split !== 'test' && split !== 'validation') throw new InsightUsageError(`--split must be test or validation (got "${split}").`);
  if (values.dataset !== undefined && values.split !== undefined) throw new InsightUsageError('--split picks a split of the run\'s own data; with --dataset every row of that file is evaluated.');
  if (values.target !== undefined && values.dataset === undefined) throw new InsightUsageError('--target names the column of the --dataset file that holds the true answers.');
  const checkpoint = checkpointOption(values.checkpoint);
  const file = positionals[0]!;
  const project = await openProject(file);
  const run = await findRun(backend, project, file, values.run, checkpoint);
  const groupBy = values['group-by'];
  const figures: EvaluationFigures =
    values.dataset !== undefined
      ? await evaluateFile(backend, run, values.dataset, { groupBy, target: values.target })
      : { ...(await backend.call('insight.evaluate', { run, split, ...(groupBy !== undefined ? { groupBy } : {}) })), source: `the ${split} split` };
  process.stdout.write(values.json ? `${JSON.stringify(evaluationJson(figures))}\n` : `${formatEvaluation(figures, `Run ${run.runId} of "${project.name}"`)}\n`);
  return 0;
}

/**
 * The run on every row of another table with its columns. Rows go through the run's own
 * encoding (its training rows' scales and categories), so the figures are of this network as
 * it trained, on new rows; the true answer is each row's `target` cell.
 */
async function evaluateFile(backend: Backend, run: RunRef, file: string, options: { groupBy: string | undefined; target: string | undefined }): Promise<EvaluationFigures> {
  if (!TABLE_EXTENSIONS.includes(path.extname(file).toLowerCase())) {
    throw new InsightUsageError(`--dataset takes a table (${TABLE_EXTENSIONS.join(', ')}) with the run's columns; to evaluate on another kind of data, train or open a project on it.`);
  }
  const info = await backend.call('insight.open', { run });
  if (info.input !== 'table' || (info.task !== 'classify' && info.task !== 'regress')) {
    throw new ApiFailure('INVALID_INPUT', `--dataset evaluates a network that reads a table's rows; run ${run.runId} reads ${info.input} and is ${info.task === 'classify' ? 'a classifier' : `a ${info.task} network`}.`);
  }
  const rows = rowInputs((await readInputFile(file)).toString('utf8'), file);
  const columns = Object.keys((rows[0]!.input as { values: Record<string, string> }).values);
  const targets = info.task === 'regress' ? info.targetNames : [options.target ?? truthColumn(columns, info)];
  for (const column of [...targets, ...(options.groupBy !== undefined ? [options.groupBy] : [])]) {
    if (!columns.includes(column)) throw new ApiFailure('INVALID_INPUT', `${file} has no column "${column}": its columns are ${columns.join(', ')}.`);
  }
  const cell = (i: number, column: string) => (rows[i]!.input as { values: Record<string, string> }).values[column]!;
  const answers = await predictAll(backend, run, rows);
  const groups = options.groupBy === undefined ? null : rows.map((_, i) => cell(i, options.groupBy!));
  const base = { source: file, samples: rows.length, where: rows.map((r) => r.label), ...(options.groupBy !== undefined ? { groupBy: options.groupBy } : {}) };
  if (info.task === 'regress') {
    const actual = rows.flatMap((row, i) =>
      targets.map((column) => {
        const v = Number(cell(i, column));
        if (cell(i, column) === '' || !Number.isFinite(v)) throw new ApiFailure('INVALID_INPUT', `${row.label}: ${column}: '${cell(i, column)}' is not a number.`);
        return v;
      }),
    );
    const figures = regressionFigures(actual, answers.flatMap((a) => a.value ?? []), targets.length);
    return {
      ...base,
      meanAbsoluteError: figures.meanAbsoluteError,
      rootMeanSquaredError: figures.rootMeanSquaredError,
      points: figures.points,
      targetName: targets[0]!,
      ...(groups ? { groups: groupFigures(groups, { errors: figures.errors }) } : {}),
    };
  }
  const classes = info.classes ?? [];
  const truth = rows.map((row, i) => classIndex(cell(i, targets[0]!), classes, `${row.label}: ${targets[0]}`));
  const top = answers.map((a) => a.top![0]!);
  return { ...base, ...classifierEvaluation(truth, top.map((t) => t.index), top.map((t) => t.probability), classes, groups) };
}

/** The column holding a classifier's true class: the last that is none of the network's inputs. */
function truthColumn(columns: readonly string[], info: InsightInfo): string {
  const fields = new Set(info.fields.map((f) => f.name));
  const rest = columns.filter((c) => !fields.has(c));
  if (rest.length === 0) throw new ApiFailure('INVALID_INPUT', `Every column of the --dataset file is one of the network's inputs; name the one with the true classes with --target.`);
  return rest[rest.length - 1]!;
}

/** A class cell's index: its name, or a number written another way (07 is class 7). */
function classIndex(cell: string, classes: readonly string[], where: string): number {
  const direct = classes.indexOf(cell);
  if (direct >= 0) return direct;
  const asNumber = cell === '' ? NaN : Number(cell);
  const numeric = Number.isFinite(asNumber) ? classes.indexOf(String(asNumber)) : -1;
  if (numeric >= 0) return numeric;
  throw new ApiFailure('INVALID_INPUT', `${where}: '${cell}' is not one of the run's classes (${classes.join(', ')}).`);
}
