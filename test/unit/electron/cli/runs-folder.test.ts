import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const TEMPLATE = 'templates/mlp-mnist.netcanvas.json';

/** A runs folder holding one run saved as running by a NetCanvas of before owners were kept: the next sweep marks it. */
function runsFolder(): { dir: string; status: () => string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'netcanvas-cli-runs-'));
  const runDir = path.join(dir, 'left', 'run-1');
  mkdirSync(runDir, { recursive: true });
  const run = { runId: 'run-1', projectName: 'left', startedAt: '2026-01-01T00:00:00Z', status: 'running', task: 'classify', settings: {}, history: [], points: [], checkpoints: { last: null, best: null }, dir: runDir };
  writeFileSync(path.join(runDir, 'run.json'), JSON.stringify(run));
  return { dir, status: () => JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')).status };
}

const netcanvas = (runsDir: string, ...args: string[]) =>
  spawnSync(process.execPath, ['bin/netcanvas.js', ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NETCANVAS_RUNS_DIR: runsDir } });

describe('the runs folder and the CLI', () => {
  it('is left alone by commands that train nothing, and swept by train', () => {
    const runs = runsFolder();
    expect(netcanvas(runs.dir, 'help').status).toBe(0);
    expect(netcanvas(runs.dir, 'summary', TEMPLATE).status).toBe(0);
    expect(runs.status()).toBe('running');
    // train keeps runs: even one refused for a bad option marks what a gone NetCanvas left running.
    const refused = netcanvas(runs.dir, 'train', TEMPLATE, '--epochs', '0');
    expect(refused.stderr).toContain('--epochs must be at least 1');
    expect(runs.status()).toBe('interrupted');
  });
});
