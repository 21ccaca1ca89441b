/**
 * Blocks: layers grouped under a name. The document keeps a block once, with its members;
 * the network is its layers, with a repeated block copied in sequence (`expandBlocks`).
 * Everything that reads the network (shape inference, the compiler, the summary, every
 * export) reads the expansion; the canvas draws the blocks.
 */
import { inferGraph, type Inference } from './infer.js';
import type { Graph, GraphBlock, GraphEdge } from './types.js';

/** Room a drawn block leaves around its members: a title bar above them and a margin. */
export const BLOCK_PADDING = { top: 44, side: 20, bottom: 20 } as const;

/** The React Flow node id of a block drawn collapsed, or of its frame when expanded. */
export function blockNodeId(blockId: string): string {
  return `block:${blockId}`;
}

export function blocksOf(graph: Graph): readonly GraphBlock[] {
  return graph.blocks ?? [];
}

/** Which block each layer or block sits in directly. */
export function parentsOf(graph: Graph): Map<string, string> {
  const parent = new Map<string, string>();
  for (const block of blocksOf(graph)) for (const member of block.members) parent.set(member, block.id);
  return parent;
}

/** Every layer inside a block, its inner blocks' included, in the graph's order. */
export function layersIn(graph: Graph, blockId: string): string[] {
  const byId = new Map(blocksOf(graph).map((b) => [b.id, b]));
  const found = new Set<string>();
  const visit = (id: string, seen: Set<string>) => {
    const block = byId.get(id);
    if (!block || seen.has(id)) return;
    seen.add(id);
    for (const member of block.members) {
      if (byId.has(member)) visit(member, seen);
      else found.add(member);
    }
  };
  visit(blockId, new Set());
  return graph.nodes.filter((n) => found.has(n.id)).map((n) => n.id);
}

/** The blocks around a layer or block, innermost first. */
export function ancestorsOf(graph: Graph, id: string): string[] {
  const parent = parentsOf(graph);
  const chain: string[] = [];
  for (let at = parent.get(id); at !== undefined && !chain.includes(at); at = parent.get(at)) chain.push(at);
  return chain;
}

/**
 * The outermost collapsed block a layer is hidden in, if any: a layer inside a collapsed
 * block is drawn as that block.
 */
export function hiddenIn(graph: Graph, id: string): string | undefined {
  const collapsed = new Set(blocksOf(graph).filter((b) => b.collapsed).map((b) => b.id));
  let outer: string | undefined;
  for (const block of ancestorsOf(graph, id)) if (collapsed.has(block)) outer = block;
  return outer;
}

/** Where data enters a block and where it leaves: what a repeat chains copy to copy. */
export interface BlockPorts {
  /** The one layer output feeding the block from outside (source and its output handle). */
  entry: { source: string; sourceHandle?: string } | null;
  /** The one layer inside whose output leaves the block. */
  exit: { source: string; sourceHandle?: string } | null;
  /** Why the block cannot be repeated, in words; null when it can. */
  problem: string | null;
}

const handleKey = (source: string, handle: string | undefined) => `${source}\u0000${handle ?? '0'}`;

/**
 * A block repeats in sequence when one output from outside feeds it (into any number of its
 * layers, as a residual block's input feeds both its branch and its Add) and one of its
 * layers' outputs is what leaves it.
 */
export function blockPorts(graph: Graph, blockId: string): BlockPorts {
  const inside = new Set(layersIn(graph, blockId));
  const name = blocksOf(graph).find((b) => b.id === blockId)?.name ?? blockId;
  const entries = new Map<string, { source: string; sourceHandle?: string }>();
  const exits = new Map<string, { source: string; sourceHandle?: string }>();
  for (const edge of graph.edges) {
    const from = inside.has(edge.source);
    const to = inside.has(edge.target);
    const port = outputOf(edge);
    if (!from && to) entries.set(handleKey(edge.source, edge.sourceHandle), port);
    if (from && !to) exits.set(handleKey(edge.source, edge.sourceHandle), port);
  }
  const entry = entries.size === 1 ? [...entries.values()][0]! : null;
  const exit = exits.size === 1 ? [...exits.values()][0]! : null;
  let problem: string | null = null;
  if (entries.size === 0) problem = `Block "${name}" has no input from outside it, so its copies cannot follow one another: connect a layer before it.`;
  else if (entries.size > 1) problem = `Block "${name}" takes ${entries.size} different inputs from outside; a repeated block takes one, which feeds the next copy.`;
  else if (exits.size === 0) problem = `Block "${name}" has no output leading out of it, so its copies cannot follow one another: connect a layer after it.`;
  else if (exits.size > 1) problem = `${exits.size} different outputs leave block "${name}"; a repeated block has one, which feeds the next copy.`;
  return { entry, exit, problem };
}

export interface Expansion {
  /** The network: every layer, copies of repeated blocks included, named by their blocks; no blocks. */
  graph: Graph;
  /** Blocks that could not be repeated as asked, said in words, on the block's first layer. */
  problems: { blockId: string; nodeId?: string; message: string }[];
  /** Each copy's layer id → the layer it copies (copies of copies lead to the original). */
  copyOf: Map<string, string>;
}

/** A block's name as the first part of a layer name: Keras names allow letters, digits and _. */
export function nameStem(name: string): string {
  return name.trim().replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'block';
}

/**
 * The network a graph with blocks stands for. A block repeated N times becomes N copies in
 * sequence, each with its own weights: copy k+1 takes copy k's output where the block took
 * its input. The first copy keeps the layers' ids; copy k's layers get `<id>__k`, and a copy
 * inside nested repeated blocks gets one number per block, outermost first. Every layer
 * in a block is named with its blocks' names in front (`encoder_2_attention` for the second
 * copy of "encoder"), which is the name the compiler and the exports give it.
 */
export function expandBlocks(graph: Graph): Expansion {
  const blocks = blocksOf(graph);
  const copyOf = new Map<string, string>();
  if (blocks.length === 0) return { graph, problems: [], copyOf };
  const problems: Expansion['problems'] = [];
  const byId = new Map(blocks.map((b) => [b.id, b]));
  const depth = (id: string): number => ancestorsOf(graph, id).length;
  const repeated = (id: string) => (byId.get(id)?.repeat ?? 1) > 1;
  // A copy's id: the original's, then its copy number in each repeated block around it.
  const copyId = (origin: string, at: readonly { block: string; copy: number }[]) => {
    const copies = at.filter((p) => repeated(p.block)).map((p) => p.copy);
    return copies.every((c) => c === 1) ? origin : [origin, ...copies].join('__');
  };
  const edgeOrigin = new Map<string, string>();

  let nodes = [...graph.nodes];
  let edges = [...graph.edges];
  // Each layer's place: the chain of (block, copy number) from the outermost block in.
  const place = new Map<string, { block: string; copy: number }[]>();
  for (const node of nodes) place.set(node.id, ancestorsOf(graph, node.id).reverse().map((block) => ({ block, copy: 1 })));
  const inBlock = (block: string) => (id: string) => place.get(id)?.some((p) => p.block === block) ?? false;

  // Innermost first, so an outer block's copies copy its inner blocks' copies too.
  const order = [...blocks].sort((a, b) => depth(b.id) - depth(a.id));
  for (const block of order) {
    const times = block.repeat ?? 1;
    if (times <= 1) continue;
    const current: Graph = { nodes, edges };
    const members = new Set(nodes.filter((n) => inBlock(block.id)(n.id)).map((n) => n.id));
    const ports = portsOfSet(current, members, block.name);
    if (ports.problem) {
      const first = nodes.find((n) => members.has(n.id));
      problems.push({ blockId: block.id, ...(first ? { nodeId: first.id } : {}), message: ports.problem });
      continue;
    }
    const exit = ports.exit!;
    const inner = edges.filter((e) => members.has(e.source) && members.has(e.target));
    const entering = edges.filter((e) => !members.has(e.source) && members.has(e.target));
    const leaving = edges.filter((e) => members.has(e.source) && !members.has(e.target));
    const kept = edges.filter((e) => !leaving.includes(e));
    const added: typeof edges = [];
    const copies: typeof nodes = [];
    let previous = (id: string) => id;
    for (let k = 2; k <= times; k++) {
      const ids = new Map<string, string>();
      const idOf = (id: string) => ids.get(id)!;
      for (const node of nodes) {
        if (!members.has(node.id)) continue;
        const at = place.get(node.id)!.map((p) => (p.block === block.id ? { block: p.block, copy: k } : p));
        const id = copyId(copyOf.get(node.id) ?? node.id, at);
        ids.set(node.id, id);
        copies.push({ ...node, id });
        copyOf.set(id, copyOf.get(node.id) ?? node.id);
        place.set(id, at);
      }
      const edgeId = (e: GraphEdge, target: string) => {
        const origin = edgeOrigin.get(e.id) ?? e.id;
        const id = copyId(origin, place.get(target)!);
        edgeOrigin.set(id, origin);
        return id;
      };
      for (const e of inner) added.push({ ...e, id: edgeId(e, idOf(e.target)), source: idOf(e.source), target: idOf(e.target) });
      const feeder = previous(exit.source);
      for (const { sourceHandle: _theirs, ...e } of entering) {
        added.push({ ...e, id: edgeId(e, idOf(e.target)), source: feeder, target: idOf(e.target), ...(exit.sourceHandle ? { sourceHandle: exit.sourceHandle } : {}) });
      }
      previous = idOf;
    }
    const lastExit = previous(exit.source);
    const rewired = leaving.map((e) => ({ ...e, source: lastExit }));
    nodes = [...nodes, ...copies];
    edges = [...kept, ...added, ...rewired];
  }

  nodes = nodes.map((node) => {
    const chain = place.get(node.id) ?? [];
    if (chain.length === 0) return node;
    const prefix = chain.map((p) => nameStem(byId.get(p.block)!.name) + (repeated(p.block) ? `_${p.copy}` : '')).join('_');
    return { ...node, name: `${prefix}_${node.name ?? (copyOf.get(node.id) ?? node.id)}` };
  });
  return { graph: { nodes, edges }, problems, copyOf };
}

function portsOfSet(graph: Graph, inside: ReadonlySet<string>, name: string): BlockPorts {
  const probe: Graph = { ...graph, blocks: [{ id: '\u0000probe', name, members: [...inside] }] };
  return blockPorts(probe, '\u0000probe');
}

/** The network a graph stands for, as the compiler, the summary and the exports read it. */
export function networkOf(graph: Graph): Graph {
  return graph.blocks && graph.blocks.length > 0 ? expandBlocks(graph).graph : graph;
}

/**
 * The network a graph stands for, with its shape inference: blocks expanded, and a block that
 * cannot repeat as asked reported on its first layer. A layer's first copy keeps its id, so
 * the canvas finds each layer's shapes under the id it draws. One expansion for readers that
 * need both (the compiler, the summary, the exports, the checks before a run).
 */
export function analyseNetwork(graph: Graph): { network: Graph; inference: Inference } {
  if (!graph.blocks || graph.blocks.length === 0) return { network: graph, inference: inferGraph(graph) };
  const expansion = expandBlocks(graph);
  const inference = inferGraph(expansion.graph);
  for (const problem of expansion.problems) {
    inference.diagnostics.push({ code: 'BLOCK_REPEAT', ...(problem.nodeId ? { nodeId: problem.nodeId } : {}), message: problem.message });
  }
  return { network: expansion.graph, inference };
}

/** Shape inference of the network a graph stands for (`analyseNetwork`). */
export function inferNetwork(graph: Graph): Inference {
  return analyseNetwork(graph).inference;
}

/**
 * The blocks after layers or blocks are removed: members that are gone are dropped, and a
 * block left with nothing in it goes too.
 */
export function pruneBlocks(graph: Graph): Graph {
  if (!graph.blocks) return graph;
  let blocks = graph.blocks;
  for (;;) {
    const present = new Set([...graph.nodes.map((n) => n.id), ...blocks.map((b) => b.id)]);
    const next = blocks
      .map((b) => (b.members.every((m) => present.has(m)) ? b : { ...b, members: b.members.filter((m) => present.has(m)) }))
      .filter((b) => b.members.length > 0);
    const same = next.length === blocks.length && next.every((b, i) => b === blocks[i]);
    blocks = next;
    if (same) break;
  }
  if (blocks === graph.blocks) return graph;
  const { blocks: _old, ...rest } = graph;
  return blocks.length > 0 ? { ...rest, blocks } : rest;
}

/** A layer added beside another joins the block that one sits in directly, if any. */
export function joinBlockOf(graph: Graph, anchorId: string, newId: string): Graph {
  const block = parentsOf(graph).get(anchorId);
  if (block === undefined) return graph;
  return { ...graph, blocks: blocksOf(graph).map((b) => (b.id === block ? { ...b, members: [...b.members, newId] } : b)) };
}

/**
 * Groups layers (and blocks) into a new block. What is grouped must sit in one place: all at
 * the top, or all directly in one block, which the new block then sits in. Where they cannot
 * be grouped, the reason in words.
 */
export function groupIntoBlock(graph: Graph, ids: readonly string[], name?: string): { graph: Graph; id: string } | { problem: string } {
  const parent = parentsOf(graph);
  const known = new Set([...graph.nodes.map((n) => n.id), ...blocksOf(graph).map((b) => b.id)]);
  // A layer inside a selected block is grouped with it.
  const chosen = ids.filter((id) => known.has(id));
  const top = chosen.filter((id) => !ancestorsOf(graph, id).some((a) => chosen.includes(a)));
  if (top.length === 0) return { problem: 'Select the layers to group first.' };
  const places = new Set(top.map((id) => parent.get(id) ?? null));
  if (places.size > 1) return { problem: 'The layers to group sit in different blocks: select layers of one block, or whole blocks.' };
  const within = [...places][0] ?? null;
  const taken = new Set(blocksOf(graph).map((b) => b.id));
  let n = taken.size + 1;
  while (taken.has(`block_${n}`)) n++;
  const id = `block_${n}`;
  const block: GraphBlock = { id, name: name?.trim() || `Block ${n}`, members: top };
  const moved = new Set(top);
  const blocks = blocksOf(graph).map((b) => (b.id === within ? { ...b, members: [...b.members.filter((m) => !moved.has(m)), id] } : b));
  return { graph: { ...graph, blocks: [...blocks, block] }, id };
}

/** Takes a block apart: its members go where it was. */
export function ungroupBlock(graph: Graph, blockId: string): Graph {
  const block = blocksOf(graph).find((b) => b.id === blockId);
  if (!block) return graph;
  const blocks = blocksOf(graph)
    .filter((b) => b.id !== blockId)
    .map((b) => (b.members.includes(blockId) ? { ...b, members: b.members.flatMap((m) => (m === blockId ? block.members : [m])) } : b));
  const { blocks: _old, ...rest } = graph;
  return blocks.length > 0 ? { ...rest, blocks } : rest;
}

/** A block's name, its number of copies or whether it is drawn collapsed, changed. */
export function updateBlock(graph: Graph, blockId: string, change: Partial<Pick<GraphBlock, 'name' | 'repeat' | 'collapsed'>>): Graph {
  const block = blocksOf(graph).find((b) => b.id === blockId);
  if (!block) return graph;
  const next: GraphBlock = { ...block, ...change };
  if (next.repeat === 1) delete next.repeat;
  if (next.collapsed === false) delete next.collapsed;
  return { ...graph, blocks: blocksOf(graph).map((b) => (b.id === blockId ? next : b)) };
}

/** One output of a layer: the layer and its output handle. */
export interface OutputRef {
  source: string;
  sourceHandle?: string;
}

/** The layer output a connection carries. */
function outputOf(edge: GraphEdge): OutputRef {
  return { source: edge.source, ...(edge.sourceHandle ? { sourceHandle: edge.sourceHandle } : {}) };
}

/**
 * What a collapsed block shows at its sides: each output from outside that feeds it, and each
 * of its layers' outputs that leaves it, in the order the connections are listed (its handles
 * `in:<i>` and `out:<i>` in this order), and the outputs of its layers that feed nothing.
 */
export function collapsedPorts(graph: Graph, blockId: string): { inputs: OutputRef[]; outputs: OutputRef[]; ends: OutputRef[] } {
  const inside = new Set(layersIn(graph, blockId));
  // The network's outputs inside it, which feed nothing (a GAN's generated image).
  const feeding = new Set(graph.edges.map((e) => e.source));
  const ends = [...inside].filter((id) => !feeding.has(id)).map((source) => ({ source }));
  const inputs = new Map<string, OutputRef>();
  const outputs = new Map<string, OutputRef>();
  for (const edge of graph.edges) {
    const from = inside.has(edge.source);
    const to = inside.has(edge.target);
    const ref = outputOf(edge);
    if (!from && to && !inputs.has(handleKey(edge.source, edge.sourceHandle))) inputs.set(handleKey(edge.source, edge.sourceHandle), ref);
    if (from && !to && !outputs.has(handleKey(edge.source, edge.sourceHandle))) outputs.set(handleKey(edge.source, edge.sourceHandle), ref);
  }
  return { inputs: [...inputs.values()], outputs: [...outputs.values()], ends };
}

/** A connection as the canvas draws it, between layers or the collapsed blocks they are hidden in. */
export interface DrawnEdge {
  id: string;
  source: string;
  sourceHandle?: string;
  target: string;
  targetHandle?: string;
  /** The layer output it carries, whose shape it is labelled with. */
  carries: OutputRef;
}

/**
 * The graph as drawn: every layer not hidden in a collapsed block, each outermost collapsed
 * block as one node (`blockNodeId`), and the connections between them. A connection inside
 * one collapsed block is not drawn; one that enters or leaves it is drawn to the block's
 * handle for that output, once for each pair of drawn ends and handles.
 */
export function drawnGraph(graph: Graph): { layers: string[]; collapsed: string[]; edges: DrawnEdge[] } {
  const hidden = new Map<string, string>();
  for (const node of graph.nodes) {
    const block = hiddenIn(graph, node.id);
    if (block !== undefined) hidden.set(node.id, block);
  }
  if (hidden.size === 0) {
    return {
      layers: graph.nodes.map((n) => n.id),
      collapsed: [],
      edges: graph.edges.map((e) => ({ ...e, carries: outputOf(e) })),
    };
  }
  const collapsed = [...new Set(hidden.values())];
  const ports = new Map(collapsed.map((id) => [id, collapsedPorts(graph, id)]));
  const portIndex = (refs: readonly OutputRef[], edge: GraphEdge) => refs.findIndex((r) => r.source === edge.source && (r.sourceHandle ?? '0') === (edge.sourceHandle ?? '0'));
  const drawn = new Set<string>();
  const edges: DrawnEdge[] = [];
  for (const edge of graph.edges) {
    const fromBlock = hidden.get(edge.source);
    const toBlock = hidden.get(edge.target);
    if (fromBlock !== undefined && fromBlock === toBlock) continue;
    const carries = outputOf(edge);
    const ends: DrawnEdge = { id: edge.id, source: edge.source, target: edge.target, carries };
    if (fromBlock !== undefined) {
      ends.source = blockNodeId(fromBlock);
      ends.sourceHandle = `out:${portIndex(ports.get(fromBlock)!.outputs, edge)}`;
    } else if (edge.sourceHandle) ends.sourceHandle = edge.sourceHandle;
    if (toBlock !== undefined) {
      ends.target = blockNodeId(toBlock);
      ends.targetHandle = `in:${portIndex(ports.get(toBlock)!.inputs, edge)}`;
    } else if (edge.targetHandle) ends.targetHandle = edge.targetHandle;
    const key = [ends.source, ends.sourceHandle ?? '', ends.target, ends.targetHandle ?? ''].join('\u0000');
    if (drawn.has(key)) continue;
    drawn.add(key);
    edges.push(ends);
  }
  return { layers: graph.nodes.filter((n) => !hidden.has(n.id)).map((n) => n.id), collapsed, edges };
}

/**
 * Whether a layer of the network is one of a block's layers or a copy of one: copies of a
 * repeated block's layers have the original's id with a copy number per level (`expandBlocks`).
 */
export function isCopyOf(networkId: string, layerIds: ReadonlySet<string>): boolean {
  if (layerIds.has(networkId)) return true;
  const match = /^(.*?)((?:__\d+)+)$/.exec(networkId);
  return match !== null && layerIds.has(match[1]!);
}
