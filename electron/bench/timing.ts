/**
 * Interleaved timing of two contenders on a shared, noisy machine: they take turns, and each
 * one's figure is its median over several rounds, so a slow spell (another process, a GC,
 * thermal throttling) weighs on both alike.
 */
export interface Contender {
  /**
   * Trains `batches` batches and resolves when the last one's loss is known: to nothing, or to
   * the milliseconds the contender measured itself (another process, whose messages' way here
   * is no part of its training).
   */
  train(batches: number): Promise<void | number>;
}

export interface Plan {
  batchesPerRound: number;
  rounds: number;
}

export interface PlanLimits {
  /** How long one network's share of a round should last. */
  roundMs: number;
  /** How long all rounds of both networks together may last. */
  budgetMs: number;
  minRounds: number;
  maxRounds: number;
  /** How long each network trains untimed after its first batch; 0 for only that first batch. */
  warmupMs: number;
}

/**
 * About 40 s of timed rounds per template keeps `npm run bench` near five minutes for six
 * templates. A network at a second or more per batch (the LSTM and the Transformer on wasm)
 * gets one batch per round, over a dozen rounds or more, and never fewer than 7.
 */
export const DEFAULT_LIMITS: PlanLimits = { roundMs: 1500, budgetMs: 40_000, minRounds: 7, maxRounds: 15, warmupMs: 1000 };

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Batches per round and rounds from the time one batch took: enough batches to fill
 * `roundMs`, at least one; fewer rounds (never under `minRounds`) when a batch is so slow
 * that all rounds would overrun the budget, as the pure-JavaScript backend is on CNNs.
 */
export function planRounds(batchMs: number, fixedBatches: number | undefined, limits: PlanLimits = DEFAULT_LIMITS): Plan {
  const batchesPerRound = fixedBatches ?? Math.max(1, Math.round(limits.roundMs / batchMs));
  const roundPairMs = 2 * batchesPerRound * batchMs;
  const rounds = Math.min(limits.maxRounds, Math.max(limits.minRounds, Math.floor(limits.budgetMs / roundPairMs)));
  return { batchesPerRound, rounds };
}

async function timed(contender: Contender, batches: number): Promise<number> {
  const started = performance.now();
  const measured = await contender.train(batches);
  return typeof measured === 'number' ? measured : performance.now() - started;
}

/** A batch this slow is its own warm-up: more would only cost time. */
const SLOW_BATCH_MS = 2000;

/**
 * Trains each contender once, which builds tfjs's training function and the optimizer's
 * slots, then once more, and then for about `warmupMs` more so the JIT settles (skipped when
 * that second batch is slow enough to be its own warm-up). Resolves to the milliseconds one
 * batch takes, the larger of the two contenders' figures, from after the first batch, which
 * can take twice as long as the others and would plan too few rounds. With `warmupMs` 0 only
 * the first batch is trained, and its time returned.
 */
export async function warmUp(a: Contender, b: Contender, warmupMs = 1000): Promise<number> {
  const first = Math.max(await timed(a, 1), await timed(b, 1));
  if (warmupMs <= 0) return first;
  const second = Math.max(await timed(a, 1), await timed(b, 1));
  if (second > SLOW_BATCH_MS) return second;
  const batches = Math.max(2, Math.round(warmupMs / second));
  return Math.max(await timed(a, batches), await timed(b, batches)) / batches;
}

export interface RoundReport {
  round: number;
  rounds: number;
  aPerSec: number;
  bPerSec: number;
}

export interface Interleaved {
  aPerSec: number;
  bPerSec: number;
  /**
   * The median of the rounds' own A/B ratios. Each round's two figures were measured side by
   * side, so this holds up when the machine's load changes between rounds, which a ratio of
   * the two medians does not.
   */
  ratio: number;
  /** The quartiles of the rounds' A/B ratios: how far apart rounds fell, i.e. how noisy the machine was. */
  ratioSpread: [number, number];
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * Samples per second of A and of B: each one's median over the rounds. Inside a round the
 * two alternate batch by batch (A B, B A, …), so that even a slow spell shorter than a round
 * falls on both.
 */
export async function interleaved(
  a: Contender,
  b: Contender,
  plan: Plan,
  samplesPerBatch: number,
  onRound: (report: RoundReport) => void = () => {},
): Promise<Interleaved> {
  const aRates: number[] = [];
  const bRates: number[] = [];
  const rate = (ms: number) => (plan.batchesPerRound * samplesPerBatch) / (ms / 1000);
  for (let round = 0; round < plan.rounds; round++) {
    let aMs = 0;
    let bMs = 0;
    for (let i = 0; i < plan.batchesPerRound; i++) {
      if ((round + i) % 2 === 0) {
        aMs += await timed(a, 1);
        bMs += await timed(b, 1);
      } else {
        bMs += await timed(b, 1);
        aMs += await timed(a, 1);
      }
    }
    aRates.push(rate(aMs));
    bRates.push(rate(bMs));
    onRound({ round: round + 1, rounds: plan.rounds, aPerSec: rate(aMs), bPerSec: rate(bMs) });
  }
  const ratios = aRates.map((r, i) => r / bRates[i]!);
  return { aPerSec: median(aRates), bPerSec: median(bRates), ratio: median(ratios), ratioSpread: [quantile(ratios, 0.25), quantile(ratios, 0.75)] };
}

/** Samples per second of one contender alone: its median over the plan's rounds. */
export async function solo(a: Contender, plan: Plan, samplesPerBatch: number): Promise<number> {
  const rates: number[] = [];
  for (let round = 0; round < plan.rounds; round++) rates.push((plan.batchesPerRound * samplesPerBatch) / ((await timed(a, plan.batchesPerRound)) / 1000));
  return median(rates);
}
