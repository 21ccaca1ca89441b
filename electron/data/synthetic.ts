import { DatasetError, memorySplit, seededOrder, type LoadedDataset } from './dataset.js';
import { seededNormal, seededRandom } from './random.js';
import type { ColumnInfo, DataProblem } from '../../shared/data/report.js';
import type { SYNTHETIC_DATASETS } from '../../shared/data/source.js';

/** A generated dataset's id. */
export type SyntheticId = (typeof SYNTHETIC_DATASETS)[number];

/** How much data to generate and how noisy; absent settings take each dataset's default. */
export interface SyntheticOptions {
  /** Points, or time steps of the sine wave. */
  size?: number;
  /** Standard deviation of the Gaussian noise. */
  noise?: number;
  /** Sine wave: steps per window. */
  length?: number;
}

const TEST_FRACTION = 0.2;
/** Each spiral turns this many times from the centre out to radius 1. */
const SPIRAL_TURNS = 1.75;
/** Spiral noise is scaled down: its arms lie about 0.29 apart, so noise 1 already mixes them. */
const SPIRAL_NOISE_SCALE = 0.25;
const INNER_RADIUS = 0.5;
const RING = [0.7, 1] as const;
const SINE_PERIOD = 50;
const SERIES_POINTS = 500;

interface Points {
  /** x, y of each point, one after another. */
  xy: Float32Array;
  labels: Int32Array;
}

const DEFAULTS: Record<SyntheticId, { size: number; noise: number }> = {
  spirals: { size: 1000, noise: 0.2 },
  xor: { size: 1000, noise: 0.1 },
  circles: { size: 1000, noise: 0.1 },
  sine: { size: 2000, noise: 0.1 },
};

/** Points i < size / 2 are class 0, the rest class 1, each placed by `place` from a number in [0, 1) and a random source. */
function generate(size: number, seed: number, place: (label: number, t: number, random: () => number) => [number, number]): Points {
  const random = seededRandom(seed);
  const half = Math.ceil(size / 2);
  const xy = new Float32Array(size * 2);
  const labels = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const label = i < half ? 0 : 1;
    const [x, y] = place(label, label === 0 ? i / half : (i - half) / (size - half), random);
    xy[2 * i] = x;
    xy[2 * i + 1] = y;
    labels[i] = label;
  }
  return { xy, labels };
}

function jitter(points: Points, std: number, seed: number): Points {
  if (std > 0) {
    const noise = seededNormal(points.xy.length, seededRandom(seed + 1));
    for (let i = 0; i < points.xy.length; i++) points.xy[i]! += std * noise[i]!;
  }
  return points;
}

/** Two spirals, the second the first turned half a circle, with radius t for t in [0, 1). */
function spirals(size: number, noise: number, seed: number): Points {
  const points = generate(size, seed, (label, t) => {
    const angle = 2 * Math.PI * SPIRAL_TURNS * t + label * Math.PI;
    return [t * Math.cos(angle), t * Math.sin(angle)];
  });
  return jitter(points, noise * SPIRAL_NOISE_SCALE, seed);
}

/** Uniform in [-1, 1]², as many points with x and y of the same sign as of opposite signs. */
function xor(size: number, noise: number, seed: number): Points {
  const points = generate(size, seed, (label, _t, random) => {
    const sx = random() < 0.5 ? 1 : -1;
    const sy = label === 0 ? sx : -sx;
    return [sx * (1 - random()), sy * (1 - random())];
  });
  return jitter(points, noise, seed);
}

/** A disc of radius 0.5 inside a ring from 0.7 to 1, each uniform over its area. */
function circles(size: number, noise: number, seed: number): Points {
  const points = generate(size, seed, (label, _t, random) => {
    const [r0, r1] = label === 0 ? [0, INNER_RADIUS] : RING;
    const r = Math.sqrt(r0 * r0 + random() * (r1 * r1 - r0 * r0));
    const angle = 2 * Math.PI * random();
    return [r * Math.cos(angle), r * Math.sin(angle)];
  });
  return jitter(points, noise, seed);
}

const TABLES = {
  spirals: { name: 'Two spirals', classes: ['spiral A', 'spiral B'], make: spirals },
  xor: { name: 'XOR', classes: ['same sign', 'opposite sign'], make: xor },
  circles: { name: 'Circles', classes: ['inner', 'outer'], make: circles },
};

function tableColumns(classes: string[]): ColumnInfo[] {
  return [
    { name: 'x', type: 'number', missing: 0, role: 'feature', width: 1 },
    { name: 'y', type: 'number', missing: 0, role: 'feature', width: 1 },
    { name: 'class', type: 'category', missing: 0, role: 'target', values: classes, width: 1 },
  ];
}

/** Points shuffled with a fixed seed, the last fifth held out. */
function tableDataset(id: keyof typeof TABLES, size: number, noise: number, seed: number): LoadedDataset {
  const { name, classes, make } = TABLES[id];
  const points = make(size, noise, seed);
  const order = seededOrder(size, seed);
  const trainCount = size - Math.round(size * TEST_FRACTION);
  const pick = (from: number, to: number) => {
    const indices = order.subarray(from, to);
    const xy = new Float32Array(indices.length * 2);
    indices.forEach((p, i) => xy.set(points.xy.subarray(2 * p, 2 * p + 2), 2 * i));
    return memorySplit(xy, 2, { labels: Int32Array.from(indices, (p) => points.labels[p]!) });
  };
  const train = pick(0, trainCount);
  return {
    name,
    kind: 'table',
    inputShape: [2],
    target: { kind: 'classes' },
    classes: [...classes],
    vocabulary: null,
    train,
    test: pick(trainCount, size),
    columns: tableColumns(classes),
    problems: [],
    preview(count) {
      const n = Math.min(Math.max(0, count), train.count);
      const xy = train.features(Array.from({ length: n }, (_, i) => i));
      const rows = Array.from({ length: n }, (_, i) => [xy[2 * i]!.toFixed(3), xy[2 * i + 1]!.toFixed(3), classes[train.labels![i]!]!]);
      return { kind: 'table', columns: ['x', 'y', 'class'], rows };
    },
  };
}

/** Windows of `length` steps of series[from, to), each with the value after it as its target. */
function seriesSplit(series: Float32Array, from: number, to: number, length: number) {
  const count = Math.max(0, to - from - length);
  const windows = new Float32Array(count * length);
  const next = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    windows.set(series.subarray(from + i, from + i + length), i * length);
    next[i] = series[from + i + length]!;
  }
  return memorySplit(windows, length, { values: next });
}

/** Every `step`-th value, at most SERIES_POINTS of them, and where the held-out part begins among them. */
function downsample(series: Float32Array, testStart: number): { values: number[]; testStart: number } {
  const step = Math.ceil(series.length / SERIES_POINTS);
  const values = Array.from({ length: Math.ceil(series.length / step) }, (_, i) => series[i * step]!);
  return { values, testStart: Math.ceil(testStart / step) };
}

/** A sine wave with a period of 50 steps plus noise; windows of the first 80% train, of the last 20% test. */
function sineDataset(size: number, noise: number, length: number, seed: number): LoadedDataset {
  if (!Number.isInteger(length) || length < 2) throw new DatasetError(`The sine wave's window length must be a whole number of at least 2, not ${length}.`);
  const noises = seededNormal(size, seededRandom(seed));
  const series = Float32Array.from({ length: size }, (_, t) => Math.sin((2 * Math.PI * t) / SINE_PERIOD) + noise * noises[t]!);
  const testStart = size - Math.round(size * TEST_FRACTION);
  const train = seriesSplit(series, 0, testStart, length);
  const test = seriesSplit(series, testStart, size, length);
  if (train.count === 0) {
    throw new DatasetError(`A sine wave of ${size} steps trains on its first ${testStart}, too few for one window of ${length} and the step after it: raise the size or lower the length.`);
  }
  const problems: DataProblem[] =
    test.count === 0 ? [{ message: `The held-out last ${size - testStart} steps are too few for one window of ${length} and the step after it, so there is no test score: raise the size or lower the length.` }] : [];
  const preview = { kind: 'series' as const, ...downsample(series, testStart) };
  return {
    name: 'Noisy sine wave',
    kind: 'sequence',
    inputShape: [length, 1],
    target: { kind: 'values', size: 1 },
    classes: null,
    vocabulary: null,
    train,
    test,
    columns: [],
    problems,
    preview: () => preview,
  };
}

/**
 * A generated dataset, the same for the same settings and seed: two spirals, XOR or
 * circles as 2-D points to classify, or a noisy sine wave as a time series to forecast.
 */
export function loadSynthetic(id: SyntheticId, options: SyntheticOptions = {}, seed = 1): LoadedDataset {
  const { size = DEFAULTS[id].size, noise = DEFAULTS[id].noise } = options;
  if (!Number.isInteger(size) || size < 20) throw new DatasetError(`The size must be a whole number of at least 20, not ${size}.`);
  if (!(noise >= 0)) throw new DatasetError(`The noise must be a number of at least 0, not ${noise}.`);
  return id === 'sine' ? sineDataset(size, noise, options.length ?? 32, seed) : tableDataset(id, size, noise, seed);
}
