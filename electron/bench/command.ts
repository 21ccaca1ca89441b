import { formatTrainingSpeed, jsonRow } from './format.js';
import { benchTrainingSpeed, UnknownTemplateError, type TrainingSpeedResult } from './training-speed.js';
import { BACKEND_CHOICES, type BackendChoice } from '../../shared/api/contract.js';
import { ArgsError, parseCommand } from '../cli/args.js';

export const BENCH_USAGE = `netcanvas bench [--json] [--backend ${BACKEND_CHOICES.join('|')}] [--templates a,b] [--batches N] [--control]`;

class BenchUsageError extends Error {}

const BENCH_OPTIONS = {
  json: { type: 'boolean' },
  backend: { type: 'string', default: 'auto' },
  templates: { type: 'string' },
  batches: { type: 'string' },
  control: { type: 'boolean' },
} as const;

function parse(args: string[]) {
  try {
    return parseCommand('bench', { args, options: BENCH_OPTIONS }, { backend: 'wasm', templates: 'mlp-mnist,cnn-mnist', batches: '20' }).values;
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
  const templates = values.templates?.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  return { json: values.json === true, backend: values.backend as BackendChoice, templates, batches, control: values.control === true };
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
  let result: TrainingSpeedResult;
  try {
    result = await benchTrainingSpeed({ ...parsed, log: (line) => process.stderr.write(`${line}\n`) });
  } catch (err) {
    if (!(err instanceof UnknownTemplateError)) throw err;
    process.stderr.write(`netcanvas: ${err.message}\n`);
    return 2;
  }
  if (parsed.json) process.stdout.write(`${JSON.stringify({ rows: result.rows.map(jsonRow) })}\n`);
  else process.stdout.write(`${formatTrainingSpeed(result)}\n`);
  return result.rows.some((r) => r.error !== undefined) ? 1 : 0;
}
