import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as store from '../../../../renderer/stores/graphStore.js';
import { copyLayers } from '../../../../shared/graph/clipboard.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import { LAYER_SPECS } from '../../../../shared/layers/registry.js';
import { mnistMlp, project } from '../../../fixtures/graphs.js';

const { useGraphStore } = store;
const doc = () => {
  const { docId, graph, meta } = useGraphStore.getState();
  return structuredClone({ docId, graph, meta });
};
const steps = () => useGraphStore.temporal.getState().pastStates.length;
const nodes = () => useGraphStore.getState().graph.nodes;
const pick = <T>(items: readonly T[], n: number): T | undefined => (items.length ? items[n % items.length] : undefined);
const TYPES = LAYER_SPECS.map((s) => s.type);

/** One user edit, described by numbers that pick among whatever exists when it is applied. */
type Edit =
  | { kind: 'add'; type: number; x: number; y: number }
  | { kind: 'add-after'; type: number; after: number }
  | { kind: 'delete'; node: number }
  | { kind: 'drag'; node: number; moves: { dx: number; dy: number }[] }
  | { kind: 'connect'; source: number; target: number }
  | { kind: 'disconnect'; edge: number }
  | { kind: 'type-number'; node: number; keys: string }
  | { kind: 'fix'; which: number }
  | { kind: 'paste'; node: number; count: number }
  | { kind: 'duplicate'; node: number }
  | { kind: 'layout' }
  | { kind: 'load' }
  | { kind: 'rename'; name: string }
  | { kind: 'training'; batch: number };

const nat = fc.nat({ max: 1000 });
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), type: nat, x: fc.integer({ min: -500, max: 1500 }), y: fc.integer({ min: -500, max: 1500 }) }),
  fc.record({ kind: fc.constant('add-after' as const), type: nat, after: nat }),
  fc.record({ kind: fc.constant('delete' as const), node: nat }),
  fc.record({ kind: fc.constant('drag' as const), node: nat, moves: fc.array(fc.record({ dx: fc.integer({ min: -40, max: 40 }), dy: fc.integer({ min: -40, max: 40 }) }), { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('connect' as const), source: nat, target: nat }),
  fc.record({ kind: fc.constant('disconnect' as const), edge: nat }),
  fc.record({ kind: fc.constant('type-number' as const), node: nat, keys: fc.stringMatching(/^[1-9][0-9]{0,3}$/) }),
  fc.record({ kind: fc.constant('fix' as const), which: nat }),
  fc.record({ kind: fc.constant('paste' as const), node: nat, count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), node: nat }),
  fc.constant({ kind: 'layout' as const }),
  fc.constant({ kind: 'load' as const }),
  fc.record({ kind: fc.constant('rename' as const), name: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,11}$/) }),
  fc.record({ kind: fc.constant('training' as const), batch: fc.integer({ min: 1, max: 512 }) }),
);

/** Carries out an edit as the UI would. */
function apply(edit: Edit): void {
  const graph = useGraphStore.getState().graph;
  switch (edit.kind) {
    case 'add':
      store.addLayer(pick(TYPES, edit.type)!, { x: edit.x, y: edit.y });
      return;
    case 'add-after': {
      const after = pick(nodes(), edit.after);
      if (after) store.addLayerAfter(pick(TYPES, edit.type)!, after.id);
      return;
    }
    case 'delete': {
      const node = pick(nodes(), edit.node);
      if (node) store.removeElements([node.id]);
      return;
    }
    case 'drag': {
      const node = pick(nodes(), edit.node);
      if (!node) return;
      let { x, y } = node.position;
      for (const move of edit.moves) {
        x += move.dx;
        y += move.dy;
        store.dragMove({ [node.id]: { x, y } });
      }
      store.dragEnd({ [node.id]: { x, y } });
      return;
    }
    case 'connect': {
      const source = pick(nodes(), edit.source);
      const target = pick(nodes(), edit.target + 1);
      if (source && target) store.connect({ source: source.id, target: target.id });
      return;
    }
    case 'disconnect': {
      const edge = pick(graph.edges, edit.edge);
      if (edge) store.removeElements([], [edge.id]);
      return;
    }
    case 'type-number': {
      // Each key a separate change, as an input field sends them; one step in all.
      const node = pick(nodes(), edit.node);
      if (!node) return;
      store.sealHistory();
      for (let i = 1; i <= edit.keys.length; i++) store.setParam(node.id, 'units', Number(edit.keys.slice(0, i)));
      store.sealHistory();
      return;
    }
    case 'fix': {
      const fixable = inferGraph(graph).diagnostics.filter((d) => d.fix && d.nodeId);
      const problem = pick(fixable, edit.which);
      if (problem) store.applyFix(problem.nodeId!, problem.fix!);
      return;
    }
    case 'paste': {
      const chosen = nodes().slice(edit.node % Math.max(1, nodes().length)).slice(0, edit.count);
      const clip = copyLayers(graph, chosen.map((n) => n.id));
      if (clip) store.paste(clip);
      return;
    }
    case 'duplicate': {
      const node = pick(nodes(), edit.node);
      if (node) store.duplicate([node.id]);
      return;
    }
    case 'layout':
      store.layoutGraph();
      return;
    case 'load':
      store.loadDocument({ ...project(mnistMlp()), name: 'Loaded' });
      return;
    case 'rename':
      store.sealHistory();
      store.renameProject(edit.name);
      store.sealHistory();
      return;
    case 'training':
      store.setTraining({ batchSize: edit.batch });
      return;
  }
}

beforeEach(() => {
  store.loadDocument(project(mnistMlp()), 'start');
  store.resetHistory();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the graph history', () => {
  it('undoes any 50 edits back to the identical starting graph and redoes them to the identical final one', () => {
    fc.assert(
      fc.property(fc.array(editArb, { minLength: 50, maxLength: 50 }), (edits) => {
        store.loadDocument(project(mnistMlp()), 'start');
        store.resetHistory();
        const start = doc();
        for (const edit of edits) {
          const before = steps();
          apply(edit);
          // Every edit, however many changes it is made of, is at most one step.
          expect(steps() - before).toBeLessThanOrEqual(1);
        }
        const end = doc();
        const count = steps();
        expect(count).toBeGreaterThan(10);
        for (let i = 0; i < count; i++) store.undo();
        expect(doc()).toEqual(start);
        for (let i = 0; i < count; i++) store.redo();
        expect(doc()).toEqual(end);
      }),
      { numRuns: 40 },
    );
  });

  it('makes a whole drag one step, taken when it ends, and selection no step at all', () => {
    const id = nodes()[0]!.id;
    const from = nodes()[0]!.position;
    for (let i = 1; i <= 10; i++) store.dragMove({ [id]: { x: from.x + i * 5, y: from.y } });
    expect(steps()).toBe(0);
    expect(nodes()[0]!.position).toEqual(from);
    store.dragEnd({ [id]: { x: from.x + 50, y: from.y } });
    expect(steps()).toBe(1);
    expect(nodes()[0]!.position).toEqual({ x: from.x + 50, y: from.y });
    store.select([id]);
    store.selectAll();
    expect(steps()).toBe(1);
    store.undo();
    expect(nodes()[0]!.position).toEqual(from);
  });

  it('makes typing a number one step, and the next field a new one', () => {
    const units = () => nodes().find((n) => n.id === 'hidden')!.params.units;
    for (const value of [1, 12, 100]) store.setParam('hidden', 'units', value);
    expect(steps()).toBe(1);
    store.sealHistory();
    store.setParam('hidden', 'units', 256);
    expect(steps()).toBe(2);
    store.undo();
    expect(units()).toBe(100);
    store.undo();
    expect(units()).toBe(128);
  });

  it('starts a new step after a pause, so changes to one field minutes apart undo one by one', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    store.setParam('hidden', 'units', 100);
    vi.advanceTimersByTime(500);
    store.setParam('hidden', 'units', 110);
    expect(steps()).toBe(1);
    vi.advanceTimersByTime(5_000);
    store.setParam('hidden', 'units', 120);
    expect(steps()).toBe(2);
    store.undo();
    expect(nodes().find((n) => n.id === 'hidden')!.params.units).toBe(110);
  });

  it('forgets what the canvas measured of layers that are gone, so a new layer of the same id is not placed by the old size', () => {
    useGraphStore.setState({ measured: { hidden: { width: 400, height: 300 } } });
    store.removeElements(['hidden']);
    expect(useGraphStore.getState().measured).toEqual({});
  });

  it('undoes loading a project back to the one it replaced, id and all', () => {
    store.setParam('hidden', 'units', 32);
    const edited = doc();
    store.loadDocument({ ...project(mnistMlp()), name: 'Other' }, 'other');
    expect(useGraphStore.getState().docId).toBe('other');
    store.undo();
    expect(doc()).toEqual(edited);
    expect(useGraphStore.getState().docId).toBe('start');
  });

  it('keeps at least 200 steps', () => {
    for (let i = 1; i <= 250; i++) {
      store.sealHistory();
      store.setParam('hidden', 'units', i);
    }
    expect(steps()).toBe(250);
  });
});

describe('Freeze', () => {
  beforeEach(() => {
    store.loadDocument(project(mnistMlp()), 'start');
    store.resetHistory();
  });

  it('is one step of history: undo lets the layer train again, redo freezes it again', () => {
    const trainable = () => inferGraph(useGraphStore.getState().graph).trainableParams;
    const all = trainable();
    store.setFrozen(['hidden'], true);
    expect(nodes().find((n) => n.id === 'hidden')!.frozen).toBe(true);
    expect(trainable()).toBe(all - (784 * 128 + 128));
    expect(steps()).toBe(1);
    store.undo();
    expect(nodes().find((n) => n.id === 'hidden')!.frozen).toBeUndefined();
    expect(trainable()).toBe(all);
    store.redo();
    expect(nodes().find((n) => n.id === 'hidden')!.frozen).toBe(true);
  });
});
