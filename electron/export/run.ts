import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { modelToExport, type ModelToExport } from './model.js';
import { RUN_PROJECT_FILE } from '../backend/runs.js';
import type { CheckpointKind, SavedRun } from '../../shared/api/contract.js';
import { inferGraph } from '../../shared/graph/infer.js';
import type { Graph } from '../../shared/graph/types.js';
import { parseProjectText } from '../../shared/project/parse.js';
import type { Project } from '../../shared/project/schema.js';
import { splitGan } from '../../shared/training/gan.js';
import { compileGraph, compileGraphWithZeros } from '../compiler/compile.js';
import { readCapped } from '../files/read.js';
import { checkpointFile, loadCheckpoint } from '../training/checkpoint.js';
import { subgraph } from '../training/jobs/create.js';
import type { TrainedPart } from '../training/jobs/job.js';
import { resolveRunConfig, type ResolvedRunConfig } from '../training/run-config.js';
import { selectBackend } from '../training/tf-backend.js';

/**
 * A saved run as networks to export: the graph it trained (kept in its folder when it
 * started), compiled, with a checkpoint's weights put in.
 */

/** A project file is at most 32 MB (project-disk.ts); its copy in a run folder is the same. */
const MAX_PROJECT_BYTES = 32 * 1024 * 1024;

/** Why a run cannot be exported: `missing`, no such checkpoint; `network`, no network its weights fit. */
export class RunNotExportable extends Error {
  constructor(
    readonly kind: 'missing' | 'network',
    message: string,
  ) {
    super(message);
    this.name = 'RunNotExportable';
  }
}

/** One network of an export and the folder inside the export it goes to: '' for the top. */
export interface ExportPart {
  folder: string;
  model: ModelToExport;
}

export type RunRecord = Pick<SavedRun, 'dir' | 'runId' | 'settings' | 'checkpoints'>;

/** The project kept in a run's folder; null for a run saved before NetCanvas kept it. */
export async function runProject(runDir: string): Promise<Project | null> {
  const file = path.join(runDir, RUN_PROJECT_FILE);
  let text: string;
  try {
    text = (await readCapped(file, { limit: MAX_PROJECT_BYTES })).bytes.toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new RunNotExportable('network', `The network this run trained (${file}) cannot be read: ${(err as Error).message}`);
  }
  const parsed = parseProjectText(text, file);
  if (!parsed.ok) throw new RunNotExportable('network', `The network this run trained cannot be read: ${parsed.error.message}`);
  return parsed.project;
}

/** The checkpoint an export reads: the one asked for, else the best epoch's when the run kept one, else the last. */
export function chosenCheckpoint(run: RunRecord, asked?: CheckpointKind): CheckpointKind {
  const kind = asked ?? (run.checkpoints.best !== null ? 'best' : 'last');
  if (run.checkpoints[kind] === null) {
    const why = kind === 'best' && run.checkpoints.last !== null ? 'it kept no best epoch (GAN runs keep only their latest weights): export its last checkpoint' : 'it ended before finishing an epoch, so it has no trained weights to export';
    throw new RunNotExportable('missing', `Run ${run.runId} has no ${kind} checkpoint: ${why}.`);
  }
  return kind;
}

/** The run's settings as it trained, laid over the project's defaults for any it did not record. */
export function runSettings(project: Project, saved: Record<string, unknown>): ResolvedRunConfig {
  const resolved = resolveRunConfig(project, {});
  const known = Object.fromEntries(Object.entries(saved).filter(([key]) => Object.hasOwn(resolved, key)));
  return { ...resolved, ...known } as ResolvedRunConfig;
}

/** Export wants the weights alone: the optimizer's saved state is let go as it is read. */
const discardOptimizer = {
  setWeights: (list: { tensor: tf.Tensor }[]) => {
    tf.dispose(list.map((w) => w.tensor));
    return Promise.resolve();
  },
} as unknown as tf.Optimizer;

/** A run's networks by the names its checkpoint gives them (trainer jobs' part names), each with its graph. */
export function partsOf(project: Project, task: string): { name: string; folder: string; graph: Graph }[] {
  const { graph } = project;
  if (task !== 'gan') return [{ name: 'model', folder: '', graph }];
  const inference = inferGraph(graph);
  // The data's shape is the shape of the discriminator's Input: try each Input as it.
  const tries = inference.inputIds.map((id) => splitGan(graph, inference, inference.nodes[id]!.outputShape!.slice(1) as number[], project.training.gan));
  const split = tries.find((s) => s.ok);
  if (!split?.ok) throw new RunNotExportable('network', `The GAN's two networks cannot be told apart: ${tries.flatMap((s) => (s.ok ? [] : s.problems))[0] ?? 'it has no Input layer'}`);
  return [
    { name: 'generator', folder: '', graph: subgraph(graph, split.generator.nodes) },
    { name: 'discriminator', folder: 'discriminator', graph: subgraph(graph, split.discriminator.nodes) },
  ];
}

let backendReady: Promise<unknown> | null = null;

/** Reading and setting weights needs no speed: plain JavaScript, wherever the Backend runs. */
async function ready(): Promise<void> {
  // tfjs's advice on first use to install its Node backend is about training, which happens elsewhere.
  tf.env().set('PROD', true);
  backendReady ??= selectBackend('cpu');
  await backendReady;
}

/** The project's network as it is, untrained: the weights its layers start from, as tfjs draws them. */
export async function untrainedToExport(project: Project): Promise<ModelToExport> {
  await ready();
  let model: tf.LayersModel;
  try {
    model = compileGraph(project.graph);
  } catch (err) {
    throw new RunNotExportable('network', (err as Error).message);
  }
  try {
    return await modelToExport(project.graph, model, { name: project.name, project, settings: resolveRunConfig(project, {}), runId: null });
  } finally {
    model.dispose();
  }
}

/**
 * A run's networks compiled, with the checkpoint's weights in them (without its optimizer
 * state): a network that cannot be built, or that the weights do not fit, and a missing
 * checkpoint are a `RunNotExportable` naming it. The caller disposes the models.
 */
export async function withCheckpoint(parts: readonly { name: string; graph: Graph }[], runDir: string, kind: CheckpointKind, runId: string): Promise<TrainedPart[]> {
  const compiled: TrainedPart[] = [];
  try {
    for (const part of parts) {
      try {
        // Zeros, not tfjs's initializers: the checkpoint's weights replace them at once.
        compiled.push({ name: part.name, model: compileGraphWithZeros(part.graph), optimizer: discardOptimizer });
      } catch (err) {
        throw new RunNotExportable('network', `The network of run ${runId} cannot be built: ${(err as Error).message}`);
      }
    }
    try {
      await loadCheckpoint(checkpointFile(runDir, kind), compiled);
    } catch (err) {
      const message = (err as Error).message;
      throw new RunNotExportable(/does not exist/.test(message) ? 'missing' : 'network', message);
    }
    return compiled;
  } catch (err) {
    for (const part of compiled) part.model.dispose();
    throw err;
  }
}

/**
 * The networks of a saved run with a checkpoint's weights in them: one, or a GAN's generator
 * (at the top of the export) and discriminator (under `discriminator/`). The graph is the one
 * kept in the run's folder; a run saved before it was kept uses `current`, and the
 * checkpoint's own check names any weight the network no longer has.
 */
export async function runToExport(run: RunRecord, options: { checkpoint?: CheckpointKind; current?: Project } = {}): Promise<ExportPart[]> {
  const kind = chosenCheckpoint(run, options.checkpoint);
  const project = (await runProject(run.dir)) ?? options.current;
  if (!project) throw new RunNotExportable('network', `Run ${run.runId} was saved without the network it trained: open its project and export from there.`);
  const settings = runSettings(project, run.settings);
  const parts = partsOf(project, settings.task);
  await ready();
  const compiled = await withCheckpoint(parts, run.dir, kind, run.runId);
  try {
    const out: ExportPart[] = [];
    for (const [i, part] of parts.entries()) {
      const name = parts.length === 1 ? project.name : `${project.name} ${part.name}`;
      const model = await modelToExport(part.graph, compiled[i]!.model, { name, project: { ...project, graph: part.graph }, settings, runId: run.runId });
      out.push({ folder: part.folder, model });
    }
    return out;
  } finally {
    for (const part of compiled) part.model.dispose();
  }
}
