import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const TEMPLATE = 'templates/mlp-mnist.netcanvas.json';

function netcanvas(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/netcanvas.js', ...args], { encoding: 'utf8', timeout: 240_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'netcanvas-')), name);
  writeFileSync(file, text);
  return file;
}

describe('netcanvas summary', () => {
  it('prints the model summary as JSON', () => {
    const { code, stdout } = netcanvas('summary', TEMPLATE, '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ totalParams: 101_770, trainableParams: 101_770, nonTrainableParams: 0, outputShapes: [[10]], errors: [] });
    expect(summary.layers[2]).toEqual({ id: 'hidden', name: 'hidden', type: 'Dense', outputShape: [null, 128], params: 100_480 });
  });

  it('exits 1 and names the node for a graph with a cycle', () => {
    const project = JSON.parse(readFileSync(TEMPLATE, 'utf8'));
    project.graph.edges.push({ id: 'loop', source: 'output', target: 'hidden' });
    const { code, stdout } = netcanvas('summary', tempFile('loop.netcanvas.json', JSON.stringify(project)), '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout).errors).toContainEqual(expect.objectContaining({ node: 'hidden', code: 'CYCLE' }));
  });

  it('explains a file that is not JSON, without a stack trace', () => {
    const { code, stderr } = netcanvas('summary', tempFile('bad.netcanvas.json', 'this is not json'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.netcanvas\.json: The file is not valid JSON/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('explains a missing file', () => {
    const { code, stderr } = netcanvas('summary', 'nowhere.netcanvas.json');
    expect(code).toBe(1);
    expect(stderr).toBe('netcanvas: Cannot read nowhere.netcanvas.json: no such file.\n');
  });
});

describe('netcanvas train', () => {
  it('rejects batch size 0 with a clear message', () => {
    const { code, stderr } = netcanvas('train', TEMPLATE, '--batch-size', '0');
    expect(code).toBe(1);
    expect(stderr).toContain('batchSize must be at least 1');
  });

  it('trains one epoch on all of MNIST to at least 95% test accuracy', () => {
    const { code, stdout, stderr } = netcanvas('train', TEMPLATE, '--epochs', '1', '--json');
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.backend).toBe('wasm');
    expect(result.history).toHaveLength(1);
    expect(Object.keys(result.history[0]).sort()).toEqual(['acc', 'epoch', 'loss', 'valAcc', 'valLoss']);
    expect(result.history[0].valAcc).toBeGreaterThanOrEqual(0.95);
    expect(result.samplesPerSec).toBeGreaterThan(0);
    expect(stderr).toContain('on the wasm backend (60,000 examples)');
    expect(stderr).toContain('not used: tensorflow-gpu: not installed');
  });
});
