import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchTrainingSpeed } from '../../../../electron/bench/training-speed.js';

function tempTemplates(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'netcanvas-bench-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, `${name}.netcanvas.json`), text);
  return dir;
}

const mlp = readFileSync('templates/mlp-mnist.netcanvas.json', 'utf8');

describe('netcanvas bench', () => {
  it('prints one row per template as the documented JSON on stdout, progress on stderr', () => {
    const result = spawnSync(process.execPath, ['bin/netcanvas.js', 'bench', '--json', '--templates', 'mlp-mnist', '--batches', '2'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const output = JSON.parse(lines[0]!);
    expect(Object.keys(output)).toEqual(['rows']);
    expect(output.rows).toHaveLength(1);
    const row = output.rows[0];
    expect(Object.keys(row).sort()).toEqual(['backend', 'compiledSamplesPerSec', 'handwrittenSamplesPerSec', 'ratio', 'template']);
    expect(row.template).toBe('mlp-mnist');
    expect(['wasm', 'cpu', 'tensorflow', 'tensorflow-gpu']).toContain(row.backend);
    expect(row.compiledSamplesPerSec).toBeGreaterThan(0);
    expect(row.handwrittenSamplesPerSec).toBeGreaterThan(0);
    // The median of the rounds' own ratios: near, but not always equal to, the ratio of the medians.
    expect(row.ratio).toBeGreaterThan(0);
    expect(Number.isFinite(row.ratio)).toBe(true);
    expect(result.stderr).toMatch(/mlp-mnist: \w+, batch size 32, \d+ rounds of 2 batches per network/);
  }, 60_000);

  it('refuses an unknown template or backend with exit code 2', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['bin/netcanvas.js', 'bench', ...args], { encoding: 'utf8', timeout: 30_000 });
    const unknown = run('--templates', 'nope');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown template nope: the templates are .*mlp-mnist/);
    const backend = run('--backend', 'gpu');
    expect(backend.status).toBe(2);
    expect(backend.stderr).toMatch(/--backend must be one of auto, tensorflow, webgpu, wasm, cpu/);
  });
});

describe('benchTrainingSpeed', () => {
  it('skips, with its reason, a template that has no hand-written counterpart', async () => {
    const dir = tempTemplates({ 'my-own-net': mlp });
    const result = await benchTrainingSpeed({ backend: 'cpu', templatesDir: dir, batches: 1 });
    expect(result.rows).toEqual([]);
    expect(result.skipped).toEqual([{ template: 'my-own-net', reason: expect.stringMatching(/no hand-written counterpart yet/) }]);
  });

  it('gives an error row, untimed, when the hand-written network differs from the template', async () => {
    const project = JSON.parse(mlp);
    project.graph.nodes.find((n: { id: string }) => n.id === 'hidden').params.units = 64;
    const dir = tempTemplates({ 'mlp-mnist': JSON.stringify(project) });
    const result = await benchTrainingSpeed({ backend: 'cpu', templatesDir: dir, batches: 1 });
    expect(result.rows).toEqual([
      {
        template: 'mlp-mnist',
        backend: 'cpu',
        compiledSamplesPerSec: null,
        handwrittenSamplesPerSec: null,
        ratio: null,
        error: expect.stringMatching(/hand-written network differs from the template: 101770 parameters .* compiled 50890/),
      },
    ]);
  });

  // One warm-up and one timed batch per network, of 8 examples: enough to go through the Trainer's GAN and language-model steps.
  const tiny = { roundMs: 1, budgetMs: 0, minRounds: 1, maxRounds: 1, warmupMs: 0 };
  it.each(['dcgan-mnist', 'char-transformer-moby-dick'])('times %s through the Trainer’s job for its task', async (id) => {
    const project = JSON.parse(readFileSync(`templates/${id}.netcanvas.json`, 'utf8'));
    project.training.batchSize = 8;
    const dir = tempTemplates({ [id]: JSON.stringify(project) });
    const lines: string[] = [];
    const result = await benchTrainingSpeed({ backend: 'wasm', templatesDir: dir, batches: 1, limits: tiny, log: (l) => lines.push(l) });
    expect(result.skipped).toEqual([]);
    expect(result.rows).toHaveLength(1);
    const row = result.rows[0]!;
    expect(row.error).toBeUndefined();
    expect(row.backend).toBe('wasm');
    expect(row.compiledSamplesPerSec).toBeGreaterThan(0);
    expect(row.handwrittenSamplesPerSec).toBeGreaterThan(0);
    expect(lines[0]).toBe(`${id}: wasm, batch size 8, 1 rounds of 1 batches per network`);
  });

  it('times the hand-written network against a copy of itself for the noise control', async () => {
    const result = await benchTrainingSpeed({ backend: 'wasm', templates: ['mlp-mnist'], batches: 1, limits: tiny, control: true });
    expect(result.control).toBe(true);
    expect(result.rows).toEqual([expect.objectContaining({ template: 'mlp-mnist', compiledSamplesPerSec: expect.any(Number), ratio: expect.any(Number) })]);
    expect(result.rows[0]!.error).toBeUndefined();
  });
});
