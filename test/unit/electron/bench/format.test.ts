import { describe, expect, it } from 'vitest';
import { formatTrainingSpeed, jsonRow } from '../../../../electron/bench/format.js';
import type { MeasuredRow } from '../../../../electron/bench/training-speed.js';

const measured: MeasuredRow = {
  template: 'mlp-mnist',
  backend: 'wasm',
  compiledSamplesPerSec: 1862.4,
  handwrittenSamplesPerSec: 1930.6,
  ratio: 0.965,
  roundRatios: [0.95, 1.01],
};
const broken: MeasuredRow = { template: 'cnn-mnist', backend: 'cpu', compiledSamplesPerSec: null, handwrittenSamplesPerSec: null, ratio: null, error: 'differs' };

describe('the training-speed table', () => {
  it('lists each row, its error, each skipped template and which rows miss the target', () => {
    const text = formatTrainingSpeed({ rows: [measured, broken], skipped: [{ template: 'dcgan-mnist', reason: 'no hand-written counterpart yet' }] });
    expect(text).toMatch(/mlp-mnist\s+wasm\s+1,862\.4\s+1,930\.6\s+0\.965\s+0\.950–1\.010/);
    expect(text).toMatch(/cnn-mnist\s+cpu\s+—\s+—\s+—/);
    expect(text).toContain('error    cnn-mnist: differs');
    expect(text).toContain('skipped  dcgan-mnist: no hand-written counterpart yet');
    expect(text).toContain('target   ratio ≥ 0.97 on every template: NOT met (mlp-mnist 0.965)');
  });

  it('keeps the JSON row to the documented keys', () => {
    expect(Object.keys(jsonRow(measured))).toEqual(['template', 'backend', 'compiledSamplesPerSec', 'handwrittenSamplesPerSec', 'ratio']);
    expect(jsonRow(broken).error).toBe('differs');
  });

  it('heads the noise control as such and holds it to no target', () => {
    const text = formatTrainingSpeed({ rows: [measured], skipped: [], control: true });
    expect(text.split('\n')[0]).toMatch(/^Noise control: each template's hand-written network vs a second copy of itself/);
    expect(text).not.toContain('target');
  });
});
