import { describe, expect, it } from 'vitest';
import { doneLine, resumeCommand } from '../../../../electron/cli/run-end.js';

const OPTIONS = {
  epochs: { type: 'string' },
  seed: { type: 'string' },
  resume: { type: 'string' },
  'from-best': { type: 'boolean' },
  'samples-dir': { type: 'string' },
  dataset: { type: 'string' },
  json: { type: 'boolean' },
} as const;

describe('the command netcanvas train prints to continue a run', () => {
  it('repeats the arguments the run was started with, quoted for the shell, less the run it went on from', () => {
    const args = ['net.json', '--epochs', '5', '--resume', 'old-run', '--from-best', '--dataset', 'my data/train.csv', '--seed', '-3', "--samples-dir=Bob's samples", '--json'];
    expect(resumeCommand(args, OPTIONS, 'new-run')).toBe(
      `netcanvas train net.json --epochs 5 --dataset 'my data/train.csv' --seed -3 '--samples-dir=Bob'\\''s samples' --json --resume new-run`,
    );
    expect(resumeCommand(['net.json', '--resume=old-run'], OPTIONS, 'new-run')).toBe('netcanvas train net.json --resume new-run');
  });

  it('keeps a file named after -- a file, with --resume before it', () => {
    expect(resumeCommand(['--epochs', '2', '--', '--odd name.json'], OPTIONS, 'r')).toBe(`netcanvas train --epochs 2 --resume r -- '--odd name.json'`);
  });
});

describe('the line netcanvas train ends a run with', () => {
  const saved = { runId: 'r1', runDir: '/runs/r1', resume: null };
  it('tells the speed and backend of a run that trained', () => {
    expect(doneLine({ type: 'done', runId: 'r1', reason: 'completed', backend: 'wasm', history: [], samplesPerSec: 1234.4 }, saved)).toBe('Done: 1234 samples/s on wasm. Run r1 saved in /runs/r1.');
  });

  it('tells neither for a run stopped before a backend was chosen', () => {
    expect(doneLine({ type: 'done', runId: 'r1', reason: 'stopped', backend: null, history: [], samplesPerSec: 0 }, saved)).toBe('Stopped before training began. Run r1 saved in /runs/r1.');
  });
});
