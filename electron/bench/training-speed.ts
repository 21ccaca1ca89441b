/**
 * Training speed of each template's network as NetCanvas compiles it against the same
 * network written by hand in tfjs: same backend, batches, optimizer and training step, timed
 * in interleaved rounds. A ratio near 1 says the compiler costs nothing at training time.
 */
import type * as tf from '@tensorflow/tfjs';
import { fixedBatches, trainingExamples, type FixedBatches } from './batches.js';
import { HANDWRITTEN } from './handwritten.js';
import { DEFAULT_LIMITS, interleaved, planRounds, warmUp, type Contender, type PlanLimits } from './timing.js';
import type { BackendChoice, BackendName } from '../../shared/api/contract.js';
import type { Project } from '../../shared/project/schema.js';
import { defaultTemplatesDir, TemplateStore } from '../backend/templates.js';
import { compileGraph } from '../compiler/compile.js';
import { loadMnist, type ImageClassificationData } from '../data/mnist.js';
import { makeOptimizer } from '../training/optimizers.js';
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
  /** Progress lines (the CLI writes them to stderr). */
  log?: (line: string) => void;
}

export interface TrainingSpeedResult {
  rows: MeasuredRow[];
  skipped: SkippedTemplate[];
}

export class UnknownTemplateError extends Error {}

/** Tasks whose training step is one `trainOnBatch` on (input, target), as the bench times it. */
const SUPPORTED_TASKS: ReadonlySet<Project['training']['task']> = new Set(['classify', 'autoencode']);
/** Distinct batches cycled through; enough that the data is not one cached tensor. */
const BATCH_POOL = 16;

class Trainee implements Contender {
  private next = 0;
  constructor(
    readonly model: tf.LayersModel,
    private readonly batches: FixedBatches,
  ) {}

  async train(batches: number): Promise<void> {
    for (let i = 0; i < batches; i++) {
      const k = this.next++ % this.batches.xs.length;
      await this.model.trainOnBatch(this.batches.xs[k]!, this.batches.ys[k]!);
    }
  }
}

/** Why a template cannot be compared yet, or null when it can. */
function skipReason(id: string, project: Project): string | null {
  if (!HANDWRITTEN[id]) return 'no hand-written counterpart yet (add one to electron/bench/handwritten.ts)';
  if (project.training.dataset !== 'mnist') return `the bench has no batches of the ${project.training.dataset} dataset yet`;
  if (!SUPPORTED_TASKS.has(project.training.task)) return `the bench has no training step for the ${project.training.task} task yet`;
  return null;
}

const outputShapes = (model: tf.LayersModel) => JSON.stringify(model.outputs.map((o) => o.shape));

async function compareTemplate(
  id: string,
  project: Project,
  data: ImageClassificationData,
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
  const owned: { dispose(): void }[] = [];
  const build = () => {
    const pair = { compiled: compileGraph(project.graph), hand: HANDWRITTEN[id]!() };
    owned.push(pair.compiled, pair.hand);
    return pair;
  };
  try {
    let { compiled, hand } = build();
    const problem = backend === 'wasm' ? (gradientProblem(compiled) ?? gradientProblem(hand)) : null;
    if (problem) {
      if (options.backend !== 'auto') return { template: id, reason: `the ${backend} backend cannot train this network (${problem})` };
      // Chosen automatically, wasm gives way to cpu for what it cannot train, as the Trainer does.
      for (const thing of owned.splice(0)) thing.dispose();
      backend = (await selectBackend('cpu')).name;
      ({ compiled, hand } = build());
    }
    if (compiled.countParams() !== hand.countParams() || outputShapes(compiled) !== outputShapes(hand)) {
      return row({
        error:
          `the hand-written network differs from the template: ${hand.countParams()} parameters and output ${outputShapes(hand)}, ` +
          `compiled ${compiled.countParams()} and ${outputShapes(compiled)}`,
      });
    }
    const batches = fixedBatches(trainingExamples(data, project.training), project.training.batchSize, BATCH_POOL);
    // Each network its own optimizer (Adam keeps per-weight slots), made and compiled as the Trainer's supervised job does.
    const optimizers = [makeOptimizer(project.training), makeOptimizer(project.training)] as const;
    owned.push(batches, ...optimizers);
    const { loss, metrics, task } = project.training;
    const compileArgs = { loss, metrics: metrics.includes('accuracy') && task !== 'autoencode' ? ['accuracy'] : [] };
    compiled.compile({ optimizer: optimizers[0], ...compileArgs });
    hand.compile({ optimizer: optimizers[1], ...compileArgs });
    const a = new Trainee(compiled, batches);
    const b = new Trainee(hand, batches);
    const batchMs = await warmUp(a, b);
    const plan = planRounds(batchMs, options.batches, options.limits ?? DEFAULT_LIMITS);
    log(`${id}: ${backend}, batch size ${batches.batchSize}, ${plan.rounds} rounds of ${plan.batchesPerRound} batches per network`);
    const result = await interleaved(a, b, plan, batches.batchSize, (r) =>
      log(`  round ${r.round}/${r.rounds}: compiled ${r.aPerSec.toFixed(1)}, hand-written ${r.bPerSec.toFixed(1)} samples/s`),
    );
    return row({
      compiledSamplesPerSec: round(result.aPerSec, 1),
      handwrittenSamplesPerSec: round(result.bPerSec, 1),
      ratio: round(result.aPerSec / result.bPerSec, 3),
      roundRatios: [round(result.ratioSpread[0], 3), round(result.ratioSpread[1], 3)],
    });
  } catch (err) {
    // A template that fails to build or train is a row that says why; the others still run.
    return row({ error: (err as Error).message.split('\n')[0]! });
  } finally {
    for (const thing of owned) thing.dispose();
  }
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

export async function benchTrainingSpeed(options: TrainingSpeedOptions): Promise<TrainingSpeedResult> {
  const log = options.log ?? (() => {});
  const store = new TemplateStore(options.templatesDir ?? defaultTemplatesDir());
  const available = (await store.list()).map((t) => t.id);
  const wanted = options.templates ?? available;
  const unknown = wanted.filter((id) => !available.includes(id));
  if (unknown.length > 0) throw new UnknownTemplateError(`Unknown template ${unknown.join(', ')}: the templates are ${available.join(', ')}.`);

  const result: TrainingSpeedResult = { rows: [], skipped: [] };
  let data: ImageClassificationData | undefined;
  for (const id of wanted) {
    const project = (await store.load(id))!;
    const reason = skipReason(id, project);
    if (reason) {
      log(`${id}: skipped: ${reason}`);
      result.skipped.push({ template: id, reason });
      continue;
    }
    data ??= await loadMnist();
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
