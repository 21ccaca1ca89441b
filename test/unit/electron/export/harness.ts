import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { compileGraphWithZeros } from '../../../../electron/compiler/compile.js';
import { modelToExport, type ModelToExport } from '../../../../electron/export/model.js';
import { resolveRunConfig } from '../../../../electron/training/run-config.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { getLayerSpec } from '../../../../shared/layers/registry.js';
import { parseProjectText } from '../../../../shared/project/parse.js';
import type { Project } from '../../../../shared/project/schema.js';
import { project as projectOf } from '../../../fixtures/graphs.js';
import { createRng } from '../../../fixtures/layers/types.js';

/**
 * What the export tests share: a graph compiled with random weights (moving statistics too,
 * so normalization layers are not the identity), random inputs fit for it, tfjs's outputs,
 * the templates, and a Python with the packages a check needs.
 */

export const TEMPLATES_DIR = path.resolve(import.meta.dirname, '../../../../templates');

export function templates(): Project[] {
  return readdirSync(TEMPLATES_DIR)
    .filter((f) => f.endsWith('.netcanvas.json'))
    .sort()
    .map((f) => {
      const parsed = parseProjectText(readFileSync(path.join(TEMPLATES_DIR, f), 'utf8'), f);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return parsed.project;
    });
}

/** Every weight of a compiled model set to seeded random values; variances kept positive. */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const rng = createRng(seed);
  for (const variable of model.weights) {
    const size = variable.shape.reduce((a: number, b) => a * (b ?? 1), 1);
    const positive = /moving_variance|variance$/.test(variable.originalName);
    const values = Float32Array.from({ length: size }, () => (positive ? rng.float(0.5, 1.5) : rng.float(-0.5, 0.5)));
    variable.write(tf.tensor(values, variable.shape as number[]));
  }
}

export interface Compiled {
  model: tf.LayersModel;
  exported: ModelToExport;
}

/** A graph built by tfjs with random weights, and what an export target reads of it. */
export async function compiledWithRandomWeights(graph: Graph, seed = 1, project: Project = projectOf(graph)): Promise<Compiled> {
  // Zeros rather than tfjs's initializers, which randomizeWeights writes over at once.
  const model = compileGraphWithZeros(graph);
  randomizeWeights(model, seed);
  const exported = await modelToExport(graph, model, { name: project.name, project: { ...project, graph }, settings: resolveRunConfig(project, {}), runId: null });
  return { model, exported };
}

export interface SampleBatch {
  /** One array per Input of the graph, in the graph's input order (inference.inputIds). */
  values: Float32Array[];
  shapes: number[][];
}

/**
 * Random inputs for each Input of `graph`: token ids below the vocabulary where an Input
 * feeds an Embedding or a token-and-position embedding, normal values elsewhere.
 */
export function randomInputs(graph: Graph, batch: number, seed = 7): SampleBatch {
  const inference = inferGraph(graph);
  const rng = createRng(seed);
  const values: Float32Array[] = [];
  const shapes: number[][] = [];
  for (const id of inference.inputIds) {
    const shape = [batch, ...(inference.nodes[id]!.outputShape!.slice(1) as number[])];
    const readers = graph.edges.filter((e) => e.source === id).map((e) => graph.nodes.find((n) => n.id === e.target)!);
    const vocab = readers
      .map((n) => {
        const spec = getLayerSpec(n.type);
        const p = spec ? { ...Object.fromEntries(spec.params.map((s) => [s.name, s.default])), ...n.params } : n.params;
        return n.type === 'Embedding' ? (p.inputDim as number) : n.type === 'TokenAndPositionEmbedding' ? (p.vocabularySize as number) : undefined;
      })
      .find((v) => v !== undefined);
    const size = shape.reduce((a, b) => a * b, 1);
    values.push(Float32Array.from({ length: size }, () => (vocab === undefined ? gaussian(rng) : rng.int(0, vocab - 1))));
    shapes.push(shape);
  }
  return { values, shapes };
}

function gaussian(rng: ReturnType<typeof createRng>): number {
  const u = Math.max(rng.float(0, 1), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.float(0, 1));
}

/** tfjs's outputs for a batch (inference mode), one array per output. */
export function predict(model: tf.LayersModel, batch: SampleBatch): { values: Float32Array; shape: number[] }[] {
  return tf.tidy(() => {
    const inputs = batch.values.map((v, i) => tf.tensor(v, batch.shapes[i]));
    const out = model.predict(inputs.length === 1 ? inputs[0]! : inputs);
    const list = Array.isArray(out) ? out : [out];
    return list.map((t) => ({ values: t.dataSync() as Float32Array, shape: t.shape as number[] }));
  });
}

/** Largest absolute difference, or Infinity where lengths differ or a value is not finite. */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!Number.isFinite(d)) return Infinity;
    worst = Math.max(worst, d);
  }
  return worst;
}

export type PythonCheck = { python: string; skip: null } | { python: null; skip: string };

const found = new Map<string, PythonCheck>();

/**
 * A Python 3 with every module named: NETCANVAS_PYTHON, then Debian's /usr/bin/python3,
 * then python3 on the PATH. Where there is none, the reason to skip with.
 */
export function pythonWith(modules: readonly string[]): PythonCheck {
  const key = modules.join(',');
  const known = found.get(key);
  if (known) return known;
  const candidates = [process.env.NETCANVAS_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => Boolean(c));
  let result: PythonCheck = { python: null, skip: `no Python 3 with ${modules.join(', ')} (Debian: apt-get install ${modules.map((m) => debianPackage(m)).join(' ')})` };
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', modules.map((m) => `import ${m}`).join('; ') || 'pass'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.status === 0) {
      result = { python, skip: null };
      break;
    }
  }
  found.set(key, result);
  return result;
}

function debianPackage(module: string): string {
  return { torch: 'python3-torch', onnx: 'python3-onnx', h5py: 'python3-h5py', numpy: 'python3-numpy' }[module] ?? `python3-${module}`;
}

/** Runs a Python script; its stdout, or an error with its stderr. */
export function runPython(python: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): string {
  return execFileSync(python, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, encoding: 'utf8', timeout: options.timeoutMs ?? 120_000, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}
