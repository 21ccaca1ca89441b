import { DataAccessError } from './access.js';
import { datasetLabel, type DataDirs } from './builtins.js';
import { classCounts, DatasetError, type LoadedDataset } from './dataset.js';
import { sourceKind, type DatasetCache } from './load.js';
import type { DataProblem, DatasetKind, DatasetPreview, DatasetReport } from '../../shared/data/report.js';
import { toSource, type Augmentation, type ProjectDataset } from '../../shared/data/source.js';
import type { Task } from '../../shared/project/schema.js';

/** The tasks a dataset can train, the usual one first. */
export function tasksFor(data: Pick<LoadedDataset, 'kind' | 'target'>): Task[] {
  if (data.kind === 'corpus') return ['language-model'];
  if (data.target.kind === 'values') return ['regress'];
  if (data.kind === 'images') return ['classify', 'autoencode', 'gan'];
  return ['classify'];
}

/** What a read dataset holds, as `dataset inspect` prints it. */
export function reportOf(data: LoadedDataset): DatasetReport {
  return {
    kind: data.kind,
    name: data.name,
    samples: data.train.count + data.test.count,
    splits: { train: data.train.count, test: data.test.count },
    inputShape: data.inputShape,
    classes: data.classes,
    classCounts: data.classes ? classCounts(data.train, data.classes.length) : null,
    target: data.target,
    vocabulary: data.vocabulary,
    columns: data.columns,
    problems: [...data.problems],
    tasks: tasksFor(data),
  };
}

/** The report of a dataset that could not be read at all: no examples, and the problems that stopped it. */
function unreadable(dataset: ProjectDataset, err: unknown, dirs: DataDirs): DatasetReport {
  const source = toSource(dataset);
  const kind = sourceKind(source, dirs);
  const name = datasetLabel(source);
  const problems: DataProblem[] =
    err instanceof DatasetError && err.problems.length > 0 ? err.problems : [{ ...(source.kind === 'builtin' ? {} : { file: source.path }), message: (err as Error).message }];
  if (err instanceof DatasetError && err.problems.length > 0 && !problems.some((p) => p.message === err.message)) problems.push({ message: err.message });
  return emptyReport(kind, name, problems);
}

/** A report of no examples: what a dataset that cannot be read gives, with the problems that stopped it. */
export function emptyReport(kind: DatasetKind, name: string, problems: DataProblem[]): DatasetReport {
  return {
    kind,
    name,
    samples: 0,
    splits: { train: 0, test: 0 },
    inputShape: [],
    classes: null,
    classCounts: null,
    target: kind === 'corpus' ? { kind: 'next-token' } : { kind: 'classes' },
    vocabulary: null,
    columns: [],
    problems,
    tasks: [],
  };
}

/**
 * Reads a dataset and reports on it; a dataset that cannot be read is a report of its
 * problems. One that NetCanvas will not read (`DataAccessError`: not allowed, not a regular
 * file, too big) is thrown, for the request to be refused with its code.
 */
export async function inspectDataset(cache: DatasetCache, dataset: ProjectDataset, dirs: DataDirs = {}): Promise<{ report: DatasetReport; data: LoadedDataset | null }> {
  try {
    const data = await cache.load(dataset);
    return { report: reportOf(data), data };
  } catch (err) {
    if (err instanceof DataAccessError) throw err;
    return { report: unreadable(dataset, err, dirs), data: null };
  }
}

/** The report and a few examples; an unreadable dataset previews as no text. */
export async function previewDataset(cache: DatasetCache, dataset: ProjectDataset, count: number, augmentation: Augmentation | null, dirs: DataDirs = {}): Promise<{ report: DatasetReport; preview: DatasetPreview }> {
  const { report, data } = await inspectDataset(cache, dataset, dirs);
  const preview: DatasetPreview = data ? data.preview(count, augmentation) : { kind: 'text', snippets: [] };
  // Images decoded for the preview may have turned up files that do not read.
  return { report: data ? { ...report, problems: [...data.problems] } : report, preview };
}
