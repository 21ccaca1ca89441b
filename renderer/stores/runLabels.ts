import type { RunConfig } from '../../shared/api/contract.js';
import type { TrainingDefaults } from '../../shared/project/schema.js';

/** A run's settings after the project's defaults were applied: what its label is drawn from. */
export type RunSettings = Record<string, unknown>;

/** What a run started from this window ran with; saved runs bring theirs from disk in the same shape. */
export function effectiveSettings(defaults: TrainingDefaults, config: RunConfig, network: string): RunSettings {
  const { gan: _gan, ...rest } = defaults;
  const { resumeFrom: _resumeFrom, startFrom: _startFrom, ...chosen } = config;
  return { network, ...rest, ...chosen };
}

/** Settings that the run's optimizer or task ignores, so a difference there means nothing. */
function ignored(settings: RunSettings): Set<string> {
  const out = new Set(['gan', 'resumeFrom', 'startFrom', 'startedFrom', 'importedFrom', 'description']);
  if (settings.optimizer !== 'momentum') out.add('momentum');
  if (settings.optimizer !== 'adamw') out.add('weightDecay');
  if (settings.task !== 'language-model') out.add('temperature');
  return out;
}

const num = (v: unknown) => (typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v));

function describeSchedule(v: unknown): string {
  const s = (v ?? { kind: 'constant' }) as { kind?: string; everyEpochs?: number; factor?: number; minFactor?: number };
  if (s.kind === 'step') return `lr ×${num(s.factor)} every ${num(s.everyEpochs)} ep`;
  if (s.kind === 'cosine') return `cosine lr to ×${num(s.minFactor ?? 0)}`;
  return 'constant lr';
}

/** A dataset in a few words: a built-in's id and its changed settings, or a file's name. */
function describeDataset(v: unknown): string {
  if (typeof v === 'string' || !v || typeof v !== 'object') return String(v);
  const source = v as Record<string, unknown>;
  if (source.kind === 'builtin') {
    const extra = ['size', 'noise', 'vocabulary', 'length'].filter((k) => source[k] !== undefined).map((k) => `${k} ${num(source[k])}`);
    return [String(source.id), ...extra].join(' ');
  }
  const path = String(source.path ?? '');
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

function describeAugmentation(v: unknown): string {
  const a = (v ?? {}) as { flip?: boolean; shift?: number; rotate?: number; noise?: number };
  const parts = [a.flip ? 'flip' : '', a.shift ? `shift ${num(a.shift)}` : '', a.rotate ? `rotate ${num(a.rotate)}°` : '', a.noise ? `noise ${num(a.noise)}` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'no augmentation';
}

function describeValidation(v: unknown): string {
  const s = (v ?? { kind: 'test' }) as { kind?: string; fraction?: number };
  return s.kind === 'split' ? `val ${num((s.fraction ?? 0) * 100)}% held out` : 'val on test split';
}

/** Each setting in a few characters, as a legend can hold it: "lr 0.01", "batch 32", "adam". */
const FORMATS: Record<string, (v: unknown) => string> = {
  network: (v) => String(v),
  continues: (v) => (v ? `from ${String(v)}` : 'fresh start'),
  task: (v) => String(v),
  dataset: describeDataset,
  augmentation: describeAugmentation,
  optimizer: (v) => String(v),
  learningRate: (v) => `lr ${num(v)}`,
  batchSize: (v) => `batch ${num(v)}`,
  schedule: describeSchedule,
  momentum: (v) => `momentum ${num(v)}`,
  weightDecay: (v) => `wd ${num(v)}`,
  loss: (v) => String(v),
  losses: (v) =>
    Object.entries((v ?? {}) as Record<string, unknown>)
      .map(([k, l]) => `${k}: ${String(l)}`)
      .join(', ') || 'one loss for all outputs',
  epochs: (v) => `${num(v)} epoch${v === 1 ? '' : 's'}`,
  maxBatches: (v) => (v === undefined || v === null ? 'all batches' : `${num(v)} batches/epoch`),
  samplesPerEpoch: (v) => (v === undefined || v === null ? 'all examples' : `${num(v)} examples/epoch`),
  validation: describeValidation,
  earlyStopping: (v) => (v ? `early stop ${num((v as { patience?: number }).patience)}` : 'no early stop'),
  metrics: (v) => (Array.isArray(v) && v.length > 0 ? v.join(', ') : 'no metrics'),
  seed: (v) => `seed ${num(v)}`,
  temperature: (v) => `T ${num(v)}`,
  backend: (v) => String(v ?? 'auto'),
};

/** The order differences are named in: what people vary most first. */
const PRIORITY = Object.keys(FORMATS);

function canonical(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${k}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function describeSetting(key: string, value: unknown): string {
  const format = FORMATS[key];
  if (format) return format(value);
  return `${key} ${value === undefined ? 'default' : typeof value === 'object' ? canonical(value) : String(value)}`;
}

export interface LabelInput {
  key: string;
  settings: RunSettings;
  /** Used when nothing tells two runs apart, e.g. "run 3". */
  name: string;
}

/** What a setting left out means, for the few whose absence says something ("all batches"). */
const WHEN_ABSENT: RunSettings = { augmentation: null, maxBatches: null, samplesPerEpoch: null, losses: null, earlyStopping: null, backend: 'auto', continues: null };

/** Settings as compared: absent optional ones at their meaning, an empty per-output loss map as none. */
function normalize(settings: RunSettings): RunSettings {
  const out: RunSettings = { ...WHEN_ABSENT };
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    const empty = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
    out[key] = empty && key === 'losses' ? null : value;
  }
  return out;
}

/** The settings whose values differ between some of the runs, most telling first. */
export function differingKeys(runs: readonly LabelInput[]): string[] {
  if (runs.length < 2) return [];
  const all = runs.map((r) => normalize(r.settings));
  const keys = new Set(all.flatMap((s) => Object.keys(s)));
  const differing = [...keys].filter((key) => {
    // A setting some run does not record cannot be told apart: it is left out of the label.
    const relevant = all.filter((s) => !ignored(s).has(key));
    if (relevant.length < 2 || relevant.some((s) => !(key in s))) return false;
    const first = canonical(relevant[0]![key]);
    return relevant.some((s) => canonical(s[key]) !== first);
  });
  const rank = (k: string) => (PRIORITY.includes(k) ? PRIORITY.indexOf(k) : PRIORITY.length);
  return differing.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Names each run by what sets it apart from the others ("lr 0.01" beside "lr 0.001"), so
 * a legend reads as the experiment; runs that ran alike keep their plain names. `unique`
 * adds the plain name where labels would still be alike (a list that shows names can skip it).
 */
export function labelRuns(runs: readonly LabelInput[], { maxParts = 3, unique = true } = {}): Map<string, string> {
  const keys = differingKeys(runs).slice(0, maxParts);
  const labels = new Map<string, string>();
  for (const run of runs) {
    const settings = normalize(run.settings);
    const skip = ignored(settings);
    const parts = keys.filter((k) => !skip.has(k)).map((k) => describeSetting(k, settings[k]));
    labels.set(run.key, parts.length > 0 ? parts.join(' · ') : run.name);
  }
  if (!unique) return labels;
  // Differences beyond `maxParts` can leave two labels alike: the plain name tells them apart.
  const seen = new Map<string, number>();
  for (const label of labels.values()) seen.set(label, (seen.get(label) ?? 0) + 1);
  for (const run of runs) {
    const label = labels.get(run.key)!;
    if (seen.get(label)! > 1 && label !== run.name) labels.set(run.key, `${label} (${run.name})`);
  }
  return labels;
}

/** "adam vs sgd" for a chart's caption; many runs are counted instead. */
export function compareTitle(labels: readonly string[]): string {
  if (labels.length === 0) return '';
  if (labels.length > 4) return `${labels.length} runs`;
  return labels.join(' vs ');
}
