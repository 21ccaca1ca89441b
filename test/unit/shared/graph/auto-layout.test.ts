import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { autoLayout } from '../../../../shared/graph/auto-layout.js';
import { blockNodeId, blocksOf, drawnGraph, hiddenIn, layersIn } from '../../../../shared/graph/blocks.js';
import type { Box, Size } from '../../../../shared/graph/placement.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { branchingNetwork, drawnSizes, shapeLabels } from '../../../fixtures/large-graphs.js';
import { chain, node } from '../../../fixtures/graphs.js';

/** 220×90 for most layers; every fifth one bigger, so ranks hold layers of different sizes. */
function mixedSizes(graph: Graph): (id: string) => Size {
  const big = new Set(graph.nodes.filter((_, i) => i % 5 === 3).map((n) => n.id));
  return (id) => (id.startsWith('block:') ? { width: 260, height: 100 } : big.has(id) ? { width: 320, height: 150 } : { width: 220, height: 90 });
}

const boxes = (graph: Graph, sizeOf: (id: string) => Size): Map<string, Box> =>
  new Map(graph.nodes.map((n) => [n.id, { ...n.position, ...sizeOf(n.id) }]));

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (p: { x: number; y: number }, b: Box) => p.x > b.x && p.x < b.x + b.width && p.y > b.y && p.y < b.y + b.height;

function overlapping(drawn: ReadonlyMap<string, Box>): string[] {
  const list = [...drawn];
  const found: string[] = [];
  for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) if (overlap(list[i]![1], list[j]![1])) found.push(`${list[i]![0]} and ${list[j]![0]}`);
  return found;
}

function bounds(list: readonly Box[]): Box {
  const x = Math.min(...list.map((b) => b.x));
  const y = Math.min(...list.map((b) => b.y));
  return { x, y, width: Math.max(...list.map((b) => b.x + b.width)) - x, height: Math.max(...list.map((b) => b.y + b.height)) - y };
}

/** Where the canvas draws an edge's label when data flows right: halfway from the source's right side to the target's left side. */
function labelCentres(graph: Graph, drawn: ReadonlyMap<string, Box>): { id: string; x: number; y: number }[] {
  return graph.edges.map((e) => {
    const s = drawn.get(e.source)!;
    const t = drawn.get(e.target)!;
    return { id: e.id, x: (s.x + s.width + t.x) / 2, y: (s.y + s.height / 2 + t.y + t.height / 2) / 2 };
  });
}

/**
 * Connections joining one rank to the next as laid out: no layer lies wholly between the
 * source's right side and the target's left side, so the label is drawn in the gap between.
 */
function neighbourEdges(graph: Graph, drawn: ReadonlyMap<string, Box>): Graph {
  const between = (from: number, to: number) => [...drawn.values()].some((b) => b.x >= from && b.x + b.width <= to);
  return { ...graph, edges: graph.edges.filter((e) => !between(drawn.get(e.source)!.x + drawn.get(e.source)!.width, drawn.get(e.target)!.x)) };
}

function template(name: string): Graph {
  return (JSON.parse(readFileSync(new URL(`../../../../templates/${name}.netcanvas.json`, import.meta.url), 'utf8')) as { graph: Graph }).graph;
}

describe('autoLayout', () => {
  it('places every layer with no two boxes overlapping, whatever their sizes', async () => {
    const graph = branchingNetwork(60);
    const sizeOf = mixedSizes(graph);
    const laid = await autoLayout(graph, { sizeOf });
    expect(laid.edges).toBe(graph.edges);
    expect(laid.nodes.map((n) => n.id)).toEqual(graph.nodes.map((n) => n.id));
    for (const n of laid.nodes) expect(Number.isFinite(n.position.x) && Number.isFinite(n.position.y), n.id).toBe(true);
    expect(new Set(laid.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(laid.nodes.length);
    expect(overlapping(boxes(laid, sizeOf))).toEqual([]);
    // The input comes first along the flow, the classifier last.
    const xs = laid.nodes.map((n) => n.position.x);
    expect(laid.nodes[0]!.position.x).toBe(Math.min(...xs));
    expect(laid.nodes.at(-1)!.position.x).toBe(Math.max(...xs));
  });

  it('leaves each shape label between two ranks clear of every layer', async () => {
    const graph = branchingNetwork(60);
    const sizeOf = mixedSizes(graph);
    const laid = await autoLayout(graph, { sizeOf, edgeLabelOf: shapeLabels(graph) });
    const drawn = boxes(laid, sizeOf);
    expect(overlapping(drawn)).toEqual([]);
    const neighbours = neighbourEdges(laid, drawn);
    expect(neighbours.edges.length).toBeGreaterThan(laid.edges.length / 2);
    const covered = labelCentres(neighbours, drawn).flatMap((c) => [...drawn].filter(([, b]) => inside(c, b)).map(([id]) => `${c.id} on ${id}`));
    expect(covered).toEqual([]);
    // Between two ranks the whole label fits in the gap: the gap grows with the widest label.
    const labelOf = shapeLabels(graph);
    const labelBoxes = labelCentres(neighbours, drawn).map((c) => {
      const size = labelOf(graph.edges.find((e) => e.id === c.id)!)!;
      return { id: c.id, box: { x: c.x - size.width / 2, y: c.y - size.height / 2, ...size } };
    });
    const hit = labelBoxes.flatMap(({ id, box }) => [...drawn].filter(([, b]) => overlap(box, b)).map(([layer]) => `${id} on ${layer}`));
    expect(hit).toEqual([]);
  });

  it('lays out a template with its labels clear and its layers apart, its encoder collapsed or open', async () => {
    const collapsed = template('char-transformer-moby-dick');
    expect(collapsed.blocks?.some((b) => b.collapsed)).toBe(true);
    const folded = await autoLayout(collapsed, { sizeOf: drawnSizes(collapsed), edgeLabelOf: shapeLabels(collapsed) });
    // Drawn: the layers outside, and the block as one node at its layers' top-left corner.
    const seen = drawnGraph(folded);
    const drawnFolded = new Map([...boxes(folded, drawnSizes(folded))].filter(([id]) => seen.layers.includes(id)));
    for (const block of seen.collapsed) {
      const inside = folded.nodes.filter((n) => layersIn(folded, block).includes(n.id));
      drawnFolded.set(blockNodeId(block), { x: Math.min(...inside.map((n) => n.position.x)), y: Math.min(...inside.map((n) => n.position.y)), ...drawnSizes(folded)(blockNodeId(block)) });
    }
    expect(drawnFolded.size).toBe(4);
    expect(overlapping(drawnFolded)).toEqual([]);

    const graph: Graph = { ...collapsed, blocks: blocksOf(collapsed).map(({ collapsed: _, ...b }) => b) };
    expect(graph.nodes.length).toBeGreaterThan(5);
    const sizeOf = drawnSizes(graph);
    const edgeLabelOf = shapeLabels(graph);
    expect(graph.edges.some((e) => edgeLabelOf(e) !== null)).toBe(true);
    const laid = await autoLayout(graph, { sizeOf, edgeLabelOf });
    const drawn = boxes(laid, sizeOf);
    expect(overlapping(drawn)).toEqual([]);
    const covered = labelCentres(laid, drawn).flatMap((c) => [...drawn].filter(([, b]) => inside(c, b)).map(([id]) => `${c.id} on ${id}`));
    expect(covered).toEqual([]);
    // The same graph and sizes give the same positions.
    expect(await autoLayout(graph, { sizeOf, edgeLabelOf })).toEqual(laid);
  });

  it('keeps the top-left corner the layers had', async () => {
    const graph = branchingNetwork(30);
    graph.nodes[4]!.position = { x: 300, y: -120 };
    graph.nodes[9]!.position = { x: -50, y: 500 };
    const laid = await autoLayout(graph, { sizeOf: () => ({ width: 220, height: 90 }) });
    expect(Math.min(...laid.nodes.map((n) => n.position.x))).toBe(-50);
    expect(Math.min(...laid.nodes.map((n) => n.position.y))).toBe(-120);
  });

  it('puts each layer of a chain below the one before when data flows down', async () => {
    const graph = chain(node('in', 'Input', { shape: [8] }), node('a', 'Dense', { units: 8 }), node('b', 'Dense', { units: 8 }), node('c', 'Dense', { units: 2 }));
    const sizeOf = () => ({ width: 220, height: 90 });
    const down = await autoLayout(graph, { sizeOf, direction: 'DOWN' });
    for (let i = 1; i < down.nodes.length; i++) {
      const [above, below] = [down.nodes[i - 1]!.position, down.nodes[i]!.position];
      expect(below.y, down.nodes[i]!.id).toBeGreaterThanOrEqual(above.y + 90);
      expect(below.x).toBe(above.x);
    }
    const right = await autoLayout(graph, { sizeOf });
    for (let i = 1; i < right.nodes.length; i++) expect(right.nodes[i]!.position.x).toBeGreaterThanOrEqual(right.nodes[i - 1]!.position.x + 220);
  });

  it('keeps the members of each expanded block together, clear of every other layer', async () => {
    const graph = branchingNetwork(300, { blocks: true, stages: true });
    const sizeOf = drawnSizes(graph);
    const laid = await autoLayout(graph, { sizeOf, edgeLabelOf: shapeLabels(graph) });
    const drawn = boxes(laid, sizeOf);
    expect(overlapping(drawn)).toEqual([]);
    expect(blocksOf(graph).length).toBeGreaterThan(20);
    for (const block of blocksOf(graph)) {
      const members = new Set(layersIn(graph, block.id));
      const frame = bounds([...members].map((id) => drawn.get(id)!));
      const intruders = [...drawn].filter(([id, b]) => !members.has(id) && overlap(frame, b)).map(([id]) => id);
      expect(intruders, block.name).toEqual([]);
    }
  });

  it('places the members of a collapsed block where the block is drawn, and the block clear of other layers', async () => {
    const graph = branchingNetwork(80, { blocks: true, collapseEvery: 2 });
    const sizeOf = mixedSizes(graph);
    const laid = await autoLayout(graph, { sizeOf });
    const drawn = boxes(laid, sizeOf);
    const collapsed = blocksOf(graph).filter((b) => b.collapsed);
    expect(collapsed.length).toBeGreaterThan(2);
    // What the canvas shows: each layer not hidden, and each collapsed block at its members' top-left corner.
    const shown = new Map([...drawn].filter(([id]) => hiddenIn(graph, id) === undefined));
    for (const block of collapsed) {
      const members = layersIn(graph, block.id).map((id) => drawn.get(id)!);
      const inner = overlapping(new Map(layersIn(graph, block.id).map((id) => [id, drawn.get(id)!])));
      expect(inner, `inside ${block.name}`).toEqual([]);
      const corner = bounds(members);
      shown.set(blockNodeId(block.id), { x: corner.x, y: corner.y, ...sizeOf(blockNodeId(block.id)) });
    }
    expect(overlapping(shown)).toEqual([]);
    // Each collapsed block sits along the flow between the layer feeding it and the layer it feeds.
    for (const block of collapsed) {
      const members = new Set(layersIn(graph, block.id));
      const at = shown.get(blockNodeId(block.id))!;
      for (const e of graph.edges) {
        if (!members.has(e.source) && members.has(e.target) && shown.has(e.source)) expect(shown.get(e.source)!.x, block.name).toBeLessThan(at.x);
        if (members.has(e.source) && !members.has(e.target) && shown.has(e.target)) expect(shown.get(e.target)!.x, block.name).toBeGreaterThan(at.x);
      }
    }
  });

  it('returns an empty graph as it is', async () => {
    const graph: Graph = { nodes: [], edges: [] };
    expect(await autoLayout(graph, { sizeOf: () => ({ width: 220, height: 90 }) })).toBe(graph);
  });
});
