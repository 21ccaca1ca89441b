/**
 * Whether an image folder really streams: loads a folder of 20,000 generated 28×28 PNGs
 * (10 classes × 2,000, written once to the temp folder and reused) resized to 64×64 RGB,
 * then reads every image batch by batch through the splits' `features()` for four epochs, as training and evaluation
 * would, printing the process's memory as it goes and the decoding rate; then trains a small
 * CNN on the folder in a real Trainer process, printing that process's memory every few
 * seconds. Memory should stay flat, well under what a copy of all the pixels would take.
 * Prints figures only.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchFolderComplete, writeBenchFolder } from '../electron/bench/image-folder.js';
import type { Split } from '../electron/data/dataset.js';
import { loadImageFolder } from '../electron/data/image-folder.js';
import { Backend } from '../electron/backend/backend.js';
import { forkLauncher } from '../electron/training/launcher.js';
import type { TrainingEvent } from '../shared/api/contract.js';
import { projectSchema } from '../shared/project/schema.js';

const PER_CLASS = 2_000;
const IMAGES = PER_CLASS * 10;
const BATCH = 64;
const EPOCHS = 4;
/** The 28×28 grey files are read as 64×64 RGB, so a copy of every image in memory would take about 1 GB. */
const SIZE: [number, number] = [64, 64];
const CHANNELS = 3;
const SAMPLE_EVERY = 100;

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

const dir = path.join(os.tmpdir(), `netcanvas-bench-images-${IMAGES}`);
if (await benchFolderComplete(dir, PER_CLASS)) {
  console.log(`Reusing ${dir}`);
} else {
  const started = performance.now();
  await writeBenchFolder(dir, PER_CLASS);
  console.log(`Wrote ${IMAGES} PNGs to ${dir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const scanStarted = performance.now();
const data = await loadImageFolder({ kind: 'image-folder', path: dir, size: SIZE, color: 'rgb', testFraction: 0.2 });
console.log(
  `Scanned ${data.train.count} training and ${data.test.count} test images in ${(performance.now() - scanStarted).toFixed(0)} ms; classes: ${data.classes?.join(', ')}; problems: ${data.problems.length}`,
);

/** Batches of a split: training ones in a new shuffled order each epoch, test ones in order. */
function batches(split: Split, shuffle: boolean): number[][] {
  const order = Array.from({ length: split.count }, (_, i) => i);
  if (shuffle) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  }
  return Array.from({ length: Math.ceil(order.length / BATCH) }, (_, b) => order.slice(b * BATCH, (b + 1) * BATCH));
}

const rows: Array<{ batches: number; rss: number; heap: number }> = [];
const sample = (read: number): void => {
  const { rss, heapUsed } = process.memoryUsage();
  rows.push({ batches: read, rss, heap: heapUsed });
};

let read = 0;
let decoded = 0;
let checksum = 0;
const started = performance.now();
sample(0);
for (let epoch = 0; epoch < EPOCHS; epoch++) {
  for (const [split, shuffle] of [
    [data.train, true],
    [data.test, false],
  ] as const) {
    for (const indices of batches(split, shuffle)) {
      const pixels = split.features(indices);
      checksum += pixels[0]!;
      decoded += indices.length;
      read++;
      if (read % SAMPLE_EVERY === 0) sample(read);
    }
  }
}
const seconds = (performance.now() - started) / 1000;
sample(read);

console.log(`\n${'batches read'.padStart(12)} ${'rss MB'.padStart(8)} ${'heap MB'.padStart(8)}`);
for (const row of rows) console.log(`${String(row.batches).padStart(12)} ${mb(row.rss).padStart(8)} ${mb(row.heap).padStart(8)}`);
const first = rows[0]!;
const last = rows[rows.length - 1]!;
console.log(`\nrss growth, first sample to last: ${mb(last.rss - first.rss)} MB (heap ${mb(last.heap - first.heap)} MB)`);
const warm = rows[1] ?? first;
console.log(`rss growth after the first ${warm.batches} batches (warm-up): ${mb(last.rss - warm.rss)} MB`);
console.log(`all ${IMAGES} images as ${SIZE.join('×')}×${CHANNELS} floats in memory would take ${mb(IMAGES * SIZE[0] * SIZE[1] * CHANNELS * 4)} MB`);
console.log(`decoded ${decoded} images in ${seconds.toFixed(1)} s: ${Math.round(decoded / seconds)} images/s (checksum ${checksum.toFixed(2)})`);
console.log(`problems after reading: ${data.problems.length}`);

// ---- training on the folder, in a real Trainer process ----------------------------------

/** The Trainer's resident memory, from Linux's /proc; null elsewhere. */
function trainerRss(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status);
    return kb ? Number(kb[1]) * 1024 : null;
  } catch {
    return null;
  }
}

const TRAIN_EPOCHS = 2;
const project = projectSchema.parse({
  schemaVersion: 1,
  name: 'image folder bench',
  graph: {
    nodes: [
      { id: 'in', type: 'Input', params: { shape: [...SIZE, CHANNELS] } },
      { id: 'conv', type: 'Conv2D', params: { filters: 8, kernelSize: [3, 3], activation: 'relu' } },
      { id: 'pool', type: 'MaxPooling2D', params: { poolSize: [4, 4] } },
      { id: 'flat', type: 'Flatten', params: {} },
      { id: 'out', type: 'Dense', params: { units: 10, activation: 'softmax' } },
    ],
    edges: [
      { id: 'e1', source: 'in', target: 'conv' },
      { id: 'e2', source: 'conv', target: 'pool' },
      { id: 'e3', source: 'pool', target: 'flat' },
      { id: 'e4', source: 'flat', target: 'out' },
    ],
  },
  training: { dataset: { kind: 'image-folder', path: dir, size: SIZE, color: 'rgb' }, task: 'classify', batchSize: 64, epochs: TRAIN_EPOCHS, learningRate: 0.002 },
});

const backend = new Backend({ launcher: forkLauncher, ephemeralRuns: true });
const trainRows: Array<{ seconds: number; epoch: number; batch: number; rss: number | null }> = [];
const trainStarted = performance.now();
let pid: number | null = null;
let position = { epoch: 0, batch: 0 };
const finished = new Promise<Extract<TrainingEvent, { type: 'done' | 'error' }>>((resolve) => {
  backend.subscribe(({ event }) => {
    if (event.type === 'batch') position = { epoch: event.epoch, batch: event.batch };
    if (event.type === 'epoch') console.log(`epoch ${event.record.epoch}: loss ${event.record.loss.toFixed(3)}, test accuracy ${event.record.valAcc?.toFixed(3)}`);
    if (event.type === 'done' || event.type === 'error') resolve(event);
  });
});
({ pid } = await backend.call('training.start', { project, config: { backend: 'wasm' } }));
const timer = setInterval(() => {
  if (pid !== null) trainRows.push({ seconds: (performance.now() - trainStarted) / 1000, ...position, rss: trainerRss(pid) });
}, 3_000);
const end = await finished;
clearInterval(timer);
backend.shutdown();

console.log(`\nTraining a small CNN on the folder for ${TRAIN_EPOCHS} epochs in a Trainer process: ${end.type === 'done' ? `${Math.round(end.samplesPerSec)} samples/s` : `failed: ${end.message}`}`);
console.log(`${'seconds'.padStart(8)} ${'epoch'.padStart(6)} ${'batch'.padStart(6)} ${'trainer rss MB'.padStart(15)}`);
for (const row of trainRows) console.log(`${row.seconds.toFixed(0).padStart(8)} ${String(row.epoch).padStart(6)} ${String(row.batch).padStart(6)} ${(row.rss === null ? '–' : mb(row.rss)).padStart(15)}`);
const measured = trainRows.filter((r) => r.rss !== null && r.epoch > 0);
if (measured.length >= 2) {
  const firstEpoch = measured.find((r) => r.epoch >= 1)!;
  const lastRow = measured[measured.length - 1]!;
  console.log(`trainer rss from the first sample in epoch 1 to the last in epoch ${lastRow.epoch}: ${mb(lastRow.rss! - firstEpoch.rss!)} MB`);
}
