import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatEpoch, formatSummary } from './format.js';
import { ProgressBar } from './progress.js';
import { BACKEND_CHOICES, type BackendChoice, type EpochRecord, type TrainingEvent } from '../../shared/api/contract.js';
import { ApiFailure, Backend } from '../backend/backend.js';
import { startServer } from '../server/server.js';
import { forkLauncher } from '../training/launcher.js';

const USAGE = `Usage:
  netcanvas summary <file> [--json]
  netcanvas train <file> [--epochs N] [--batch-size N] [--max-batches N] [--backend ${BACKEND_CHOICES.join('|')}] [--json]
  netcanvas serve [--port N]`;

class UsageError extends Error {}

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new UsageError(`--${name} must be a whole number (got "${value}").`);
  return parsed;
}

async function openProject(backend: Backend, file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ApiFailure('NOT_FOUND', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
  }
  return (await backend.call('project.open', { text, fileName: file })).project;
}

async function summary(backend: Backend, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('summary takes one file.');
  const project = await openProject(backend, positionals[0]!);
  const result = await backend.call('project.summary', { project });
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${formatSummary(result)}\n`);
  return result.errors.length > 0 ? 1 : 0;
}

async function train(backend: Backend, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      'max-batches': { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('train takes one file.');
  if (!(BACKEND_CHOICES as readonly string[]).includes(values.backend!)) {
    throw new UsageError(`--backend must be one of ${BACKEND_CHOICES.join(', ')} (got "${values.backend}").`);
  }
  const project = await openProject(backend, positionals[0]!);
  const progress = new ProgressBar();
  const history: EpochRecord[] = [];
  let epochs = 0;

  const finished = new Promise<Extract<TrainingEvent, { type: 'done' | 'error' }>>((resolve) => {
    backend.subscribe(({ event }) => {
      switch (event.type) {
        case 'started':
          epochs = event.epochs;
          progress.line(`Training "${project.name}" on the ${event.backend} backend (${event.trainSamples.toLocaleString('en-US')} examples).`);
          for (const note of event.backendNotes) progress.line(`  not used: ${note}`);
          break;
        case 'batch': {
          const last = event.points[event.points.length - 1]!;
          const done = (event.epoch - 1 + event.batch / event.batchesPerEpoch) / epochs;
          const acc = last.acc === null ? '' : `  acc ${last.acc.toFixed(3)}`;
          progress.update(done, `epoch ${event.epoch}/${epochs}  batch ${event.batch}/${event.batchesPerEpoch}  loss ${last.loss.toFixed(4)}${acc}  ${Math.round(event.samplesPerSec)} samples/s`);
          break;
        }
        case 'epoch':
          history.push(event.record);
          progress.line(formatEpoch(event.record, epochs));
          break;
        case 'log':
          progress.line(event.message);
          break;
        case 'done':
        case 'error':
          resolve(event);
          break;
      }
    });
  });

  const { runId } = await backend.call('training.start', {
    project,
    config: {
      epochs: intOption(values.epochs, 'epochs'),
      batchSize: intOption(values['batch-size'], 'batch-size'),
      maxBatches: intOption(values['max-batches'], 'max-batches'),
      backend: values.backend as BackendChoice,
    },
  });
  const onInterrupt = () => {
    progress.line('Stopping after the current batch…');
    void backend.call('training.stop', { runId });
  };
  process.once('SIGINT', onInterrupt);
  const end = await finished;
  process.off('SIGINT', onInterrupt);
  if (end.type === 'error') {
    progress.line(`Training failed: ${end.message}`);
    if (values.json) process.stdout.write(`${JSON.stringify({ error: { code: end.code, message: end.message } })}\n`);
    return 1;
  }
  progress.line(end.reason === 'stopped' ? 'Stopped.' : `Done: ${Math.round(end.samplesPerSec)} samples/s on ${end.backend}.`);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ backend: end.backend, history: end.history, samplesPerSec: end.samplesPerSec, stopped: end.reason === 'stopped' })}\n`);
  }
  return 0;
}

async function serve(backend: Backend, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string', default: '5178' } } });
  const server = await startServer({ backend, port: intOption(values.port, 'port')! });
  process.stdout.write(`NetCanvas is running in browser mode: ${server.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const backend = new Backend({ launcher: forkLauncher });
  try {
    switch (command) {
      case 'summary':
        return await summary(backend, rest);
      case 'train':
        return await train(backend, rest);
      case 'serve':
        return await serve(backend, rest);
      case undefined:
      case '--help':
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`netcanvas: ${(err as Error).message}\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof ApiFailure) {
      process.stderr.write(`netcanvas: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    backend.shutdown();
  }
}
