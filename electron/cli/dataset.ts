import path from 'node:path';
import { checkSourceOptions, likelyKind, sourceFromArgument, SourceOptionError, USER_KINDS, type SourceOptions } from '../data/guess.js';
import { emptyReport } from '../data/inspect.js';
import { datasetFit, type FitProblem } from '../../shared/data/fit.js';
import type { BuiltinInfo, DatasetReport } from '../../shared/data/report.js';
import { analyseNetwork } from '../../shared/graph/blocks.js';
import type { Project } from '../../shared/project/schema.js';
import { MISSING_RULES } from '../../shared/data/source.js';
import type { Backend } from '../backend/backend.js';
import { parseCommand } from './args.js';

/** The names --delimiter takes, and the separator each stands for. */
const DELIMITERS = { comma: ',', tab: '\t', semicolon: ';' } as const;

/** The dataset commands' lines of the CLI's usage text. */
export const DATASET_USAGE = `netcanvas dataset list [--json]
  netcanvas dataset inspect <path or built-in name> [--json] [--network <project file>] [--kind ${USER_KINDS.join('|')}]
                  [--target COLUMN] [--features A,B,…] [--categories one-hot|index] [--missing ${MISSING_RULES.join('|')}]
                  [--no-standardize] [--header | --no-header] [--delimiter ${Object.keys(DELIMITERS).join('|')}]
                  [--labels FILE] [--size HxW] [--gray] [--level char|word] [--length N]
                  [--stride N] [--vocabulary N] [--count N] [--noise X] [--test-fraction F]`;

/** Options that describe how to read a dataset; `train --dataset` takes them too. */
export const SOURCE_OPTIONS = {
  kind: { type: 'string' },
  target: { type: 'string' },
  features: { type: 'string' },
  categories: { type: 'string' },
  missing: { type: 'string' },
  'no-standardize': { type: 'boolean' },
  header: { type: 'boolean' },
  'no-header': { type: 'boolean' },
  delimiter: { type: 'string' },
  labels: { type: 'string' },
  size: { type: 'string' },
  gray: { type: 'boolean' },
  level: { type: 'string' },
  length: { type: 'string' },
  stride: { type: 'string' },
  vocabulary: { type: 'string' },
  count: { type: 'string' },
  noise: { type: 'string' },
  'test-fraction': { type: 'string' },
} as const;

/** A value to show for each reading option given without one. */
export const SOURCE_EXAMPLES = {
  kind: 'csv',
  target: 'price',
  features: 'age,income',
  categories: 'one-hot',
  missing: MISSING_RULES[0],
  delimiter: 'comma',
  labels: 'labels.csv',
  size: '32x32',
  level: 'char',
  length: '64',
  stride: '1',
  vocabulary: '5000',
  count: '1000',
  noise: '0.1',
  'test-fraction': '0.2',
} satisfies { [K in keyof typeof SOURCE_OPTIONS]?: string };

/** A dataset command or option used wrongly: the CLI prints it with the usage and exits with 2. */
export class DatasetUsageError extends Error {}

/** The command-line option that sets each SourceOptions key (--header, or --no-header when that was given). */
const OPTION_NAMES: Record<keyof SourceOptions, keyof typeof SOURCE_OPTIONS> = {
  kind: 'kind',
  target: 'target',
  features: 'features',
  categories: 'categories',
  missing: 'missing',
  standardize: 'no-standardize',
  header: 'header',
  delimiter: 'delimiter',
  labels: 'labels',
  size: 'size',
  color: 'gray',
  level: 'level',
  length: 'length',
  stride: 'stride',
  vocabulary: 'vocabulary',
  noise: 'noise',
  count: 'count',
  testFraction: 'test-fraction',
};

const num = (value: string | undefined, name: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new DatasetUsageError(`--${name} must be a number (got "${value}").`);
  return n;
};

type SourceValues = { [K in keyof typeof SOURCE_OPTIONS]?: (typeof SOURCE_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** An option's value no source takes, as the usage error that names the option as typed. */
function usageError(err: SourceOptionError, values: SourceValues): DatasetUsageError {
  const name = err.option === 'header' && !values.header ? 'no-header' : OPTION_NAMES[err.option];
  const typed = values[name];
  return new DatasetUsageError(`--${name} ${err.requirement}${typeof typed === 'string' ? ` (got "${typed}")` : ''}.`);
}

/**
 * The reading options from parsed command-line values, each checked against the sources that
 * take it: a value none takes is a DatasetUsageError naming the option.
 */
export function sourceOptions(values: SourceValues): SourceOptions {
  if (values.header && values['no-header']) throw new DatasetUsageError('--header and --no-header say opposite things: give one of them.');
  let delimiter: SourceOptions['delimiter'];
  if (values.delimiter !== undefined) {
    if (!Object.hasOwn(DELIMITERS, values.delimiter)) throw new DatasetUsageError(`--delimiter must be ${Object.keys(DELIMITERS).join(', ')} (got "${values.delimiter}").`);
    delimiter = DELIMITERS[values.delimiter as keyof typeof DELIMITERS];
  }
  let size: [number, number] | undefined;
  if (values.size !== undefined) {
    const m = /^(\d+)(?:x(\d+))?$/i.exec(values.size);
    if (!m) throw new DatasetUsageError(`--size must be HEIGHTxWIDTH such as 32x32, or one number (got "${values.size}").`);
    size = [Number(m[1]), Number(m[2] ?? m[1])];
  }
  const options: SourceOptions = {
    kind: values.kind as SourceOptions['kind'],
    target: values.target,
    features: values.features?.split(',').map((f) => f.trim()),
    categories: values.categories as SourceOptions['categories'],
    missing: values.missing,
    standardize: values['no-standardize'] ? false : undefined,
    header: values.header ? true : values['no-header'] ? false : undefined,
    delimiter,
    labels: values.labels,
    size,
    color: values.gray ? 'gray' : undefined,
    level: values.level as SourceOptions['level'],
    length: num(values.length, 'length'),
    stride: num(values.stride, 'stride'),
    vocabulary: num(values.vocabulary, 'vocabulary'),
    count: num(values.count, 'count'),
    noise: num(values.noise, 'noise'),
    testFraction: num(values['test-fraction'], 'test-fraction'),
  };
  try {
    checkSourceOptions(options);
  } catch (err) {
    throw err instanceof SourceOptionError ? usageError(err, values) : err;
  }
  return options;
}

/** The report as a person reads it. */
export function formatReport(report: DatasetReport): string {
  const lines = [`${report.name} (${report.kind})`];
  if (report.samples > 0) {
    lines.push(`  examples     ${report.samples.toLocaleString('en-US')}: ${report.splits.train.toLocaleString('en-US')} train, ${report.splits.test.toLocaleString('en-US')} test`);
    lines.push(`  input shape  (${report.inputShape.length > 0 ? report.inputShape.join(', ') : 'length set by the network'})`);
    if (report.classes) {
      const counts = report.classCounts ?? [];
      const shown = report.classes.slice(0, 20).map((c, i) => `${c} ${counts[i] ?? 0}`);
      lines.push(`  classes      ${report.classes.length}: ${shown.join(', ')}${report.classes.length > 20 ? ', …' : ''}`);
    }
    if (report.target.kind === 'values') lines.push(`  predicts     ${report.target.size} value${report.target.size === 1 ? '' : 's'}`);
    if (report.vocabulary !== null) lines.push(`  vocabulary   ${report.vocabulary.toLocaleString('en-US')} tokens`);
    lines.push(`  tasks        ${report.tasks.join(', ')}`);
  } else {
    lines.push('  no usable examples');
  }
  if (report.columns.length > 0) {
    lines.push('  columns');
    const width = Math.max(...report.columns.map((c) => c.name.length));
    for (const c of report.columns) lines.push(`    ${c.name.padEnd(width)}  ${c.type.padEnd(8)}  ${c.role.padEnd(7)}  ${c.missing} missing`);
  }
  if (report.problems.length > 0) {
    lines.push(`  problems (${report.problems.length})`);
    for (const p of report.problems) lines.push(`    ${p.message}`);
  }
  return lines.join('\n');
}

function formatList(list: BuiltinInfo[]): string {
  const width = Math.max(...list.map((b) => b.id.length));
  return list.map((b) => `${b.id.padEnd(width)}  ${b.available ? ' ' : '✗'} ${b.name}: ${b.description}${b.available ? '' : `\n${' '.repeat(width + 4)}${b.note}`}`).join('\n');
}

/** Where a project's network and the data disagree, for its task; graph errors come first. */
function fitOf(project: Project, report: DatasetReport): Array<{ node?: string; message: string }> {
  const { network, inference } = analyseNetwork(project.graph);
  if (inference.diagnostics.length > 0) return inference.diagnostics.map((d) => ({ ...(d.nodeId ? { node: d.nodeId } : {}), message: d.message }));
  if (report.samples === 0) return [];
  const { task, loss, gan } = project.training;
  return datasetFit(network, inference, report, { task, loss, ...(gan ? { gan } : {}) }).map((p: FitProblem) => ({ ...(p.nodeId ? { node: p.nodeId } : {}), message: p.message }));
}

/** The report of an argument that could not be turned into a source: no examples, and why. */
async function unreadableReport(arg: string, message: string): Promise<DatasetReport> {
  return emptyReport(await likelyKind(arg), path.basename(arg), [{ file: arg, message }]);
}

/**
 * `netcanvas dataset list|inspect`: exits 1 when the data has problems, cannot be read, or
 * does not fit the network given with --network; 0 when all is well.
 */
export async function datasetCommand(backend: Backend, args: string[], openProject: (file: string) => Promise<Project>): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    const { values } = parseCommand('dataset list', { args: rest, options: { json: { type: 'boolean' } } });
    const list = await backend.call('datasets.list', {});
    process.stdout.write(`${values.json ? JSON.stringify(list) : formatList(list)}\n`);
    return 0;
  }
  if (sub !== 'inspect') throw new DatasetUsageError(sub === undefined ? 'dataset needs list or inspect.' : `Unknown dataset command "${sub}": use list or inspect.`);
  const inspectOptions = { json: { type: 'boolean' }, network: { type: 'string' }, ...SOURCE_OPTIONS } as const;
  const { values, positionals } = parseCommand('dataset inspect', { args: rest, options: inspectOptions, allowPositionals: true }, { network: 'model.netcanvas.json', ...SOURCE_EXAMPLES });
  const project = values.network === undefined ? null : await openProject(values.network);
  if (positionals.length !== 1) throw new DatasetUsageError('dataset inspect takes one path or built-in name.');
  const arg = positionals[0]!;
  const options = sourceOptions(values);
  let dataset;
  try {
    dataset = await sourceFromArgument(arg, options);
  } catch (err) {
    if (err instanceof SourceOptionError) throw usageError(err, values);
    const message = (err as Error).message;
    process.stdout.write(values.json ? `${JSON.stringify(await unreadableReport(arg, message))}\n` : `${message}\n`);
    return 1;
  }
  const report = await backend.call('datasets.inspect', { dataset });
  const fit = project ? fitOf(project, report) : null;
  if (values.json) {
    process.stdout.write(`${JSON.stringify(fit ? { ...report, fit } : report)}\n`);
  } else {
    process.stdout.write(`${formatReport(report)}\n`);
    if (project && fit) {
      if (fit.length === 0) process.stdout.write(`  fits the network of "${project.name}" (${project.training.task})\n`);
      else process.stdout.write(`  does not fit the network of "${project.name}" (${project.training.task})\n${fit.map((f) => `    ${f.message}`).join('\n')}\n`);
    }
  }
  return report.samples === 0 || report.problems.length > 0 || (fit?.length ?? 0) > 0 ? 1 : 0;
}
