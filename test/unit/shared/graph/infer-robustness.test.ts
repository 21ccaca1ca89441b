import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Graph, GraphEdge, GraphNode, ParamValue } from '../../../../shared/graph/types.js';
import { defaultParams, LAYER_SPECS } from '../../../../shared/layers/registry.js';
import type { ParamSpec } from '../../../../shared/layers/types.js';
import { createRng, type Rng } from '../../../fixtures/layers/types.js';

/** Mostly sensible values, sometimes hostile ones: zero, negative, huge, wrong kind. */
function wildValue(rng: Rng, spec: ParamSpec): ParamValue {
  const hostile: ParamValue[] = [0, -1, -7, 1e9, 2.5, Number.NaN, '', 'nonsense', true, [], [0, 0], [-3, 5], null, { type: 'Nope', params: {} }];
  if (rng.int(0, 3) === 0) return rng.pick(hostile);
  switch (spec.kind) {
    case 'int':
      return rng.int(-2, 40);
    case 'float':
      return rng.float(-0.5, 1.5);
    case 'enum':
      return rng.pick(spec.options);
    case 'bool':
      return rng.bool();
    case 'shape':
    case 'ints':
      return Array.from({ length: rng.int(0, 4) }, () => rng.int(-1, 40));
    case 'layer':
      return { type: rng.pick(spec.options), params: {} };
  }
}

function randomGraph(rng: Rng): Graph {
  const count = rng.int(1, 12);
  const nodes: GraphNode[] = [];
  for (let i = 0; i < count; i++) {
    const spec = rng.pick(LAYER_SPECS);
    const params: Record<string, ParamValue> = defaultParams(spec);
    for (const p of spec.params) if (rng.int(0, 2) === 0) params[p.name] = wildValue(rng, p);
    nodes.push({ id: `n${i}`, type: spec.type, params, position: { x: 0, y: 0 } });
  }
  const edges: GraphEdge[] = [];
  for (let i = 0, n = rng.int(0, count * 2); i < n; i++) {
    edges.push({
      id: `e${i}`,
      source: rng.int(0, 20) === 0 ? 'ghost' : rng.pick(nodes).id,
      target: rng.pick(nodes).id,
      ...(rng.int(0, 4) === 0 ? { sourceHandle: String(rng.int(0, 3)) } : {}),
      ...(rng.int(0, 4) === 0 ? { targetHandle: rng.pick(['query', 'value', 'key', 'bogus']) } : {}),
    });
  }
  return { nodes, edges };
}

describe('inferGraph on hostile graphs', () => {
  it('never throws, and every problem is a sentence on a node that exists (or on the whole graph)', () => {
    const rng = createRng(7);
    for (let i = 0; i < 3000; i++) {
      const graph = randomGraph(rng);
      let inference;
      try {
        inference = inferGraph(graph);
      } catch (err) {
        throw new Error(`inferGraph threw ${String(err)} on ${JSON.stringify(graph)}`);
      }
      const ids = new Set(graph.nodes.map((n) => n.id));
      for (const d of inference.diagnostics) {
        expect(d.message.length, JSON.stringify(d)).toBeGreaterThan(10);
        expect(d.message, JSON.stringify(d)).not.toMatch(/undefined|NaN|\[object Object\]/);
        if (d.nodeId !== undefined) expect(ids.has(d.nodeId), JSON.stringify(d)).toBe(true);
      }
      for (const [id, info] of Object.entries(inference.nodes)) {
        for (const shape of info.outputShapes ?? []) {
          for (const dim of shape.slice(1)) expect(dim === null || (Number.isInteger(dim) && dim > 0), `${id}: ${JSON.stringify(shape)}`).toBe(true);
        }
        expect(Number.isInteger(info.trainableParams) && info.trainableParams >= 0, id).toBe(true);
      }
    }
  });
});
