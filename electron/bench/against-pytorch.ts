/**
 * NetCanvas against PyTorch: each template's network trained by the Trainer's own job on a
 * tfjs backend, and the same network exported to PyTorch and trained by PyTorch on the same
 * machine, in interleaved rounds at the template's batch size. The ratio is NetCanvas /
 * PyTorch: 1 is as fast.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { batchOrder, type BenchData } from './batches.js';
import { benchJob, compiledNetworks, Trainee } from './jobs.js';
import { disposeNetworks, partsOf, type Networks } from './networks.js';
import { pytorchJob } from '../pytorch/job.js';
import { exportForPytorch, findTorchPython, PytorchTrainee, type TorchInfo, type TorchPython } from './pytorch.js';
import { DEFAULT_LIMITS, interleaved, planRounds, solo, warmUp, type PlanLimits } from './timing.js';
import type { BackendChoice, BackendName } from '../../shared/api/contract.js';
import type { Project } from '../../shared/project/schema.js';
import type { TrainingJob } from '../training/jobs/job.js';
import { resolveRunConfig } from '../training/run-config.js';
import { chooseFasterBackend, gradientProblem, selectBackend } from '../training/tf-backend.js';
import { round, templatesWithData } from './training-speed.js';
import type { GradientPool } from '../training/parallel/pool.js';
import { threadsForRun } from '../training/parallel/setup.js';

export interface PytorchRow {
  template: string;
  /** The backend NetCanvas trained on: a tfjs backend, or the PyTorch engine. */
  backend: BackendName;
  /** The threads that backend trains with. */
  threads: number;
  samplesPerSec: number | null;
  /** Null where PyTorch could not train it: `pytorch` says why. */
  pytorchSamplesPerSec: number | null;
  /** NetCanvas / PyTorch. */
  ratio: number | null;
  /** Why there is no PyTorch figure. */
  pytorch?: string;
  /** Only on a row that could not be measured: why. */
  error?: string;
}

export interface AgainstPytorchOptions {
  /** The tfjs backends to time NetCanvas on; `auto` is the Trainer's own choice for each template. */
  backends: readonly BackendChoice[];
  templates?: readonly string[];
  batches?: number;
  templatesDir?: string;
  limits?: PlanLimits;
  /** PyTorch's threads: the machine's cores unless given. */
  threads?: number;
  /** The Python to run PyTorch with; found as `findTorchPython` finds it unless given. */
  python?: TorchPython;
  log?: (line: string) => void;
}

export interface AgainstPytorchResult {
  rows: PytorchRow[];
  /** Templates that could not be timed at all, such as one whose data is the user's own folder. */
  skipped: { template: string; reason: string }[];
  /** The PyTorch reference, when there is one: its version, threads and BLAS. */
  torch: TorchInfo | null;
  /** Why there is no PyTorch reference. */
  noTorch: string | null;
}

/** The threads a backend trains with here, unless the run says: libtensorflow and the PyTorch engine use every core; one thread runs WebAssembly and plain JavaScript, unless their batches are shared over more (training/parallel/). */
export function backendThreads(name: BackendName): number {
  return name === 'tensorflow' || name === 'tensorflow-gpu' || name === 'pytorch' ? os.availableParallelism() : 1;
}

/** The backend `choice` comes to for this template, with a job on it, as the Trainer would choose and build them. */
interface BenchedJob {
  backend: BackendName;
  job: TrainingJob;
  /** The threads it trains with, where the backend line names them. */
  threads?: number;
  /** The workers it shares its batches with: closed once the job is done with. */
  pool?: GradientPool | null;
}

async function jobOn(choice: BackendChoice, project: Project, data: BenchData, threads?: number): Promise<BenchedJob> {
  const config = resolveRunConfig(project, {});
  if (choice === 'pytorch') {
    // The PyTorch engine as a run uses it: a tfjs copy of the network beside it, PyTorch stepping through the same batches,
    // on the reference's device and threads, so the ratio is the engine's own cost.
    await selectBackend('wasm');
    const inner = benchJob(project, config, compiledNetworks(project, config, data), data);
    try {
      return { backend: 'pytorch', job: (await pytorchJob(inner, { project, config, runId: 'bench', device: 'cpu', ...(threads !== undefined ? { threads } : {}) })).job };
    } catch (err) {
      inner.dispose();
      throw err;
    }
  }
  let selection = await selectBackend(choice);
  let networks: Networks = compiledNetworks(project, config, data);
  const problem = selection.name === 'wasm' ? (partsOf(networks).map(([, m]) => gradientProblem(m)).find((p) => p !== null) ?? null) : null;
  if (problem) {
    disposeNetworks(networks);
    if (choice !== 'auto') throw new Error(`the ${selection.name} backend cannot train this network (${problem})`);
    selection = await selectBackend('cpu');
    networks = compiledNetworks(project, config, data);
  }
  let job = benchJob(project, config, networks, data);
  if (choice === 'auto') {
    // The Trainer's measured choice between wasm and cpu; tfjs moves the job's weights to the winner.
    const indices = Array.from({ length: Math.min(config.batchSize, job.trainCount) }, (_, i) => i);
    selection = await chooseFasterBackend(selection, async () => {
      await job.trainBatch(indices);
      return indices.length;
    });
  }
  if (selection.name !== 'wasm' && selection.name !== 'cpu') return { backend: selection.name, job };
  // The threads a run would train with: the Trainer's own timed choice.
  const trial = async (pool: GradientPool) => benchJob(project, config, compiledNetworks(project, config, data), data, pool);
  const chosen = await threadsForRun(project.graph, config, selection.name, trial);
  if (chosen.pool) {
    job.dispose();
    job = benchJob(project, config, compiledNetworks(project, config, data), data, chosen.pool);
  }
  return { backend: selection.name, job, threads: chosen.threads, pool: chosen.pool };
}

async function timeTemplate(
  id: string,
  project: Project,
  data: BenchData,
  torch: { trainee: PytorchTrainee; info: TorchInfo } | { reason: string },
  options: AgainstPytorchOptions,
  log: (line: string) => void,
): Promise<PytorchRow[]> {
  const rows: PytorchRow[] = [];
  const config = resolveRunConfig(project, {});
  for (const choice of options.backends) {
    let job: TrainingJob | null = null;
    let pool: GradientPool | null | undefined = null;
    let threads: number | undefined;
    let backend: BackendName = choice === 'auto' ? 'wasm' : choice === 'tensorflow' ? 'tensorflow' : choice;
    const row = (fields: Partial<PytorchRow>): PytorchRow => ({
      template: id,
      backend,
      threads: threads ?? (backend === 'pytorch' && options.threads !== undefined ? options.threads : backendThreads(backend)),
      samplesPerSec: null,
      pytorchSamplesPerSec: null,
      ratio: null,
      ...('reason' in torch ? { pytorch: torch.reason } : {}),
      ...fields,
    });
    try {
      ({ backend, job, threads, pool } = await jobOn(choice, project, data, options.threads));
      const order = batchOrder(job.trainCount, config.batchSize, config.seed);
      const ours = new Trainee(job, order);
      const limits = options.limits ?? DEFAULT_LIMITS;
      if ('reason' in torch) {
        const batchMs = await warmUp(ours, ours, limits.warmupMs);
        const plan = planRounds(batchMs, options.batches, limits);
        log(`${id}: ${backend}, batch size ${order.batchSize}, ${plan.rounds} rounds of ${plan.batchesPerRound} batches (no PyTorch: ${torch.reason})`);
        rows.push(row({ samplesPerSec: round(await solo(ours, plan, order.batchSize), 1) }));
        continue;
      }
      if (torch.info.batchSize !== order.batchSize) throw new Error(`PyTorch trains batches of ${torch.info.batchSize}, NetCanvas of ${order.batchSize}`);
      const batchMs = await warmUp(ours, torch.trainee, limits.warmupMs);
      const plan = planRounds(batchMs, options.batches, limits);
      log(`${id}: ${backend} against PyTorch (${torch.info.threads} threads), batch size ${order.batchSize}, ${plan.rounds} rounds of ${plan.batchesPerRound} batches each`);
      const result = await interleaved(ours, torch.trainee, plan, order.batchSize, (r) =>
        log(`  round ${r.round}/${r.rounds}: NetCanvas ${r.aPerSec.toFixed(1)}, PyTorch ${r.bPerSec.toFixed(1)} samples/s`),
      );
      rows.push(row({ samplesPerSec: round(result.aPerSec, 1), pytorchSamplesPerSec: round(result.bPerSec, 1), ratio: round(result.ratio, 3) }));
    } catch (err) {
      rows.push(row({ error: (err as Error).message.split('\n')[0]! }));
    } finally {
      job?.dispose();
      await pool?.close();
    }
  }
  return rows;
}

/** Why PyTorch cannot train this template, or null when its export has a train.py for it. */
export function pytorchGap(project: Project): string | null {
  return resolveRunConfig(project, {}).task === 'gan' ? "the PyTorch export's train.py does not train a GAN's two networks" : null;
}

export async function benchAgainstPytorch(options: AgainstPytorchOptions): Promise<AgainstPytorchResult> {
  const log = options.log ?? (() => {});
  const python = options.python ?? findTorchPython();
  const result: AgainstPytorchResult = { rows: [], skipped: [], torch: null, noTorch: python.reason };
  for await (const { id, project, data } of templatesWithData(options.templatesDir, options.templates, log, result.skipped)) {
    const gap = python.reason ?? pytorchGap(project);
    if (gap !== null || python.python === null) {
      result.rows.push(...(await timeTemplate(id, project, data, { reason: gap ?? 'no PyTorch' }, options, log)));
      continue;
    }
    const folder = await mkdtemp(path.join(os.tmpdir(), `netcanvas-bench-${id}-`));
    let torch: { trainee: PytorchTrainee; info: TorchInfo } | null = null;
    try {
      await exportForPytorch(project, folder);
      torch = await PytorchTrainee.start(python.python, folder, resolveRunConfig(project, {}).batchSize, options.threads);
      result.torch ??= torch.info;
      result.rows.push(...(await timeTemplate(id, project, data, torch, options, log)));
    } catch (err) {
      const message = (err as Error).message.split('\n')[0]!;
      result.rows.push(...(await timeTemplate(id, project, data, { reason: `PyTorch could not train it: ${message}` }, options, log)));
    } finally {
      torch?.trainee.close();
      await rm(folder, { recursive: true, force: true });
    }
  }
  return result;
}
