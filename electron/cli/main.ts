import { stat } from 'node:fs/promises';
import path from 'node:path';
import { formatEpoch, formatSummary, type DetailedSummary } from './format.js';
import { ProgressBar } from './progress.js';
import { doneLine, resumeCommand } from './run-end.js';
import { SampleWriter } from './samples.js';
import { checkExpectation } from './expectation.js';
import { ArgsError, parseCommand, suggest } from './args.js';
import { evaluateCommand, INSIGHT_HELP, INSIGHT_USAGE, InsightUsageError, predictCommand } from './insight.js';
import { DATASET_USAGE, datasetCommand, DatasetUsageError, SOURCE_EXAMPLES, SOURCE_OPTIONS, sourceOptions } from './dataset.js';
import { SourceOptionError, sourceFromArgument } from '../data/guess.js';
import {
  BACKEND_CHOICES,
  CHECKPOINT_KINDS,
  EXPORT_TARGET_NAMES,
  type CheckpointKind,
  type EpochRecord,
  type ExportTargetName,
  type ParamsOf,
  type ResultOf,
  type RunConfig,
  type TrainingEvent,
} from '../../shared/api/contract.js';
import { inferNetwork } from '../../shared/graph/blocks.js';
import { EXPORT_FORMAT_LABELS, EXPORT_FORMATS, exportModel, type ExportFormat } from '../../shared/keras/export.js';
import { OPTIMIZERS, type Project } from '../../shared/project/schema.js';
import { ApiFailure, Backend } from '../backend/backend.js';
import { dataRoots } from '../backend/data-access.js';
import { defaultProjectsDir } from '../backend/projects.js';
import { bench, BENCH_USAGE } from '../bench/command.js';
import { startServer, type RunningServer } from '../server/server.js';
import { writeFileAtomic } from '../files/atomic.js';
import { forkLauncher } from '../training/launcher.js';
import { EXPORT_TARGET_LABELS, ExportRefused } from '../export/model.js';
import { nextSteps } from '../export/targets.js';

/** Every --format export takes: a trained run's targets, and the architecture-only JSON files. */
const ALL_FORMATS = [...EXPORT_TARGET_NAMES, ...EXPORT_FORMATS];

const USAGE = `Usage:
  netcanvas summary <file> [--json]
  netcanvas export <file> --run <run id> --format ${EXPORT_TARGET_NAMES.join('|')} --out <folder> [--checkpoint best|last]
  netcanvas export <file> --format ${ALL_FORMATS.join('|')} --out <path>
  netcanvas train <file> [--epochs N] [--batch-size N] [--max-batches N] [--samples-per-epoch N]
                  [--optimizer ${OPTIMIZERS.join('|')}] [--learning-rate X] [--schedule constant|cosine[:F]|step:N:F]
                  [--validation-split F] [--early-stopping PATIENCE] [--seed N] [--temperature T]
                  [--resume RUN-ID | --start-from RUN-ID | --fresh] [--from-best] [--samples-dir DIR] [--backend ${BACKEND_CHOICES.join('|')}] [--threads N] [--json]
                  [--dataset <path or built-in name> [dataset options as for inspect]]
  ${INSIGHT_USAGE}
  ${DATASET_USAGE}
  netcanvas serve [--port N] [--allow <folder>]...
  ${BENCH_USAGE}

<file> is a NetCanvas project (.netcanvas.json), a Keras model saved with model.to_json()
(Keras 2 or 3), or a TensorFlow.js model.json.

export --run writes a trained run's network with its weights into a folder (the run ids are
in train's output and in the Runs list); --checkpoint picks its best epoch (the default when it
kept one) or its last. Without --run, tfjs, keras, tfjs-json and keras-json write the architecture
as one JSON file, and pytorch and onnx write the untrained network with fresh weights.

${INSIGHT_HELP}

train --resume continues a run from its last checkpoint (--from-best: its best); --start-from
starts a new run from that run's weights, matched to the layers by name and shape. A model file
that comes with its weights (a model.json's .bin files, a Keras JSON's model_weights.h5 beside
it, or a whole-model .h5) trains from them unless --fresh is given.`;

class UsageError extends Error {}

/** The bounds a numeric option's value must keep to; `above` is a bound the value may not equal. */
interface Range {
  min?: number;
  above?: number;
  max?: number;
}

function checkRange(value: number, name: string, range: Range): number {
  if (range.min !== undefined && value < range.min) throw new UsageError(`--${name} must be at least ${range.min} (got ${value}).`);
  if (range.above !== undefined && value <= range.above) throw new UsageError(`--${name} must be above ${range.above} (got ${value}).`);
  if (range.max !== undefined && value > range.max) throw new UsageError(`--${name} must be at most ${range.max} (got ${value}).`);
  return value;
}

/** Number() reads an empty value, as in `--epochs=`, as 0; here it is no number. */
const parseNumber = (value: string): number => (value.trim() === '' ? NaN : Number(value));

function intOption(value: string | undefined, name: string, range: Range = {}): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseNumber(value);
  if (!Number.isInteger(parsed)) throw new UsageError(`--${name} must be a whole number (got "${value}").`);
  return checkRange(parsed, name, range);
}

interface Opened {
  project: Project;
  /** What the import left out or changed, e.g. a frozen layer that will train. */
  warnings: string[];
  /** The weights that came with a model file, kept as a run to start from (only where the Backend keeps runs). */
  weights?: { runId: string; fileName: string; layers: string[] };
}

/**
 * Opens a project file, or imports a Keras (.json, .h5) or TensorFlow.js model file, through the
 * Backend's own open: it reads the weight files beside a model file, and keeps them as a run
 * when the Backend keeps runs.
 */
async function openFile(backend: Backend, file: string): Promise<Opened> {
  const resolved = path.resolve(file);
  try {
    if ((await stat(resolved)).isDirectory()) throw new ApiFailure('INVALID_REQUEST', `Cannot read ${file}: it is a folder; name a project or model file.`);
  } catch (err) {
    if (err instanceof ApiFailure) throw err;
    throw new ApiFailure('NOT_FOUND', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
  }
  const opened = await backend.call('projects.open', { path: resolved });
  if ('cancelled' in opened) throw new ApiFailure('NOT_FOUND', `Cannot read ${file}.`);
  return { project: opened.project, warnings: opened.warnings, ...(opened.weights ? { weights: opened.weights } : {}) };
}

async function openProject(backend: Backend, file: string): Promise<Project> {
  const { project, warnings } = await openFile(backend, file);
  for (const warning of warnings) process.stderr.write(`netcanvas: note: ${warning}\n`);
  return project;
}

async function summary(backend: Backend, args: string[]): Promise<number> {
  const { values, positionals } = parseCommand('summary', { args, options: { json: { type: 'boolean' } }, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('summary takes one file.');
  const { project, warnings } = await openFile(backend, positionals[0]!);
  const result = await backend.call('project.summary', { project });
  const inference = inferNetwork(project.graph);
  const nameOf = new Map(result.layers.map((l) => [l.id, l.name]));
  const detailed: DetailedSummary = {
    ...result,
    layers: result.layers.map((l) => ({
      ...l,
      trainableParams: inference.nodes[l.id]?.trainableParams ?? 0,
      nonTrainableParams: inference.nodes[l.id]?.nonTrainableParams ?? 0,
      inputs: (inference.portsOf[l.id] ?? []).map((port) => `${nameOf.get(port.node) ?? port.node}${port.output > 0 ? ` (output ${port.output + 1})` : ''}`),
    })),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...detailed, ...(warnings.length > 0 ? { warnings } : {}) })}\n`);
  } else {
    process.stdout.write(`${formatSummary(detailed, project.name)}\n`);
    for (const warning of warnings) process.stdout.write(`note: ${warning}\n`);
  }
  return result.errors.length > 0 ? 1 : 0;
}

const EXPORT_OPTIONS = { format: { type: 'string' }, out: { type: 'string' }, run: { type: 'string' }, checkpoint: { type: 'string' } } as const;
/** `--format tfjs` or `keras` without --run: the architecture JSON, as those formats always wrote. */
const ARCHITECTURE_OF: Partial<Record<string, ExportFormat>> = { tfjs: 'tfjs-json', keras: 'keras-json' };

async function exportFile(backend: Backend, args: string[]): Promise<number> {
  const examples = { format: 'pytorch', out: 'exported', run: '<run id>', checkpoint: 'best' };
  const { values, positionals } = parseCommand('export', { args, options: EXPORT_OPTIONS, allowPositionals: true }, examples);
  if (positionals.length !== 1) throw new UsageError('export takes one file.');
  if (values.format === undefined) throw new UsageError(`export needs --format (${ALL_FORMATS.join(', ')}).`);
  if (values.out === undefined) throw new UsageError(`export needs --out <path>: the folder to write${values.run === undefined ? ' (for keras-json and tfjs-json, the file)' : ''}.`);
  if (!(ALL_FORMATS as readonly string[]).includes(values.format)) {
    process.stderr.write(`netcanvas: Unknown export format "${values.format}": use ${ALL_FORMATS.join(', ')}.\n`);
    return 1;
  }
  const checkpoint = enumOption(values.checkpoint, 'checkpoint', CHECKPOINT_KINDS);
  if (values.run === undefined && checkpoint !== undefined) throw new UsageError('--checkpoint picks a checkpoint of the run named by --run <run id>.');
  const file = positionals[0]!;
  // Every target but the architecture JSON files writes a folder.
  const intoFolder = values.run !== undefined || !(EXPORT_FORMATS as readonly string[]).includes(ARCHITECTURE_OF[values.format] ?? values.format);
  if (intoFolder && (await stat(values.out).then((s) => !s.isDirectory(), () => false))) {
    process.stderr.write(`netcanvas: ${values.out} is a file; --out names a folder for this format.\n`);
    return 1;
  }
  if (values.run !== undefined) {
    if (!(EXPORT_TARGET_NAMES as readonly string[]).includes(values.format)) {
      throw new UsageError(`A trained run exports to ${EXPORT_TARGET_NAMES.join(', ')}; ${values.format} holds the architecture only: leave out --run for it.`);
    }
    const target = values.format as ExportTargetName;
    return exportRun(backend, file, { runId: values.run, target, out: values.out, ...(checkpoint ? { checkpoint } : {}) });
  }
  const format = ARCHITECTURE_OF[values.format] ?? values.format;
  if ((EXPORT_FORMATS as readonly string[]).includes(format)) return exportArchitecture(backend, file, format as ExportFormat, values.out);
  return exportUntrained(backend, file, values.format as ExportTargetName, values.out);
}

interface RunExportArgs {
  runId: string;
  target: ExportTargetName;
  out: string;
  checkpoint?: CheckpointKind;
}

/** A trained run with its weights: looked for beside the project file, then in the runs folder by the project's name. */
async function exportRun(backend: Backend, file: string, args: RunExportArgs): Promise<number> {
  const project = await openProject(backend, file);
  const request = { projectName: project.name, project, ...args, out: path.resolve(args.out) };
  let result: ResultOf<'runs.export'>;
  try {
    result = await backend.call('runs.export', { ...request, projectPath: path.resolve(file) });
  } catch (err) {
    if (!(err instanceof ApiFailure && err.code === 'NOT_FOUND' && err.message.startsWith('No saved run'))) throw err;
    result = await backend.call('runs.export', request).catch(() => Promise.reject(err));
  }
  if ('cancelled' in result) return 1;
  process.stdout.write(`Wrote ${EXPORT_TARGET_LABELS[args.target]} of run ${args.runId} of "${project.name}" to ${result.folder}:\n`);
  for (const written of result.files) process.stdout.write(`  ${written}\n`);
  for (const step of nextSteps(result.folder, result.files)) process.stdout.write(`${step}\n`);
  return 0;
}

/** PyTorch or ONNX without a run: the network as it is, with the weights it would start training from. */
async function exportUntrained(backend: Backend, file: string, target: ExportTargetName, out: string): Promise<number> {
  const project = await openProject(backend, file);
  const folder = path.resolve(out);
  // Loaded when asked for: the other commands start without building networks.
  const { RunNotExportable, untrainedToExport } = await import('../export/run.js');
  const { exportModelTo } = await import('../export/targets.js');
  let written: string[];
  try {
    written = await exportModelTo(await untrainedToExport(project), target, folder);
  } catch (err) {
    if (err instanceof ExportRefused || err instanceof RunNotExportable) {
      process.stderr.write(`netcanvas: ${err.message}\n`);
      return 1;
    }
    if (typeof (err as NodeJS.ErrnoException).code !== 'string') throw err;
    process.stderr.write(`netcanvas: Cannot write into ${out}: ${writeProblem(err as NodeJS.ErrnoException)}.\n`);
    return 1;
  }
  const files = written.map((f) => path.relative(folder, f).split(path.sep).join('/'));
  process.stdout.write(`No --run given: this is "${project.name}" untrained, with fresh random weights (add --run <run id> to export a trained run's).\n`);
  process.stdout.write(`Wrote ${EXPORT_TARGET_LABELS[target]} of "${project.name}" to ${folder}:\n`);
  for (const name of files) process.stdout.write(`  ${name}\n`);
  for (const step of nextSteps(folder, files)) process.stdout.write(`${step}\n`);
  return 0;
}

/** The network's architecture as Keras or TensorFlow.js JSON, without weights, into one file. */
async function exportArchitecture(backend: Backend, file: string, format: ExportFormat, outFile: string): Promise<number> {
  const project = await openProject(backend, file);
  const result = exportModel(project.graph, format, project.name);
  if (!result.ok) {
    process.stderr.write(`netcanvas: ${result.error.message}\n`);
    return 1;
  }
  const out = path.resolve(outFile);
  try {
    // The atomic writer would make a missing folder; a mistyped one should be said instead.
    if (!(await stat(path.dirname(out))).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    // Atomic: a failed or killed export leaves the file that was there whole.
    await writeFileAtomic(out, result.text);
  } catch (err) {
    process.stderr.write(`netcanvas: Cannot write ${outFile}: ${writeProblem(err as NodeJS.ErrnoException)}.\n`);
    return 1;
  }
  process.stdout.write(`Wrote ${EXPORT_FORMAT_LABELS[format]} of "${project.name}" to ${out}\n`);
  return 0;
}

function writeProblem(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'its folder does not exist';
    case 'ENOTDIR':
      return 'part of its path is not a folder';
    case 'EISDIR':
      return 'it is a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the disk is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EFBIG':
      return 'the file would be larger than this system allows; the file that was there is unchanged';
    default:
      return err.message;
  }
}

function numberOption(value: string | undefined, name: string, range: Range = {}): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseNumber(value);
  if (!Number.isFinite(parsed)) throw new UsageError(`--${name} must be a number (got "${value}").`);
  return checkRange(parsed, name, range);
}

function enumOption<T extends string>(value: string | undefined, name: string, options: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(options as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${options.join(', ')} (got "${value}").`);
  return value as T;
}

/** `--schedule step:2:0.5` (every 2 epochs × 0.5), `cosine` or `cosine:0.1`, `constant`. */
function scheduleOption(value: string | undefined): RunConfig['schedule'] {
  if (value === undefined) return undefined;
  const [kind, a, b] = value.split(':');
  if (kind === 'constant' && a === undefined) return { kind: 'constant' };
  if (kind === 'cosine' && b === undefined) return { kind: 'cosine', minFactor: numberOption(a ?? '0', 'schedule')! };
  if (kind === 'step' && a !== undefined && b !== undefined) return { kind: 'step', everyEpochs: intOption(a, 'schedule')!, factor: numberOption(b, 'schedule')! };
  throw new UsageError(`--schedule must be constant, cosine[:min-factor] or step:<every epochs>:<factor> (got "${value}").`);
}

const TRAIN_OPTIONS = {
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  'max-batches': { type: 'string' },
  'samples-per-epoch': { type: 'string' },
  optimizer: { type: 'string' },
  'learning-rate': { type: 'string' },
  schedule: { type: 'string' },
  'validation-split': { type: 'string' },
  'early-stopping': { type: 'string' },
  seed: { type: 'string' },
  temperature: { type: 'string' },
  resume: { type: 'string' },
  'start-from': { type: 'string' },
  'from-best': { type: 'boolean' },
  fresh: { type: 'boolean' },
  'samples-dir': { type: 'string' },
  check: { type: 'boolean' },
  backend: { type: 'string', default: 'auto' },
  threads: { type: 'string' },
  json: { type: 'boolean' },
  dataset: { type: 'string' },
  ...SOURCE_OPTIONS,
} as const;

/** A value to show for each train option given without one. */
const TRAIN_EXAMPLES = {
  epochs: '5',
  'batch-size': '64',
  'max-batches': '10',
  'samples-per-epoch': '1000',
  optimizer: 'adam',
  'learning-rate': '0.001',
  schedule: 'cosine',
  'validation-split': '0.1',
  'early-stopping': '3',
  seed: '42',
  temperature: '0.8',
  resume: '<run id>',
  'start-from': '<run id>',
  'samples-dir': 'samples',
  backend: 'wasm',
  threads: '2',
  dataset: 'mnist',
  ...SOURCE_EXAMPLES,
};

/** The ranges of the run settings in shared/project/schema.ts, checked here so the message names the option. */
const TRAIN_RANGES = {
  epochs: { min: 1, max: 10_000 },
  'batch-size': { min: 1, max: 65_536 },
  'max-batches': { min: 1 },
  'samples-per-epoch': { min: 1 },
  'learning-rate': { above: 0, max: 10 },
  'validation-split': { above: 0, max: 0.5 },
  'early-stopping': { min: 1 },
  temperature: { above: 0, max: 5 },
  threads: { min: 1, max: 256 },
} satisfies Record<string, Range>;

async function train(backend: Backend, args: string[]): Promise<number> {
  const { values, positionals } = parseCommand('train', { args, options: TRAIN_OPTIONS, allowPositionals: true }, TRAIN_EXAMPLES);
  if (positionals.length !== 1) throw new UsageError('train takes one file.');
  const file = positionals[0]!;
  const split = numberOption(values['validation-split'], 'validation-split', TRAIN_RANGES['validation-split']);
  const patience = intOption(values['early-stopping'], 'early-stopping', TRAIN_RANGES['early-stopping']);
  const config: RunConfig = {
    epochs: intOption(values.epochs, 'epochs', TRAIN_RANGES.epochs),
    batchSize: intOption(values['batch-size'], 'batch-size', TRAIN_RANGES['batch-size']),
    maxBatches: intOption(values['max-batches'], 'max-batches', TRAIN_RANGES['max-batches']),
    samplesPerEpoch: intOption(values['samples-per-epoch'], 'samples-per-epoch', TRAIN_RANGES['samples-per-epoch']),
    optimizer: enumOption(values.optimizer, 'optimizer', OPTIMIZERS),
    learningRate: numberOption(values['learning-rate'], 'learning-rate', TRAIN_RANGES['learning-rate']),
    schedule: scheduleOption(values.schedule),
    validation: split === undefined ? undefined : { kind: 'split', fraction: split },
    earlyStopping: patience === undefined ? undefined : { patience },
    seed: intOption(values.seed, 'seed'),
    temperature: numberOption(values.temperature, 'temperature', TRAIN_RANGES.temperature),
    backend: enumOption(values.backend, 'backend', BACKEND_CHOICES),
    threads: intOption(values.threads, 'threads', TRAIN_RANGES.threads),
    resumeFrom: values.resume ? { runId: values.resume, checkpoint: values['from-best'] ? 'best' : 'last' } : undefined,
    startFrom: values['start-from'] ? { runId: values['start-from'], checkpoint: values['from-best'] ? 'best' : 'last' } : undefined,
  };
  if (values.resume && values['start-from']) throw new UsageError('--resume continues a run and --start-from starts a new one from its weights: give one of them.');
  if (values.fresh && (values.resume || values['start-from'])) throw new UsageError(`--fresh starts from random weights; leave it out with --${values.resume ? 'resume' : 'start-from'}.`);
  if (values['from-best'] && !values.resume && !values['start-from']) throw new UsageError('--from-best picks the best checkpoint of the run named by --resume or --start-from.');
  // A model file's own weights are the default start; opened without keeping runs, they are not read.
  const wantsOwnWeights = !values.fresh && !values.resume && !values['start-from'];
  const opened = wantsOwnWeights ? await openFile(backend, file) : await withBackend(false, (reader) => openFile(reader, file));
  for (const warning of opened.warnings) process.stderr.write(`netcanvas: note: ${warning}\n`);
  const { project } = opened;
  if (wantsOwnWeights && opened.weights) config.startFrom = { runId: opened.weights.runId, checkpoint: 'last' };
  if (values.dataset !== undefined) {
    try {
      project.training.dataset = await sourceFromArgument(values.dataset, sourceOptions(values));
    } catch (err) {
      if (err instanceof DatasetUsageError || err instanceof SourceOptionError) throw new UsageError(err.message);
      throw new ApiFailure('NOT_FOUND', (err as Error).message);
    }
  }
  if (values.check && !project.expected) throw new UsageError(`--check needs a project that states its expected quality ("expected" in ${file}).`);
  const projectPath = path.resolve(file);
  const progress = new ProgressBar();
  const history: EpochRecord[] = [];
  const samples = new SampleWriter(values['samples-dir'] ?? null);
  let epochs = 0;
  let firstEpoch = 1;
  let runDir = '';
  let lastCheckpoint: number | null = null;

  const finished = new Promise<Extract<TrainingEvent, { type: 'done' | 'error' }>>((resolve) => {
    backend.subscribe(({ event }) => {
      switch (event.type) {
        case 'started':
          epochs = event.epochs;
          firstEpoch = event.firstEpoch;
          progress.line(`Training "${project.name}" on the ${event.backend} backend${event.device ? ` on ${event.device}` : ''}${event.threads !== undefined ? `, ${event.threads} ${event.threads === 1 ? 'thread' : 'threads'}` : ''} (${event.trainSamples.toLocaleString('en-US')} examples${event.firstEpoch > 1 ? `, from epoch ${event.firstEpoch}` : ''}).`);
          for (const note of event.backendNotes) progress.line(`  not used: ${note}`);
          break;
        case 'batch': {
          const last = event.points[event.points.length - 1]!;
          const done = (event.epoch - firstEpoch + event.batch / event.batchesPerEpoch) / (epochs - firstEpoch + 1);
          const acc = last.acc === null ? '' : `  acc ${last.acc.toFixed(3)}`;
          const gan = last.dLoss !== undefined ? `  d ${last.dLoss.toFixed(3)}  g ${last.gLoss!.toFixed(3)}` : '';
          progress.update(done, `epoch ${event.epoch}/${epochs}  batch ${event.batch}/${event.batchesPerEpoch}  loss ${last.loss.toFixed(4)}${acc}${gan}  ${Math.round(event.samplesPerSec)} samples/s`);
          break;
        }
        case 'epoch':
          history.push(event.record);
          progress.line(formatEpoch(event.record, epochs));
          break;
        case 'samples':
          for (const line of samples.write(event.epoch, event.samples)) progress.line(line);
          break;
        case 'checkpoint':
          runDir = event.dir;
          if (event.kinds.includes('last')) lastCheckpoint = event.epoch;
          break;
        case 'log':
          progress.line(event.message);
          break;
        case 'paused':
          break;
        case 'done':
        case 'error':
          resolve(event);
          break;
      }
    });
  });

  if (wantsOwnWeights && opened.weights) {
    progress.line(`Starting from the weights that came with ${opened.weights.fileName} (add --fresh to start from random weights).`);
  }
  const { runId } = await startTraining(backend, { project, config, projectPath }, wantsOwnWeights && opened.weights !== undefined);
  const onInterrupt = () => {
    progress.line('Stopping after the current batch…');
    void backend.call('training.stop', { runId });
  };
  process.once('SIGINT', onInterrupt);
  const end = await finished;
  process.off('SIGINT', onInterrupt);
  await samples.flush();
  await backend.flushRuns();
  const resume = runDir && lastCheckpoint !== null ? resumeCommand(args, TRAIN_OPTIONS, runId) : null;
  if (end.type === 'error') {
    progress.line(`Training failed: ${end.message}`);
    progress.line(
      resume
        ? `Run ${runId} is saved in ${runDir}. Continue it from its last checkpoint (epoch ${lastCheckpoint}) with: ${resume}`
        : `Run ${runId} ended before it finished an epoch, so it has no checkpoint to continue from.`,
    );
    if (values.json) process.stdout.write(`${JSON.stringify({ runId, error: { code: end.code, message: end.message }, runDir, resume })}\n`);
    return 1;
  }
  progress.line(doneLine(end, { runId, runDir, resume }));
  const check = values.check ? checkExpectation(project, end.history) : null;
  if (check) progress.line(check.message);
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ runId, backend: end.backend, history: end.history, samplesPerSec: end.samplesPerSec, stopped: end.reason !== 'completed', reason: end.reason, runDir, ...(check ? { check } : {}) })}\n`,
    );
  }
  return check && !check.met ? 1 : 0;
}

/**
 * Starts the run. A model file's own weights are kept as a run in the runs folder, by the
 * project's name, so a run starting from them is kept there too; a run named by --resume or
 * --start-from is looked for beside the file, then there.
 */
async function startTraining(backend: Backend, params: ParamsOf<'training.start'>, fromOwnWeights: boolean): Promise<ResultOf<'training.start'>> {
  const { projectPath: _path, ...inRunsFolder } = params;
  if (fromOwnWeights) return backend.call('training.start', inRunsFolder);
  try {
    return await backend.call('training.start', params);
  } catch (err) {
    if (!(params.config.resumeFrom || params.config.startFrom) || !(err instanceof ApiFailure && err.code === 'NOT_FOUND' && err.message.startsWith('No saved run'))) throw err;
    return backend.call('training.start', inRunsFolder).catch((second: unknown) => Promise.reject(second instanceof ApiFailure && second.code === 'NOT_FOUND' ? err : second));
  }
}

function portOption(value: string): number {
  const port = parseNumber(value);
  if (Number.isInteger(port) && port >= 0 && port <= 65_535) return port;
  throw new UsageError(`--port must be a whole number from 0 to 65535 (got ${Number.isFinite(port) ? port : `"${value}"`}).`);
}

/** The server, or null once a port already taken has been explained: a second NetCanvas is the usual cause. */
async function listen(backend: Backend, port: number): Promise<RunningServer | null> {
  try {
    return await startServer({ backend, port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    process.stderr.write(`netcanvas: Port ${port} is already in use (is NetCanvas already running?). Pick another with --port N, or --port 0 for any free port.\n`);
    return null;
  }
}

/**
 * Browser mode reads datasets only inside the folders named by `--allow` (again for more) and
 * NETCANVAS_ALLOW, or else the home and projects folders: pages can ask for any path.
 */
async function serve(args: string[]): Promise<number> {
  const options = { port: { type: 'string', default: '5178' }, allow: { type: 'string', multiple: true } } as const;
  const { values } = parseCommand('serve', { args, options }, { port: '5178', allow: '~/datasets' });
  const port = portOption(values.port);
  let roots: string[];
  try {
    roots = dataRoots(values.allow ?? [], process.env.NETCANVAS_ALLOW, defaultProjectsDir());
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const backend = new Backend({ launcher: forkLauncher, dataRoots: roots });
  try {
    return await serveWith(backend, port, roots);
  } finally {
    backend.shutdown();
  }
}

async function serveWith(backend: Backend, port: number, roots: readonly string[]): Promise<number> {
  const server = await listen(backend, port);
  if (server === null) return 1;
  process.stdout.write(`NetCanvas is running in browser mode: ${server.url}\n`);
  process.stdout.write(`Datasets are read only from ${roots.join(', ')} (add folders with --allow <folder> or NETCANVAS_ALLOW).\n`);
  // The last net under the runs of a room: an error that escaped its request is told, and serving goes on.
  const keepServing = (err: unknown) => process.stderr.write(`netcanvas serve: an unexpected error was caught; still serving. ${crashText(err)}\n`);
  process.on('uncaughtException', keepServing);
  process.on('unhandledRejection', keepServing);
  try {
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
  } finally {
    process.off('uncaughtException', keepServing);
    process.off('unhandledRejection', keepServing);
  }
  return 0;
}

function crashText(err: unknown): string {
  if (err instanceof Error) return err.stack ?? err.message;
  try {
    return String(err);
  } catch {
    return '(an error that cannot be shown)';
  }
}

const COMMANDS = ['summary', 'export', 'train', 'predict', 'evaluate', 'dataset', 'serve', 'bench', 'help'];

function unknownCommand(command: string): string {
  const guess = suggest(command, COMMANDS);
  return `Unknown command "${command}".${guess === null ? '' : ` Did you mean ${guess}?`}`;
}

/**
 * Runs `command` with a Backend of its own, shut down after it. The user's own command names
 * its paths, so any may be read; only `train` keeps runs (and marks those a NetCanvas left running).
 */
async function withBackend<T>(keepsRuns: boolean, command: (backend: Backend) => Promise<T>): Promise<T> {
  const backend = new Backend({ launcher: forkLauncher, trustAllPaths: true, ephemeralRuns: !keepsRuns });
  try {
    return await command(backend);
  } finally {
    backend.shutdown();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'summary':
        return await withBackend(false, (backend) => summary(backend, rest));
      case 'export':
        return await withBackend(false, (backend) => exportFile(backend, rest));
      case 'train':
        return await withBackend(true, (backend) => train(backend, rest));
      case 'predict':
        return await withBackend(false, (backend) => predictCommand(backend, rest, (file) => openProject(backend, file)));
      case 'evaluate':
        return await withBackend(false, (backend) => evaluateCommand(backend, rest, (file) => openProject(backend, file)));
      case 'dataset':
        return await withBackend(false, (backend) => datasetCommand(backend, rest, (file) => openProject(backend, file)));
      case 'serve':
        return await serve(rest);
      case 'bench':
        return await bench(rest);
      case undefined:
      case '--help':
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(unknownCommand(command));
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof DatasetUsageError || err instanceof ArgsError || err instanceof InsightUsageError) {
      process.stderr.write(`netcanvas: ${(err as Error).message}\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof ApiFailure) {
      process.stderr.write(`netcanvas: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
