import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE, LAYER_SIZE, thumbnailOf, type Rect, type ThumbBox, type ThumbLine } from '../../../../renderer/start/thumbnail.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { projectSchema } from '../../../../shared/project/schema.js';

const SIZE = { width: 280, height: 104 };
const EPS = 1e-6;

const layer = (id: string, type: string, x: number, y: number) => ({ id, type, params: {}, position: { x, y } });
const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, target });

/** A chain of layers left to right, 300 apart, as the templates are laid out. */
function chain(types: string[]): Graph {
  const nodes = types.map((type, i) => layer(`n${i}`, type, i * 300, 0));
  return { nodes, edges: nodes.slice(1).map((n, i) => edge(nodes[i]!.id, n.id)) };
}

function inside(r: Rect, box: { width: number; height: number }): boolean {
  return r.x >= -EPS && r.y >= -EPS && r.x + r.width <= box.width + EPS && r.y + r.height <= box.height + EPS;
}

/** Whether a point lies on the outline of a rectangle. */
function onSide(p: { x: number; y: number }, r: Rect): boolean {
  const within = p.x >= r.x - EPS && p.x <= r.x + r.width + EPS && p.y >= r.y - EPS && p.y <= r.y + r.height + EPS;
  const onEdge = [p.x - r.x, r.x + r.width - p.x, p.y - r.y, r.y + r.height - p.y].some((d) => Math.abs(d) < 1e-6);
  return within && onEdge;
}

const centreOf = (r: Rect) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });

/** Whether a line lies on the straight line between its two boxes' centres. */
function alongCentres(line: ThumbLine, from: Rect, to: Rect): boolean {
  const a = centreOf(from);
  const b = centreOf(to);
  const cross = (p: { x: number; y: number }) => (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
  const scale = Math.hypot(b.x - a.x, b.y - a.y);
  return Math.abs(cross({ x: line.x1, y: line.y1 })) / scale < 1e-6 && Math.abs(cross({ x: line.x2, y: line.y2 })) / scale < 1e-6;
}

function checkLines(boxes: readonly ThumbBox[], lines: readonly ThumbLine[]): void {
  const byId = new Map(boxes.map((b) => [b.id, b]));
  for (const line of lines) {
    const from = byId.get(line.source)!;
    const to = byId.get(line.target)!;
    expect(from, `${line.id} starts at a drawn box`).toBeDefined();
    expect(to, `${line.id} ends at a drawn box`).toBeDefined();
    expect(onSide({ x: line.x1, y: line.y1 }, from), `${line.id} starts on the side of ${from.id}`).toBe(true);
    expect(onSide({ x: line.x2, y: line.y2 }, to), `${line.id} ends on the side of ${to.id}`).toBe(true);
    expect(alongCentres(line, from, to), `${line.id} points from centre to centre`).toBe(true);
  }
}

describe('a template’s thumbnail', () => {
  it('scales both directions alike, so every layer keeps the canvas’s aspect, and fills the box one way', () => {
    const wide = thumbnailOf(chain(['Input', 'Dense', 'Dense', 'Dense', 'Dense', 'Dense', 'Dense', 'Dense']), SIZE);
    for (const box of wide.boxes) expect(box.width / box.height).toBeCloseTo(LAYER_SIZE.width / LAYER_SIZE.height, 9);
    const left = Math.min(...wide.boxes.map((b) => b.x));
    const right = Math.max(...wide.boxes.map((b) => b.x + b.width));
    // Long and flat: it is the width that fills the box, less the padding, and it is centred.
    expect(right - left).toBeCloseTo(SIZE.width - 12, 6);
    expect(left).toBeCloseTo(6, 6);
    const top = Math.min(...wide.boxes.map((b) => b.y));
    const bottom = Math.max(...wide.boxes.map((b) => b.y + b.height));
    expect((top + bottom) / 2).toBeCloseTo(SIZE.height / 2, 6);
    // Gaps between layers scale with them: equal gaps on the canvas are equal in the picture.
    const gaps = wide.boxes.slice(1).map((b, i) => b.x - wide.boxes[i]!.x);
    for (const gap of gaps) expect(gap).toBeCloseTo(gaps[0]!, 9);
    expect(gaps[0]! / wide.boxes[0]!.width).toBeCloseTo(300 / LAYER_SIZE.width, 9);
  });

  it('does not blow a network of two layers up into two slabs', () => {
    const small = thumbnailOf(chain(['Input', 'Dense']), SIZE, { maxScale: 0.25 });
    expect(small.boxes[0]!.width).toBeCloseTo(LAYER_SIZE.width * 0.25, 9);
  });

  it('keeps every layer of every template inside the box, with its connections between box sides', () => {
    const dir = new URL('../../../../templates/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.netcanvas.json'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const { graph } = projectSchema.parse(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
      const picture = thumbnailOf(graph, SIZE);
      expect(picture.boxes.length, file).toBeGreaterThan(0);
      for (const box of [...picture.boxes, ...picture.frames]) expect(inside(box, SIZE), `${file}: ${box.id} is inside the box`).toBe(true);
      checkLines(picture.boxes, picture.lines);
    }
  });

  it('draws a connection from side to side whichever way it runs, and colours layers by their palette category', () => {
    const graph: Graph = {
      nodes: [layer('in', 'Input', 0, 0), layer('conv', 'Conv2D', 300, 300), layer('lstm', 'LSTM', 0, 600), layer('add', 'Add', 600, 0)],
      edges: [edge('in', 'conv'), edge('conv', 'lstm'), edge('lstm', 'add'), edge('in', 'add')],
    };
    const picture = thumbnailOf(graph, SIZE);
    expect(picture.lines).toHaveLength(4);
    checkLines(picture.boxes, picture.lines);
    expect(Object.fromEntries(picture.boxes.map((b) => [b.id, b.category]))).toEqual({ in: 'Input', conv: 'Convolution', lstm: 'Recurrent', add: 'Merge' });
  });

  it('draws a collapsed block as one box where the canvas does, at its layers’ corner, with the connections inside it left out', () => {
    const graph: Graph = {
      ...chain(['Input', 'Dense', 'Dropout', 'Dense', 'Dense']),
      blocks: [{ id: 'b', name: 'hidden', members: ['n1', 'n2', 'n3'], collapsed: true }],
    };
    const open = thumbnailOf({ ...graph, blocks: [{ ...graph.blocks![0]!, collapsed: false }] }, SIZE);
    const picture = thumbnailOf(graph, SIZE);
    expect(picture.boxes.map((b) => b.id).sort()).toEqual(['b', 'n0', 'n4']);
    const block = picture.boxes.find((b) => b.id === 'b')!;
    expect(block).toMatchObject({ kind: 'block', label: 'hidden', category: null });
    // At the top-left corner of its first layer, the size of a collapsed block, on the layers' scale.
    const first = picture.boxes.find((b) => b.id === 'n0')!;
    const scale = first.width / LAYER_SIZE.width;
    expect(block.x).toBeCloseTo(first.x + 300 * scale, 6);
    expect(block.y).toBeCloseTo(first.y, 6);
    expect(block.width).toBeCloseTo(BLOCK_SIZE.width * scale, 6);
    expect(block.height).toBeCloseTo(BLOCK_SIZE.height * scale, 6);
    expect(picture.lines.map((l) => `${l.source}>${l.target}`)).toEqual(['n0>b', 'b>n4']);
    checkLines(picture.boxes, picture.lines);
    // Expanded, the same block is a frame behind its own layers.
    expect(open.boxes).toHaveLength(5);
    expect(open.frames).toHaveLength(1);
    const frame = open.frames[0]!;
    for (const id of ['n1', 'n2', 'n3']) {
      const b = open.boxes.find((x) => x.id === id)!;
      expect(b.x >= frame.x && b.x + b.width <= frame.x + frame.width && b.y >= frame.y && b.y + b.height <= frame.y + frame.height).toBe(true);
    }
  });

  it('draws a collapsed block inside a collapsed block as the outer one only, and two connections into it once', () => {
    const graph: Graph = {
      nodes: [layer('in', 'Input', 0, 0), layer('a', 'Dense', 300, 0), layer('b', 'Dense', 600, 0), layer('c', 'Add', 900, 0), layer('out', 'Dense', 1200, 0)],
      edges: [edge('in', 'a'), edge('in', 'c'), edge('a', 'b'), edge('b', 'c'), edge('c', 'out')],
      blocks: [
        { id: 'inner', name: 'branch', members: ['a', 'b'], collapsed: true },
        { id: 'outer', name: 'residual', members: ['inner', 'c'], collapsed: true },
      ],
    };
    const picture = thumbnailOf(graph, SIZE);
    expect(picture.boxes.map((b) => b.id).sort()).toEqual(['in', 'out', 'outer']);
    expect(picture.frames).toEqual([]);
    expect(picture.lines.map((l) => `${l.source}>${l.target}`)).toEqual(['in>outer', 'outer>out']);
    checkLines(picture.boxes, picture.lines);
  });

  it('draws nothing for an empty network', () => {
    expect(thumbnailOf({ nodes: [], edges: [] }, SIZE)).toMatchObject({ boxes: [], frames: [], lines: [] });
  });
});
