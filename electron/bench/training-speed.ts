/**
 * Training speed of each template's network as NetCanvas compiles it against the same
 * network written by hand in tfjs: same backend, data and optimizer, and the Trainer's own
 * training step (its job's trainBatch), timed in interleaved rounds. A ratio near 1 says the
 * compiler costs nothing at training time.
 */
import { batchOrder, benchDataKey, loadBenchData, type BenchData } from './batches.js';
import { HANDWRITTEN } from './handwritten.js';
import { benchJob, compiledNetworks, Trainee } from './jobs.js';
import { difference, disposeNetworks, partsOf, type Networks } from './networks.js';
import { DEFAULT_LIMITS, interleaved, planRounds, warmUp, type PlanLimits } from './timing.js';
import type { BackendChoice, BackendName } from '../../shared/api/contract.js';
import type { Project } from '../../shared/project/schema.js';
import { defaultTemplatesDir, TemplateStore } from '../backend/templates.js';
import type { TrainingJob } from '../training/jobs/job.js';
import { resolveRunConfig } from '../training/run-config.js';
import { gradientProblem, selectBackend } from '../training/tf-backend.js';

export interface BenchRow {
  template: string;
  backend: BackendName;
  compiledSamplesPerSec: number | null;
  handwrittenSamplesPerSec: number | null;
  ratio: number | null;
  /** Only on a row that could not be measured: why. */
  error?: string;
}

/** A row as measured; `roundRatios` is for people reading the table, not part of the JSON. */
export interface MeasuredRow extends BenchRow {
  /** Quartiles of the rounds' own ratios: how far the rounds fell apart, i.e. how noisy the machine was. */
  roundRatios?: [number, number];
}

export interface SkippedTemplate {
  template: string;
  reason: string;
}

export interface TrainingSpeedOptions {
  backend: BackendChoice;
  /** Template ids; all templates when absent. */
  templates?: readonly string[];
  /** Timed batches per network per round; chosen from a time budget when absent. */
  batches?: number;
  templatesDir?: string;
  limits?: PlanLimits;
  /** Time the hand-written network against a second copy of itself: how far apart two identical networks fall on this machine. */
  control?: boolean;
  /** Progress lines (the CLI writes them to stderr). */
  log?: (line: string) => void;
}

export interface TrainingSpeedResult {
  rows: MeasuredRow[];
  skipped: SkippedTemplate[];
  /** The rows are the noise control: in each, the "compiled" network is a second hand-written one. */
  control?: boolean;
}

export class UnknownTemplateError extends Error {}

const everyPart = (networks: readonly Networks[]) => networks.flatMap((n) => partsOf(n).map(([, model]) => model));

async function compareTemplate(
  id: string,
  project: Project,
  data: BenchData,
  options: TrainingSpeedOptions,
  log: (line: string) => void,
): Promise<MeasuredRow | SkippedTemplate> {
  let backend = (await selectBackend(options.backend)).name;
  const row = (fields: Partial<MeasuredRow>): MeasuredRow => ({
    template: id,
    backend,
    compiledSamplesPerSec: null,
    handwrittenSamplesPerSec: null,
    ratio: null,
    ...fields,
  });
  const config = resolveRunConfig(project, {});
  // Networks until their jobs take them over; then the jobs, which dispose them with their optimizers.
  let networks: Networks[] = [];
  let jobs: TrainingJob[] = [];
  const build = () => {
    networks.push(options.control ? HANDWRITTEN[id]!() : compiledNetworks(project, config, data));
    networks.push(HANDWRITTEN[id]!());
    return networks as [Networks, Networks];
  };
  try {
    let [compiled, hand] = build();
    const problem = backend === 'wasm' ? (everyPart(networks).map(gradientProblem).find((p) => p !== null) ?? null) : null;
    if (problem) {
      if (options.backend !== 'auto') return { template: id, reason: `the ${backend} backend cannot train this network (${problem})` };
      // Chosen automatically, wasm gives way to cpu for what it cannot train, as the Trainer does.
      for (const n of networks.splice(0)) disposeNetworks(n);
      backend = (await selectBackend('cpu')).name;
      [compiled, hand] = build();
    }
    const differs = difference(compiled, hand);
    if (differs) return row({ error: differs });
    jobs = networks.map((n) => benchJob(project, config, n, data));
    networks = [];
    const order = batchOrder(jobs[0]!.trainCount, config.batchSize, config.seed);
    const a = new Trainee(jobs[0]!, order);
    const b = new Trainee(jobs[1]!, order);
    const limits = options.limits ?? DEFAULT_LIMITS;
    const batchMs = await warmUp(a, b, limits.warmupMs);
    const plan = planRounds(batchMs, options.batches, limits);
    log(`${id}: ${backend}, batch size ${order.batchSize}, ${plan.rounds} rounds of ${plan.batchesPerRound} batches per network`);
    const result = await interleaved(a, b, plan, order.batchSize, (r) =>
      log(`  round ${r.round}/${r.rounds}: compiled ${r.aPerSec.toFixed(1)}, hand-written ${r.bPerSec.toFixed(1)} samples/s`),
    );
    return row({
      compiledSamplesPerSec: round(result.aPerSec, 1),
      handwrittenSamplesPerSec: round(result.bPerSec, 1),
      ratio: round(result.ratio, 3),
      roundRatios: [round(result.ratioSpread[0], 3), round(result.ratioSpread[1], 3)],
    });
  } catch (err) {
    // A template that fails to build or train is a row that says why; the others still run.
    return row({ error: (err as Error).message.split('\n')[0]! });
  } finally {
    for (const job of jobs) job.dispose();
    for (const n of networks) disposeNetworks(n);
  }
}

export const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** The templates a benchmark times: those asked for, else all; UnknownTemplateError names any that is not one. */
export async function benchTemplates(templatesDir: string | undefined, asked: readonly string[] | undefined): Promise<{ store: TemplateStore; wanted: readonly string[] }> {
  const store = new TemplateStore(templatesDir ?? defaultTemplatesDir());
  const available = (await store.list()).map((t) => t.id);
  const wanted = asked ?? available;
  const unknown = wanted.filter((id) => !available.includes(id));
  if (unknown.length > 0) throw new UnknownTemplateError(`Unknown template ${unknown.join(', ')}: the templates are ${available.join(', ')}.`);
  return { store, wanted };
}

/**
 * Each template asked for (else all) with its dataset, read once for the templates that share
 * it; one whose dataset cannot be read here is logged and put in `skipped` instead, with why.
 */
export async function* templatesWithData(
  templatesDir: string | undefined,
  asked: readonly string[] | undefined,
  log: (line: string) => void,
  skipped: SkippedTemplate[],
): AsyncGenerator<{ id: string; project: Project; data: BenchData }> {
  const { store, wanted } = await benchTemplates(templatesDir, asked);
  const datasets = new Map<string, BenchData>();
  for (const id of wanted) {
    const project = (await store.load(id))!;
    const key = benchDataKey(project.training.dataset);
    try {
      if (!datasets.has(key)) datasets.set(key, await loadBenchData(project.training.dataset));
    } catch (err) {
      const reason = `its dataset cannot be read here (${(err as Error).message.split('\n')[0]!})`;
      log(`${id}: skipped: ${reason}`);
      skipped.push({ template: id, reason });
      continue;
    }
    yield { id, project, data: datasets.get(key)! };
  }
}

export async function benchTrainingSpeed(options: TrainingSpeedOptions): Promise<TrainingSpeedResult> {
  const log = options.log ?? (() => {});
  const { store, wanted } = await benchTemplates(options.templatesDir, options.templates);

  const result: TrainingSpeedResult = { rows: [], skipped: [], ...(options.control ? { control: true } : {}) };
  const datasets = new Map<string, BenchData>();
  for (const id of wanted) {
    const project = (await store.load(id))!;
    if (!HANDWRITTEN[id]) {
      const reason = 'no hand-written counterpart yet (add one to electron/bench/handwritten.ts)';
      log(`${id}: skipped: ${reason}`);
      result.skipped.push({ template: id, reason });
      continue;
    }
    const key = benchDataKey(project.training.dataset);
    if (!datasets.has(key)) datasets.set(key, await loadBenchData(project.training.dataset));
    const data = datasets.get(key)!;
    const outcome = await compareTemplate(id, project, data, options, log);
    if ('reason' in outcome) {
      log(`${id}: skipped: ${outcome.reason}`);
      result.skipped.push(outcome);
    } else {
      if (outcome.error) log(`${id}: error: ${outcome.error}`);
      result.rows.push(outcome);
    }
  }
  return result;
}
