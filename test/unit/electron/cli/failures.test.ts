import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chain, node, project } from '../../../fixtures/graphs.js';

const TEMPLATE = 'templates/mlp-mnist.netcanvas.json';
const linux = process.platform === 'linux';

function projectFile(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'netcanvas-fail-')), 'net.netcanvas.json');
  writeFileSync(file, text);
  return file;
}

describe('netcanvas train, when the run fails', () => {
  it('prints the run id, and says there is no checkpoint when it failed in its first epoch', () => {
    // A linear output under squared error and plain SGD at this rate diverges in the first batches.
    const diverging = { ...project(chain(node('in', 'Input', { shape: [28, 28, 1] }), node('f', 'Flatten'), node('out', 'Dense', { units: 10 }))), name: 'diverging' };
    diverging.training.loss = 'meanSquaredError';
    const file = projectFile(JSON.stringify(diverging));
    const result = spawnSync(process.execPath, ['bin/netcanvas.js', 'train', file, '--learning-rate', '10', '--optimizer', 'sgd', '--json'], { encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(1);
    const { runId, error } = JSON.parse(result.stdout);
    expect(error.code).toBe('NAN_LOSS');
    expect(result.stderr).toContain(`Run ${runId} ended before it finished an epoch, so it has no checkpoint to continue from.`);
  });

  it.runIf(linux)('prints the exact command that continues it from its last checkpoint when its Trainer is killed, and that command does', async () => {
    const file = projectFile(readFileSync(TEMPLATE, 'utf8'));
    const options = ['--max-batches', '3', '--epochs', '500', '--dataset', 'mnist', '--seed', '7'];
    const cli = spawn(process.execPath, ['bin/netcanvas.js', 'train', file, ...options], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => cli.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      cli.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        // Epoch 2's line comes after epoch 1's checkpoint was written.
        if (/epoch 2\/\d+ /.test(stderr)) resolve();
      });
      cli.on('exit', () => reject(new Error(`netcanvas ended before epoch 2: ${stderr}`)));
    });
    const trainers = readFileSync(`/proc/${cli.pid}/task/${cli.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    expect(trainers).toHaveLength(1);
    process.kill(trainers[0]!, 'SIGKILL');
    expect(await exited).toBe(1);
    const saved = /Run (\S+) is saved in (\S+)\. Continue it from its last checkpoint \(epoch (\d+)\) with: (.+)\n/.exec(stderr);
    expect(saved, stderr).not.toBeNull();
    const [, runId, runDir, epoch, command] = saved!;
    // The same file, data and settings: only the run to go on from is added.
    expect(command).toBe(`netcanvas train ${file} ${options.join(' ')} --resume ${runId}`);
    expect(stderr).toContain('Training failed: The training process stopped unexpectedly (it was ended by signal SIGKILL');
    const record = JSON.parse(readFileSync(path.join(runDir!, 'run.json'), 'utf8'));
    expect(record).toMatchObject({ runId, status: 'failed', checkpoints: { last: Number(epoch) } });

    // Run as printed (its words hold nothing the shell would change), it goes on from that epoch.
    const resumed = spawn(process.execPath, ['bin/netcanvas.js', ...command!.split(' ').slice(1)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let resumedErr = '';
    const from = await new Promise<string>((resolve, reject) => {
      resumed.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        resumedErr += chunk;
        const started = /^Training .*from epoch (\d+)\)\.$/m.exec(resumedErr);
        if (started) resolve(started[1]!);
      });
      resumed.on('exit', () => reject(new Error(`the resumed run ended before it started: ${resumedErr}`)));
    });
    resumed.kill('SIGKILL');
    // The checkpoint file may be an epoch ahead of the record: the kill can land between the two.
    expect(Number(from)).toBeGreaterThanOrEqual(Number(epoch) + 1);
  }, 240_000);
});

describe('netcanvas export --out', () => {
  it.runIf(linux)('leaves the file that was there whole when the new one cannot be written', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'netcanvas-export-'));
    const out = path.join(dir, 'model.json');
    writeFileSync(out, 'the previous export\n');
    // A file size limit of 1 KB: the export (several KB) fails part way through its write.
    const result = spawnSync('bash', ['-c', 'ulimit -f 1 && exec "$0" bin/netcanvas.js export "$1" --format keras-json --out "$2"', process.execPath, TEMPLATE, out], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`netcanvas: Cannot write ${out}: the file would be larger than this system allows; the file that was there is unchanged.\n`);
    expect(readFileSync(out, 'utf8')).toBe('the previous export\n');
  });
});
