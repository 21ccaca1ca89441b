import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { formatThreads } from '../../../../electron/bench/format.js';
import { benchThreads } from '../../../../electron/bench/threads.js';

// A few short rounds: this checks the figures are measured and reported, not how fast anything is.
const quick = { roundMs: 20, budgetMs: 500, minRounds: 3, maxRounds: 3, warmupMs: 0 };
const cores = os.availableParallelism();

describe('netcanvas bench --cores', () => {
  it('times a template on one thread and on every core, says which a run picks, and why a GAN keeps one', async () => {
    const result = await benchThreads({ templates: ['mlp-iris', 'dcgan-mnist'], batches: 2, limits: quick });
    expect(result.cores).toBe(cores);
    const [iris, dcgan] = result.rows;
    expect(dcgan).toEqual({
      template: 'dcgan-mnist',
      backend: 'wasm',
      threads: 1,
      oneThreadSamplesPerSec: null,
      samplesPerSec: null,
      speedUp: null,
      chosen: null,
      note: "more threads: a GAN's two networks take their steps in turn, on one thread",
    });
    if (cores === 1) {
      expect(iris).toMatchObject({ template: 'mlp-iris', threads: 1, speedUp: null });
      return;
    }
    expect(iris).toMatchObject({ template: 'mlp-iris', backend: 'wasm', threads: cores });
    expect(iris!.oneThreadSamplesPerSec).toBeGreaterThan(0);
    expect(iris!.samplesPerSec).toBeGreaterThan(0);
    const ratio = iris!.samplesPerSec! / iris!.oneThreadSamplesPerSec!;
    // The median of the rounds' own ratios, so near the ratio of the two medians.
    expect(iris!.speedUp!).toBeGreaterThan(ratio * 0.3);
    expect(iris!.speedUp!).toBeLessThan(ratio * 3);
    expect([1, cores]).toContain(iris!.chosen);

    const table = formatThreads(result);
    expect(table).toContain(`Every CPU core (${cores} here)`);
    expect(table).toMatch(new RegExp(`mlp-iris\\s+wasm\\s+${cores}\\s+[\\d,.]+\\s+[\\d,.]+\\s+[\\d.]+×\\s+\\d threads?`));
    expect(table).toMatch(/dcgan-mnist\s+wasm\s+1\s+—\s+—\s+—\s+—/);
    expect(table).toContain("one thread for dcgan-mnist: a GAN's two networks take their steps in turn, on one thread");
  }, 120_000);

  it('prints the documented JSON from the command line, and refuses a backend with threads of its own', () => {
    const result = spawnSync(process.execPath, ['bin/netcanvas.js', 'bench', '--cores', '--json', '--templates', 'lstm-sine', '--batches', '1'], { encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { cores: number; rows: Record<string, unknown>[] };
    expect(json.cores).toBe(cores);
    expect(json.rows).toHaveLength(1);
    expect(Object.keys(json.rows[0]!).sort()).toEqual(['backend', 'chosen', 'oneThreadSamplesPerSec', 'samplesPerSec', 'speedUp', 'template', 'threads']);

    const refused = spawnSync(process.execPath, ['bin/netcanvas.js', 'bench', '--cores', '--backend', 'webgpu'], { encoding: 'utf8', timeout: 30_000 });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--cores shares batches over threads on wasm or cpu; webgpu uses its own (got --backend webgpu).');
  }, 150_000);
});
