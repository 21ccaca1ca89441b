/**
 * What recording training health costs: the MNIST MLP template trains the same run (same
 * seed, same batches) with and without recording, in interleaved rounds, through the
 * Trainer's job and loop. Prints samples/s of each and their ratio, for the epochs timed
 * here (few batches each, so health is measured far more often than in a real epoch) and as
 * projected onto a full MNIST epoch. Prints figures only.
 *
 *   tsx bench/training-health.ts [--backend cpu|wasm|auto] [--batches N] [--epochs N] [--rounds N]
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { seededRandom } from '../electron/data/random.js';
import { healthRecorder, nodeNames } from '../electron/training/health.js';
import { createJob } from '../electron/training/jobs/create.js';
import type { TrainingJob } from '../electron/training/jobs/job.js';
import { batchesPerEpoch, runLoop, unwatchedHooks } from '../electron/training/loop.js';
import { resolveRunConfig } from '../electron/training/run-config.js';
import { selectBackend } from '../electron/training/tf-backend.js';
import type { BackendChoice } from '../shared/api/contract.js';
import { projectSchema } from '../shared/project/schema.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    batches: { type: 'string', default: '100' },
    epochs: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
  },
});
const batches = Number(values.batches);
const epochs = Number(values.epochs);
const rounds = Number(values.rounds);

const project = projectSchema.parse(JSON.parse(readFileSync('templates/mlp-mnist.netcanvas.json', 'utf8')));
const config = resolveRunConfig(project, { epochs, maxBatches: batches, seed: 7 });
const backend = await selectBackend(values.backend as BackendChoice);

const hooks = unwatchedHooks;

/** Validation is the same work with or without health, so it is left out of what is timed. */
const withoutValidation = (job: TrainingJob): TrainingJob => ({ ...job, validate: async () => ({ valLoss: null, valAcc: null }) });

/** One run of the template: its wall time from the first batch to the last epoch's end, and the part of it spent recording health. */
async function timedRun(record: boolean): Promise<{ samples: number; ms: number; healthMs: number }> {
  Math.random = seededRandom(config.seed);
  const job = withoutValidation(await createJob(project, config, {}));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-bench-health-'));
  const recorder = record ? healthRecorder({ runDir: dir, job, seed: config.seed, batchSize: config.batchSize, nodeName: nodeNames(project.graph), warn: (message) => console.error(message) }) : null;
  let healthMs = 0;
  const health = recorder && {
    record: async (epoch: number) => {
      const started = performance.now();
      await recorder.record(epoch);
      healthMs += performance.now() - started;
    },
    dispose: () => recorder.dispose(),
  };
  try {
    const started = performance.now();
    await runLoop(job, config, hooks, { runDir: null, resume: null, health });
    const ms = performance.now() - started;
    return { samples: epochs * batchesPerEpoch(job.trainCount, config) * config.batchSize, ms, healthMs };
  } finally {
    health?.dispose();
    job.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.error(`Training health cost: mlp-mnist on ${backend.name}, ${epochs} epochs of ${batches} batches of ${config.batchSize}, ${rounds} rounds`);
await timedRun(false); // warm-up: loads MNIST and the backend's kernels
const plain: number[] = [];
const recorded: number[] = [];
const ratios: number[] = [];
const healthMs: number[] = [];
for (let round = 0; round < rounds; round++) {
  const a = await timedRun(false);
  const b = await timedRun(true);
  plain.push(a.samples / (a.ms / 1000));
  recorded.push(b.samples / (b.ms / 1000));
  ratios.push(recorded.at(-1)! / plain.at(-1)!);
  healthMs.push(b.healthMs / epochs);
  console.error(`round ${round + 1}: ${plain.at(-1)!.toFixed(0)} vs ${recorded.at(-1)!.toFixed(0)} samples/s, health ${healthMs.at(-1)!.toFixed(1)} ms an epoch`);
}
const without = median(plain);
const perEpoch = median(healthMs);
const timedEpochMs = ((batches * config.batchSize) / without) * 1000;
const fullEpochMs = (60_000 / without) * 1000;
const row = (name: string, value: string) => console.log(`${name.padEnd(36)}${value}`);
row('backend', backend.name);
row('without health', `${without.toFixed(1)} samples/s`);
row('with health', `${median(recorded).toFixed(1)} samples/s`);
row('ratio, measured (median of rounds)', ratios.length > 0 ? median(ratios).toFixed(3) : '—');
row('health, timed, per epoch', `${perEpoch.toFixed(1)} ms`);
row(`ratio from it, ${batches} batches an epoch`, (timedEpochMs / (timedEpochMs + perEpoch)).toFixed(3));
row('ratio from it, a full MNIST epoch', (fullEpochMs / (fullEpochMs + perEpoch)).toFixed(4));
