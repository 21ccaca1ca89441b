import { formatAgainstPytorch, formatThreads, formatTrainingSpeed, jsonRow, pytorchJsonRow, threadsJsonRow } from './format.js';
import { BACKEND_CHOICES, type BackendChoice } from '../../shared/api/contract.js';
import { ArgsError, parseCommand } from '../cli/args.js';
import { findTorchPython } from '../pytorch/python.js';

export const BENCH_USAGE = `netcanvas bench [--json] [--backend ${BACKEND_CHOICES.join('|')}] [--templates a,b] [--batches N] [--control | --cores | --against pytorch [--backends auto,pytorch,wasm,cpu] [--threads N]]`;

class BenchUsageError extends Error {}

const BENCH_OPTIONS = {
  json: { type: 'boolean' },
  backend: { type: 'string', default: 'auto' },
  templates: { type: 'string' },
  batches: { type: 'string' },
  control: { type: 'boolean' },
  cores: { type: 'boolean' },
  against: { type: 'string' },
  backends: { type: 'string' },
  threads: { type: 'string' },
} as const;

function parse(args: string[]) {
  try {
    return parseCommand('bench', { args, options: BENCH_OPTIONS }, { backend: 'wasm', templates: 'mlp-mnist,cnn-mnist', batches: '20', against: 'pytorch', backends: 'auto,wasm', threads: '2' }).values;
  } catch (err) {
    // bench prints its own usage line, so the plain-words parse error becomes its usage error.
    if (err instanceof ArgsError) throw new BenchUsageError(err.message);
    throw err;
  }
}

function options(args: string[]) {
  const values = parse(args);
  if (!(BACKEND_CHOICES as readonly string[]).includes(values.backend)) {
    throw new BenchUsageError(`--backend must be one of ${BACKEND_CHOICES.join(', ')} (got "${values.backend}").`);
  }
  const batches = values.batches === undefined ? undefined : Number(values.batches);
  if (batches !== undefined && !(Number.isInteger(batches) && batches >= 1)) {
    throw new BenchUsageError(`--batches must be a whole number of at least 1 (got "${values.batches}").`);
  }
  const list = (value: string | undefined) => value?.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  const templates = list(values.templates);
  if (values.against !== undefined && values.against !== 'pytorch') throw new BenchUsageError(`--against takes pytorch (got "${values.against}").`);
  const against = values.against === 'pytorch';
  if (!against && (values.backends !== undefined || values.threads !== undefined)) throw new BenchUsageError('--backends and --threads go with --against pytorch.');
  if (against && values.control) throw new BenchUsageError('--control times hand-written networks against themselves; it does not go with --against pytorch.');
  if (values.cores && (against || values.control)) throw new BenchUsageError(`--cores times one thread against all of them; it does not go with ${against ? '--against pytorch' : '--control'}.`);
  if (values.cores && values.backend !== 'auto' && values.backend !== 'wasm' && values.backend !== 'cpu') {
    throw new BenchUsageError(`--cores shares batches over threads on wasm or cpu; ${values.backend} uses its own (got --backend ${values.backend}).`);
  }
  // Against PyTorch, by default: the backend a run would choose, and the PyTorch engine where PyTorch is installed.
  const againstDefault = against && values.backend === 'auto' ? ['auto', ...(findTorchPython().python !== null ? ['pytorch'] : [])] : [values.backend];
  const backends = list(values.backends) ?? againstDefault;
  const unknown = backends.find((b) => !(BACKEND_CHOICES as readonly string[]).includes(b));
  if (unknown !== undefined) throw new BenchUsageError(`--backends takes ${BACKEND_CHOICES.join(', ')} (got "${unknown}").`);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new BenchUsageError(`--threads must be a whole number of at least 1 (got "${values.threads}").`);
  }
  return {
    json: values.json === true,
    backend: values.backend as BackendChoice,
    backends: backends as BackendChoice[],
    templates,
    batches,
    control: values.control === true,
    cores: values.cores === true,
    against,
    ...(threads !== undefined ? { threads } : {}),
  };
}

/**
 * `netcanvas bench`: the training-speed table on stdout (or one JSON object with --json),
 * progress on stderr. Exit code 1 when a row could not be measured, 2 on a usage error.
 */
export async function bench(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof options>;
  try {
    parsed = options(args);
  } catch (err) {
    if (!(err instanceof BenchUsageError)) throw err;
    process.stderr.write(`netcanvas: ${err.message}\nUsage: ${BENCH_USAGE}\n`);
    return 2;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  // Loaded only to run: they bring tfjs, which every other command of the CLI starts without.
  const { benchTrainingSpeed, UnknownTemplateError } = await import('./training-speed.js');
  try {
    if (parsed.cores) {
      const { benchThreads } = await import('./threads.js');
      const result = await benchThreads({ ...parsed, backend: parsed.backend === 'cpu' ? 'cpu' : 'wasm', log });
      if (parsed.json) process.stdout.write(`${JSON.stringify({ cores: result.cores, rows: result.rows.map(threadsJsonRow) })}\n`);
      else process.stdout.write(`${formatThreads(result)}\n`);
      return result.rows.some((r) => r.error !== undefined) ? 1 : 0;
    }
    if (parsed.against) {
      const { benchAgainstPytorch } = await import('./against-pytorch.js');
      const result = await benchAgainstPytorch({ ...parsed, log });
      if (parsed.json) process.stdout.write(`${JSON.stringify({ rows: result.rows.map(pytorchJsonRow) })}\n`);
      else process.stdout.write(`${formatAgainstPytorch(result)}\n`);
      return result.rows.some((r) => r.error !== undefined) ? 1 : 0;
    }
    const result = await benchTrainingSpeed({ ...parsed, log });
    if (parsed.json) process.stdout.write(`${JSON.stringify({ rows: result.rows.map(jsonRow) })}\n`);
    else process.stdout.write(`${formatTrainingSpeed(result)}\n`);
    return result.rows.some((r) => r.error !== undefined) ? 1 : 0;
  } catch (err) {
    if (!(err instanceof UnknownTemplateError)) throw err;
    process.stderr.write(`netcanvas: ${err.message}\n`);
    return 2;
  }
}
