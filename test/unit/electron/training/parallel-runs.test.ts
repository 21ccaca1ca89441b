import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunConfig, TrainingEvent } from '../../../../shared/api/contract.js';
import type { Project } from '../../../../shared/project/schema.js';
import { trainingBackend } from '../backend/events.js';
import { tfjsWeights } from '../export/saved-run.js';
import { template } from '../insight/trained.js';

/**
 * Runs on several threads through a real Backend and Trainer process: the backend line names
 * the threads, a run on two gives the weights a run on one gives from the same seed, and a
 * network whose batch cannot be split says why it keeps to one.
 */

const { backend, events, train: trainToEnd } = trainingBackend('netcanvas-threads-');

async function train(project: Project, config: RunConfig): Promise<{ runId: string; started: TrainingEvent; end: TrainingEvent }> {
  const { runId, end } = await trainToEnd(project, config);
  return { runId, started: events().find((e) => e.runId === runId && e.type === 'started')!, end };
}

async function finalWeights(project: Project, runId: string): Promise<Map<string, Float32Array>> {
  const run = (await backend().call('runs.list', { projectName: project.name })).find((r) => r.runId === runId)!;
  return tfjsWeights(path.join(run.dir, 'model.model.json'));
}

describe('runs on several threads', () => {
  const iris = template('mlp-iris');

  it('a run on two threads gives the weights a run on one gives, from the same seed, and its backend line says two', async () => {
    const config = { epochs: 3, seed: 9, backend: 'wasm' } as const;
    const one = await train(iris, { ...config, threads: 1 });
    const two = await train(iris, { ...config, threads: 2 });
    expect(one.end).toMatchObject({ type: 'done', reason: 'completed', backend: 'wasm' });
    expect(two.end).toMatchObject({ type: 'done', reason: 'completed', backend: 'wasm' });
    expect(one.started).toMatchObject({ type: 'started', backend: 'wasm', threads: 1 });
    // As many as were asked for, up to the machine's cores.
    expect(two.started).toMatchObject({ type: 'started', backend: 'wasm', threads: Math.min(2, os.availableParallelism()) });

    const a = await finalWeights(iris, one.runId);
    const b = await finalWeights(iris, two.runId);
    expect([...b.keys()]).toEqual([...a.keys()]);
    let largest = 0;
    for (const [name, values] of a) values.forEach((v, i) => (largest = Math.max(largest, Math.abs(v - b.get(name)![i]!))));
    expect(largest).toBeLessThanOrEqual(1e-5);
    // 24 steps of Adam moved them far from where they started: the agreement is not that of two untrained networks.
    const history = (e: TrainingEvent) => (e.type === 'done' ? e.history : []);
    expect(history(two.end).map((r) => r.loss)).toHaveLength(3);
    history(one.end).forEach((r, i) => expect(history(two.end)[i]!.loss).toBeCloseTo(r.loss, 5));
    expect(history(one.end)[2]!.loss).toBeLessThan(history(one.end)[0]!.loss);
  }, 120_000);

  it('keeps a network with BatchNormalization to one thread, and says why', async () => {
    const normed: Project = {
      ...iris,
      name: 'Iris with BatchNormalization',
      graph: {
        nodes: [...iris.graph.nodes, { id: 'norm', type: 'BatchNormalization', params: {}, position: { x: 0, y: 0 } }],
        edges: [
          { id: 'e1', source: 'input', target: 'hidden' },
          { id: 'e2', source: 'hidden', target: 'norm' },
          { id: 'e3', source: 'norm', target: 'output' },
        ],
      },
    };
    const run = await train(normed, { epochs: 1, backend: 'wasm', threads: 2 });
    expect(run.end).toMatchObject({ type: 'done', reason: 'completed' });
    expect(run.started).toMatchObject({ type: 'started', threads: 1 });
    if (run.started.type === 'started') expect(run.started.backendNotes).toContain('more threads: BatchNormalization ("norm") takes its statistics over the whole batch, which a batch split over threads would change');
  }, 120_000);
});
