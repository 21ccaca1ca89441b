import type * as tf from '@tensorflow/tfjs';
import type { Session } from './session.js';
import type { CheckpointKind } from '../../shared/api/contract.js';
import type { InsightInfo, InsightLayer } from '../../shared/api/insight.js';
import { networkOf } from '../../shared/graph/blocks.js';
import { inferGraph, type Inference } from '../../shared/graph/infer.js';
import type { Graph } from '../../shared/graph/types.js';
import { uniqueLayerNames } from '../../shared/keras/format.js';
import type { Project } from '../../shared/project/schema.js';
import { toSource } from '../../shared/data/source.js';
import type { DataRule } from '../data/access.js';
import type { DataDirs } from '../data/builtins.js';
import type { LoadedDataset } from '../data/dataset.js';
import { windowSplit } from '../data/text-files.js';
import { partsOf, RunNotExportable, runProject, runSettings, withCheckpoint } from '../export/run.js';
import { languageModelShape, loadProjectData, splits } from '../training/jobs/create.js';
import type { ResolvedRunConfig } from '../training/run-config.js';

/**
 * A saved run held open to be asked about: its network as it trained (the run folder's
 * project.json), the chosen checkpoint's weights, and its dataset read as training read it.
 */

export interface OpenOptions {
  runDir: string;
  runId: string;
  /** The settings the run recorded (run.json's `settings`). */
  savedSettings: Record<string, unknown>;
  checkpoint: CheckpointKind;
  dataDirs: DataDirs;
  dataRule: DataRule;
  /** The project as it is now: used only for a run saved before its network was kept. */
  current?: Project;
}

/** Opens a saved run; a missing checkpoint or a network its weights no longer fit is a `RunNotExportable` naming it. */
export async function openSession(options: OpenOptions): Promise<Session> {
  const project = (await runProject(options.runDir)) ?? options.current;
  if (!project) throw new RunNotExportable('network', `Run ${options.runId} was saved without the network it trained: open its project and try it from there.`);
  const settings = runSettings(project, options.savedSettings);
  const parts = partsOf(project, settings.task);
  const compiled = await withCheckpoint(parts, options.runDir, options.checkpoint, options.runId);
  try {
    const data = await loadProjectData(project, options.dataDirs, options.dataRule);
    const [main, second] = parts;
    return sessionOf({
      runId: options.runId,
      project,
      settings,
      model: compiled[0]!.model,
      graph: main!.graph,
      discriminator: second ? { graph: second.graph, model: compiled[1]!.model } : null,
      data,
      checkpoint: options.checkpoint,
    });
  } catch (err) {
    for (const part of compiled) part.model.dispose();
    throw err;
  }
}

export interface SessionParts {
  runId: string;
  project: Project;
  settings: ResolvedRunConfig;
  model: tf.LayersModel;
  /** The network `model` is: the project's graph, or a GAN's generator. Defaults to the project's graph. */
  graph?: Graph;
  discriminator?: { graph: Graph; model: tf.LayersModel } | null;
  data: LoadedDataset;
  checkpoint: CheckpointKind;
}

/**
 * A corpus's test windows at the length the network reads, as training cut them: the dataset
 * cuts them at its own window, which a network's Input may not share.
 */
function atModelLength(data: LoadedDataset, inference: Inference): LoadedDataset {
  const corpus = data.corpus;
  if (data.kind !== 'corpus' || !corpus) return data;
  const { length } = languageModelShape(inference, corpus.tokens.length);
  if (!length) return data;
  return { ...data, test: windowSplit(corpus.ids, corpus.testStart, corpus.ids.length, length, length) };
}

/** A session of a network already in memory with its weights: what `openSession` returns, and what tests build. */
export function sessionOf(parts: SessionParts): Session {
  // The network the model is: a project's blocks expanded, as the compiler named its layers.
  const graph = networkOf(parts.graph ?? parts.project.graph);
  const inference = inferGraph(graph);
  const { settings } = parts;
  const data = atModelLength(parts.data, inference);
  const split = splits(settings, data);
  const names = uniqueLayerNames(graph.nodes);
  const layerOfNode = new Map(names);
  const nodeOfLayer = new Map([...names].map(([id, name]) => [name, id]));
  const inputShape = (inference.nodes[inference.inputIds[0]!]?.outputShape?.slice(1) ?? []) as number[];
  const encoder = data.encoder;
  const table = encoder?.kind === 'table' ? encoder : null;
  const layers: InsightLayer[] = graph.nodes.flatMap((node) => {
    const shape = inference.nodes[node.id]?.outputShape;
    if (!shape || node.type === 'Input') return [];
    const layer: InsightLayer = { id: node.id, name: layerOfNode.get(node.id) ?? node.id, type: node.type, outputShape: [...shape], spatial: shape.length === 4 };
    if (node.type === 'MultiHeadAttention') layer.heads = Number(node.params.numHeads ?? 1);
    return [layer];
  });
  const source = toSource(parts.project.training.dataset);
  const input: InsightInfo['input'] = settings.task === 'gan' ? 'noise' : data.kind;
  const embedding = graph.nodes.find((n) => n.type === 'Embedding' || n.type === 'TokenAndPositionEmbedding');
  const info: InsightInfo = {
    runId: parts.runId,
    task: settings.task,
    input,
    inputShape,
    digits: source.kind === 'builtin' && source.id === 'mnist',
    classes: data.classes,
    fields: table?.fields ?? [],
    targetNames: data.target.kind === 'values' ? (table?.targetNames ?? []) : [],
    groupColumns: table?.groupColumns ?? [],
    testCount: data.test.count,
    validationCount: split.validation.count,
    layers,
    differentiable: input === 'images' || input === 'table' || input === 'sequence' || input === 'noise',
    embeddingLayer: embedding?.id ?? null,
    checkpoint: parts.checkpoint,
  };
  return {
    runId: parts.runId,
    project: parts.project,
    settings,
    graph,
    inference,
    model: parts.model,
    discriminator: parts.discriminator ?? null,
    data,
    splits: { test: data.test, validation: split.validation },
    rows: { test: Uint32Array.from({ length: data.test.count }, (_, i) => i), validation: split.validationRows },
    validationOf: split.validationOf,
    layerOfNode,
    nodeOfLayer,
    info,
  };
}

/** Lets go of a session's networks. */
export function closeSession(session: Session): void {
  session.model.dispose();
  session.discriminator?.model.dispose();
}
