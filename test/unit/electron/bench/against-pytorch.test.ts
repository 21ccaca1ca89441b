import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { benchAgainstPytorch, pytorchGap } from '../../../../electron/bench/against-pytorch.js';
import { bench } from '../../../../electron/bench/command.js';
import { findTorchPython } from '../../../../electron/bench/pytorch.js';
import { projectSchema } from '../../../../shared/project/schema.js';

const torch = findTorchPython();
// A few short rounds: this checks the figures are measured and reported, not how fast anything is.
const quick = { roundMs: 20, budgetMs: 500, minRounds: 3, maxRounds: 3, warmupMs: 0 };

describe('netcanvas bench --against pytorch', () => {
  it.skipIf(torch.python === null)('times a template in NetCanvas and its PyTorch export side by side, as the documented JSON', () => {
    const result = spawnSync(process.execPath, ['bin/netcanvas.js', 'bench', '--against', 'pytorch', '--json', '--templates', 'mlp-iris', '--backends', 'cpu', '--batches', '3', '--threads', '1'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.stderr).toMatch(/mlp-iris: cpu against PyTorch \(1 threads\), batch size 16, \d+ rounds of 3 batches each/);
    expect(result.status).toBe(0);
    const { rows } = JSON.parse(result.stdout) as { rows: Record<string, unknown>[] };
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(Object.keys(row).sort()).toEqual(['backend', 'pytorchSamplesPerSec', 'ratio', 'samplesPerSec', 'template', 'threads']);
    expect(row).toMatchObject({ template: 'mlp-iris', backend: 'cpu', threads: 1 });
    const ours = row.samplesPerSec as number;
    const theirs = row.pytorchSamplesPerSec as number;
    expect(ours).toBeGreaterThan(0);
    expect(theirs).toBeGreaterThan(0);
    // The median of the rounds' own ratios, so near the ratio of the two medians.
    expect(row.ratio as number).toBeGreaterThan((ours / theirs) * 0.3);
    expect(row.ratio as number).toBeLessThan((ours / theirs) * 3);
  }, 120_000);

  it.skipIf(torch.python === null)('names the BLAS the PyTorch reference runs on, and its threads', async () => {
    const result = await benchAgainstPytorch({ backends: ['cpu'], templates: ['mlp-iris'], batches: 2, limits: quick, threads: 1 });
    expect(result.noTorch).toBeNull();
    expect(result.torch).toMatchObject({ threads: 1, device: 'cpu', batchSize: 16 });
    expect(result.torch!.blas).toMatch(/^(OpenBLAS|MKL|BLIS|reference BLAS)/);
  }, 120_000);

  it('without PyTorch, still times NetCanvas and says why the PyTorch columns are empty', async () => {
    const result = await benchAgainstPytorch({ backends: ['cpu'], templates: ['mlp-iris'], batches: 2, limits: quick, python: { python: null, reason: 'no Python 3 with PyTorch' } });
    expect(result.torch).toBeNull();
    expect(result.rows).toEqual([
      { template: 'mlp-iris', backend: 'cpu', threads: 1, samplesPerSec: expect.any(Number), pytorchSamplesPerSec: null, ratio: null, pytorch: 'no Python 3 with PyTorch' },
    ]);
    expect(result.rows[0]!.samplesPerSec).toBeGreaterThan(0);
  }, 60_000);

  it("says a GAN has no PyTorch figure: the export's train.py does not train one", () => {
    const gan = projectSchema.parse(JSON.parse(readFileSync('templates/dcgan-mnist.netcanvas.json', 'utf8')));
    const mlp = projectSchema.parse(JSON.parse(readFileSync('templates/mlp-iris.netcanvas.json', 'utf8')));
    expect(pytorchGap(gan)).toMatch(/does not train a GAN/);
    expect(pytorchGap(mlp)).toBeNull();
  });

  it('refuses --backends without --against, and --against anything but pytorch, with exit code 2', async () => {
    const said: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => said.push(String(chunk)) > 0);
    try {
      for (const args of [['--backends', 'cpu'], ['--against', 'keras'], ['--against', 'pytorch', '--control'], ['--against', 'pytorch', '--backends', 'gpu']]) {
        said.length = 0;
        expect(await bench(args), args.join(' ')).toBe(2);
        expect(said.join('')).toContain('Usage: netcanvas bench');
      }
    } finally {
      write.mockRestore();
    }
  });
});
