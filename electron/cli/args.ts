import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command line that parseArgs refused, said in plain words: the CLI prints it with the usage and exits with 2. */
export class ArgsError extends Error {}

/** A command's options, as parseArgs takes them. */
export type Options = NonNullable<ParseArgsConfig['options']>;

/** Example values by option name, for "--epochs needs a value, e.g. --epochs 5." */
export type Examples = Readonly<Record<string, string>>;

const NEGATIVE_NUMBER = /^-\.?\d/;

/** parseArgs's test for a value that looks like an option rather than a value. */
const optionLike = (arg: string) => arg.length > 1 && arg.startsWith('-');

/** The name of a long option as typed (`--epochs=5` → epochs), or null for anything else. */
export function longName(arg: string): string | null {
  return arg.startsWith('--') && arg.length > 2 ? arg.slice(2).split('=')[0]! : null;
}

/** Whether an option takes a value (the argument after it, or after its `=`). */
export function takesValue(name: string, options: Options): boolean {
  return Object.hasOwn(options, name) && options[name]!.type === 'string';
}

/**
 * `--seed -3` as `--seed=-3`: parseArgs refuses a value that starts with a dash, taking it
 * for a forgotten value, but a negative number after an option that takes one is its value.
 */
export function joinNegativeValues(args: readonly string[], options: Options): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return [...joined, ...args.slice(i)];
    const name = longName(arg);
    const next = args[i + 1];
    if (name !== null && !arg.includes('=') && takesValue(name, options) && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** Edit distance counting a swap of two neighbours as one edit, so "trian" is one from "train". */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name the typed one was probably meant to be, or null when none is close: within
 * one edit for short names and two for longer ones, or else the only name it begins.
 */
export function suggest(typed: string, known: readonly string[]): string | null {
  const limit = typed.length < 5 ? 1 : 2;
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const name of known) {
    const distance = editDistance(typed, name);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  if (best !== null) return best;
  const extended = typed.length >= 3 ? known.filter((name) => name.startsWith(typed)) : [];
  return extended.length === 1 ? extended[0]! : null;
}

function unknownOption(arg: string, options: Options): string {
  const name = longName(arg);
  const guess = name === null ? null : suggest(name, Object.keys(options));
  return `Unknown option ${name === null ? arg : `--${name}`}.${guess === null ? '' : ` Did you mean --${guess}?`}`;
}

function needsValue(name: string, examples: Examples): string {
  const example = examples[name];
  return `--${name} needs a value${example === undefined ? '' : `, e.g. --${name} ${example}`}.`;
}

/**
 * What parseArgs objected to, found by reading the arguments as it does (a string option takes
 * the next argument whatever it is), so the message can name the option as it was typed.
 */
function problemIn(command: string, args: readonly string[], config: ParseArgsConfig, examples: Examples): string | null {
  const options = config.options ?? {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      const stray = args[i + 1];
      return stray !== undefined && !config.allowPositionals ? unexpected(command, stray) : null;
    }
    if (!optionLike(arg)) {
      if (!config.allowPositionals) return unexpected(command, arg);
      continue;
    }
    const name = longName(arg);
    if (name === null || !Object.hasOwn(options, name)) return unknownOption(arg, options);
    const inline = arg.includes('=');
    if (!takesValue(name, options)) {
      if (inline) return `--${name} takes no value (got "${arg.slice(name.length + 3)}").`;
      continue;
    }
    if (inline) continue;
    const next = args[i + 1];
    if (next === undefined || optionLike(next)) return needsValue(name, examples);
    i++;
  }
  return null;
}

function unexpected(command: string, arg: string): string {
  return `${command} takes only options (got "${arg}").`;
}

/**
 * parseArgs for one command (named in messages), taking a negative number as an option's value
 * and turning its ERR_PARSE_ARGS_* errors into an ArgsError in plain words.
 */
export function parseCommand<T extends ParseArgsConfig>(command: string, config: T, examples: Examples = {}): ReturnType<typeof parseArgs<T>> {
  const args = joinNegativeValues(config.args ?? [], config.options ?? {});
  try {
    return parseArgs({ ...config, args } as T);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw err;
    // Should our reading of the arguments ever differ from parseArgs's, its own first line still beats a stack trace.
    throw new ArgsError(problemIn(command, args, config, examples) ?? (err as Error).message.split('\n')[0]!);
  }
}
