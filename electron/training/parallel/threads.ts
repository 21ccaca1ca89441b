import os from 'node:os';
import type { BackendName } from '../../../shared/api/contract.js';
import type { Graph } from '../../../shared/graph/types.js';
import type { ResolvedRunConfig } from '../run-config.js';

/** Fewer rows than this in a shard, and a thread costs more than it brings. */
export const MIN_SHARD_ROWS = 4;

export interface ThreadLimit {
  /** The most threads this run may train with; 1 trains on the Trainer's own thread alone. */
  max: number;
  /** Why not more, where something other than the machine's cores holds it back. */
  note: string | null;
}

const note = (why: string) => `more threads: ${why}`;

/**
 * How many CPU threads a run on a tfjs backend may share its batches over. Only WebAssembly and
 * plain JavaScript run on one thread (libtensorflow uses every core itself, WebGPU the GPU). A
 * batch split over threads gives the whole batch's gradient only where no layer looks across
 * the batch: BatchNormalization's statistics would be each shard's, not the batch's.
 */
export function threadLimit(graph: Graph, config: Pick<ResolvedRunConfig, 'task' | 'threads' | 'batchSize'>, backend: BackendName, cores = os.availableParallelism()): ThreadLimit {
  if (backend !== 'wasm' && backend !== 'cpu') return { max: 1, note: null };
  if (config.task === 'gan') return { max: 1, note: note("a GAN's two networks take their steps in turn, on one thread") };
  const norm = graph.nodes.find((n) => n.type === 'BatchNormalization');
  if (norm) return { max: 1, note: note(`BatchNormalization ("${norm.name ?? norm.id}") takes its statistics over the whole batch, which a batch split over threads would change`) };
  const wanted = config.threads ?? cores;
  const bySize = Math.max(1, Math.floor(config.batchSize / MIN_SHARD_ROWS));
  const max = Math.max(1, Math.min(wanted, cores, bySize));
  if (max === 1 && wanted > 1 && bySize === 1) return { max, note: note(`batches of ${config.batchSize} are too small to split`) };
  if (config.threads !== null && config.threads > cores) return { max, note: note(`${config.threads} were asked for, and this machine has ${cores} cores`) };
  return { max, note: null };
}

/** What a trial trained: samples in so many milliseconds. */
export interface TrialTiming {
  samples: number;
  ms: number;
}

/** A trial: trains one batch on `threads` threads. */
export type ThreadTrial = (threads: number) => Promise<TrialTiming>;

export interface ThreadChoice {
  threads: number;
  /** Why the other count was not used, in the backend line's words. */
  note: string | null;
}

/** Batches that warm the threads up before timing: their first steps at a new size run cold code. */
const WARM_UP_BATCHES = 3;
/** Batches timed on each count at least, and how long the timing goes on for. */
const MIN_TIMED = 3;
const TRIAL_MS = 1000;

const perSec = (t: TrialTiming) => Math.round((t.samples * 1000) / Math.max(t.ms, 1e-3)).toLocaleString('en-US');
const threadsWord = (n: number) => `${n} ${n === 1 ? 'thread' : 'threads'}`;

/**
 * For a run that leaves the threads to NetCanvas: times the network on one thread and on `max`,
 * a batch of each in turn after a warm-up, so a moment in which the machine is busy slows both,
 * and takes the faster. A small network's step is mostly the cost of starting each kernel, which
 * threads do not share, so one thread can win.
 */
export async function chooseThreads(max: number, trial: ThreadTrial): Promise<ThreadChoice> {
  if (max <= 1) return { threads: 1, note: null };
  for (let i = 0; i < WARM_UP_BATCHES; i++) await trial(max);
  await trial(1);
  const many = { samples: 0, ms: 0 };
  const one = { samples: 0, ms: 0 };
  const add = (to: TrialTiming, t: TrialTiming) => {
    to.samples += t.samples;
    to.ms += t.ms;
  };
  const started = performance.now();
  for (let timed = 0; timed < MIN_TIMED || performance.now() - started < TRIAL_MS; timed++) {
    add(many, await trial(max));
    add(one, await trial(1));
  }
  const manyWins = many.samples / many.ms >= one.samples / one.ms;
  const [won, lost, wonTiming, lostTiming] = manyWins ? [max, 1, many, one] : [1, max, one, many];
  return { threads: won, note: `${threadsWord(lost)}: slower for this network (${perSec(lostTiming)} vs ${perSec(wonTiming)} samples/s on ${threadsWord(won)})` };
}
