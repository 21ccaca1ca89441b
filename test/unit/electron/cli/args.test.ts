import { describe, expect, it } from 'vitest';
import { ArgsError, editDistance, joinNegativeValues, parseCommand, suggest } from '../../../../electron/cli/args.js';

const OPTIONS = { epochs: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } } as const;

function refusal(args: string[], allowPositionals = true): string {
  try {
    parseCommand('train', { args, options: OPTIONS, allowPositionals }, { epochs: '5' });
  } catch (err) {
    expect(err).toBeInstanceOf(ArgsError);
    return (err as Error).message;
  }
  throw new Error(`parseCommand took ${args.join(' ')}`);
}

describe('joinNegativeValues', () => {
  it('joins a negative number to the option before it that takes a value', () => {
    expect(joinNegativeValues(['f', '--seed', '-3', '--epochs', '-.5'], OPTIONS)).toEqual(['f', '--seed=-3', '--epochs=-.5']);
  });

  it('leaves alone options, booleans, inline values and everything after --', () => {
    expect(joinNegativeValues(['--epochs', '--json', '--json', '-3', '--seed=1', '-2', '--', '--seed', '-1'], OPTIONS)).toEqual([
      '--epochs',
      '--json',
      '--json',
      '-3',
      '--seed=1',
      '-2',
      '--',
      '--seed',
      '-1',
    ]);
  });
});

describe('parseCommand', () => {
  it('takes a negative number as the value of an option', () => {
    expect(parseCommand('train', { args: ['--seed', '-3', 'f'], options: OPTIONS, allowPositionals: true }).values.seed).toBe('-3');
  });

  it('says in plain words what parseArgs refused, naming the option', () => {
    expect(refusal(['f', '--epochs'])).toBe('--epochs needs a value, e.g. --epochs 5.');
    expect(refusal(['f', '--epochs', '--json'])).toBe('--epochs needs a value, e.g. --epochs 5.');
    expect(refusal(['--seed'])).toBe('--seed needs a value.');
    expect(refusal(['--json=yes'])).toBe('--json takes no value (got "yes").');
    expect(refusal(['--epoch', '3'])).toBe('Unknown option --epoch. Did you mean --epochs?');
    expect(refusal(['--colour'])).toBe('Unknown option --colour.');
    expect(refusal(['-e'])).toBe('Unknown option -e.');
    expect(refusal(['f'], false)).toBe('train takes only options (got "f").');
    expect(refusal(['--', 'f'], false)).toBe('train takes only options (got "f").');
  });

  it('lets other errors through', () => {
    expect(() => parseCommand('train', { args: [], options: { bad: { type: 'number' as 'string' } } })).toThrow(TypeError);
  });
});

describe('suggest', () => {
  it('finds a name one or two edits away, a swap of neighbours counting as one', () => {
    expect(editDistance('trian', 'train')).toBe(1);
    expect(suggest('trian', ['summary', 'export', 'train'])).toBe('train');
    expect(suggest('epoch', ['epochs', 'seed'])).toBe('epochs');
    expect(suggest('lerning-rat', ['learning-rate', 'epochs'])).toBe('learning-rate');
  });

  it('finds the only name a short form begins', () => {
    expect(suggest('valid', ['validation-split', 'epochs'])).toBe('validation-split');
    expect(suggest('s', ['seed', 'schedule'])).toBeNull();
  });

  it('suggests nothing when no name is close', () => {
    expect(suggest('zzz', ['epochs', 'seed'])).toBeNull();
    expect(suggest('gpu', ['json', 'seed'])).toBeNull();
  });
});
