import type { Diagnostic } from './diagnostics.js';
import type { Graph, GraphEdge, GraphNode, Shape } from './types.js';
import { checkParam, getLayerSpec, withDefaults } from '../layers/registry.js';
import type { OutputHint } from '../layers/types.js';

export interface NodeInfo {
  /** The first output's shape; absent when the node has a problem (or one upstream). */
  outputShape?: Shape;
  /** Every output's shape, in output-index order (more than one for e.g. an LSTM returning states). */
  outputShapes?: readonly Shape[];
  trainableParams: number;
  nonTrainableParams: number;
  /** What the layer said of its first output for the layers it feeds. */
  outputHint?: OutputHint;
}

/** One input of a node: which node feeds it, and which of that node's outputs. */
export interface Port {
  node: string;
  output: number;
  edgeId: string;
}

export interface Inference {
  /** Node ids in an order where every node comes after its inputs (nodes on cycles are left out). */
  order: string[];
  nodes: Record<string, NodeInfo>;
  /** Incoming node ids per node, in the order the layer receives them (slot order, then edge order). */
  inputsOf: Record<string, string[]>;
  /** The same inputs with the source output each one uses. */
  portsOf: Record<string, Port[]>;
  inputIds: string[];
  outputIds: string[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  diagnostics: Diagnostic[];
}

/** The shape a connection carries: its source's output at the handle it leaves from. */
export function carriedShape(inference: Inference, source: string, sourceHandle?: string | null): Shape | undefined {
  return inference.nodes[source]?.outputShapes?.[Number(sourceHandle ?? 0) || 0];
}

function layerName(node: GraphNode): string {
  return node.name ? `${node.type} "${node.name}"` : node.type;
}

/**
 * Shape inference and validation of a whole graph. Pure and total: problems come back as
 * diagnostics on the nodes they concern, never as exceptions.
 */
export function inferGraph(graph: Graph): Inference {
  const diagnostics: Diagnostic[] = [];
  const nodesById = new Map<string, GraphNode>();
  for (const node of graph.nodes) {
    if (nodesById.has(node.id)) {
      diagnostics.push({ code: 'DUPLICATE_ID', nodeId: node.id, message: `Two layers share the id "${node.id}"; every layer needs its own.` });
      continue;
    }
    nodesById.set(node.id, node);
  }

  const incoming: Record<string, GraphEdge[]> = {};
  const outputsOf: Record<string, string[]> = {};
  for (const id of nodesById.keys()) {
    incoming[id] = [];
    outputsOf[id] = [];
  }
  for (const edge of graph.edges) {
    const missing = [edge.source, edge.target].filter((id) => !nodesById.has(id));
    if (missing.length > 0) {
      diagnostics.push({
        code: 'DANGLING_EDGE',
        nodeId: nodesById.has(edge.source) ? edge.source : nodesById.has(edge.target) ? edge.target : undefined,
        message: `Connection "${edge.id}" points to a layer that does not exist (${missing.join(', ')}); remove it.`,
      });
      continue;
    }
    incoming[edge.target]!.push(edge);
    outputsOf[edge.source]!.push(edge.target);
  }
  const portsOf: Record<string, Port[]> = {};
  const slotProblems = new Set<string>();
  for (const [id, edges] of Object.entries(incoming)) {
    const slots = getLayerSpec(nodesById.get(id)!.type)?.inputs.slots;
    const ordered = slots ? orderBySlot(edges, slots) : { edges, problem: null };
    if (ordered.problem) {
      diagnostics.push({ code: 'UNKNOWN_SLOT', nodeId: id, message: `${layerName(nodesById.get(id)!)}: ${ordered.problem}` });
      slotProblems.add(id);
    }
    portsOf[id] = ordered.edges.map((e) => ({ node: e.source, output: outputIndex(e), edgeId: e.id }));
  }
  const inputsOf: Record<string, string[]> = Object.fromEntries(Object.entries(portsOf).map(([id, ports]) => [id, ports.map((p) => p.node)]));

  // Kahn's algorithm: whatever is never released sits on or behind a cycle.
  const pending = new Map<string, number>();
  for (const [id, ins] of Object.entries(inputsOf)) pending.set(id, ins.length);
  const queue = [...nodesById.keys()].filter((id) => pending.get(id) === 0);
  const order: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    order.push(id);
    for (const next of outputsOf[id]!) {
      const left = pending.get(next)! - 1;
      pending.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  if (order.length < nodesById.size) {
    for (const cycle of findCycleNodes(nodesById, outputsOf, new Set(order))) {
      const names = cycle.map((id) => layerName(nodesById.get(id)!));
      for (const id of cycle) {
        diagnostics.push({
          code: 'CYCLE',
          nodeId: id,
          message: `This layer is part of a loop (${[...names, names[0]].join(' → ')}). Data must flow one way: remove one of these connections.`,
        });
      }
    }
  }

  const info: Record<string, NodeInfo> = {};
  let trainable = 0;
  let nonTrainable = 0;
  for (const id of order) {
    const node = nodesById.get(id)!;
    info[id] = { trainableParams: 0, nonTrainableParams: 0 };
    const spec = getLayerSpec(node.type);
    if (!spec) {
      diagnostics.push({ code: 'UNKNOWN_LAYER', nodeId: id, message: `Unknown layer type "${node.type}"; remove it or replace it with a known layer.` });
      continue;
    }
    const params = withDefaults(spec, node.params);
    const paramProblems = spec.params
      .map((p) => checkParam(p, params[p.name]))
      .filter((m): m is string => m !== null);
    for (const message of paramProblems) {
      diagnostics.push({ code: 'INVALID_PARAM', nodeId: id, message: `${layerName(node)}: ${message}.` });
    }

    const ins = portsOf[id]!;
    if (spec.inputs.max === 0 && ins.length > 0) {
      diagnostics.push({ code: 'INPUT_HAS_INCOMING', nodeId: id, message: `${layerName(node)} is where data enters; nothing can connect into it. Remove the incoming connection.` });
      continue;
    }
    if (ins.length < spec.inputs.min) {
      const what = spec.inputs.min === 1 ? 'no input: connect a layer into it' : `${ins.length} input${ins.length === 1 ? '' : 's'} but needs at least ${spec.inputs.min}: connect more layers into it`;
      diagnostics.push({ code: 'MISSING_INPUT', nodeId: id, message: `${layerName(node)} has ${what}.` });
      continue;
    }
    if (ins.length > spec.inputs.max) {
      diagnostics.push({
        code: 'TOO_MANY_INPUTS',
        nodeId: id,
        message: `${layerName(node)} takes ${spec.inputs.max} input${spec.inputs.max === 1 ? '' : 's'} but has ${ins.length}; to combine layers use a merge layer such as Add or Concatenate.`,
      });
      continue;
    }
    if (paramProblems.length > 0 || slotProblems.has(id)) continue;
    let upstreamMissing = false;
    const inShapes: Shape[] = [];
    for (const port of ins) {
      const shapes = info[port.node]?.outputShapes;
      if (!shapes) {
        upstreamMissing = true; // an upstream problem is already reported
        continue;
      }
      const shape = shapes[port.output];
      if (!shape) {
        const source = nodesById.get(port.node)!;
        diagnostics.push({
          code: 'NO_SUCH_OUTPUT',
          nodeId: id,
          message: `${layerName(node)} is connected to output ${port.output + 1} of ${layerName(source)}, which has only ${shapes.length}; reconnect it to an existing output.`,
        });
        upstreamMissing = true;
        continue;
      }
      inShapes.push(shape);
    }
    if (upstreamMissing) continue;
    const hints = ins.map((port) => (port.output === 0 ? info[port.node]?.outputHint : undefined));
    const result = spec.outputShape(inShapes, params, hints);
    if (!result.ok) {
      let fix = result.fix;
      if (fix?.kind === 'set-param' && fix.onInput !== undefined) {
        const { onInput, ...rest } = fix;
        fix = { ...rest, nodeId: ins[onInput]?.node ?? id };
      }
      diagnostics.push({ code: result.code, nodeId: id, message: result.message, ...(fix ? { fix } : {}) });
      continue;
    }
    const counted = spec.paramCount(inShapes, params);
    // As in Keras, every weight of a frozen layer is non-trainable.
    const count = node.frozen ? { trainable: 0, nonTrainable: counted.trainable + counted.nonTrainable } : counted;
    const outputShapes = [result.shape, ...(result.extra ?? [])];
    info[id] = {
      outputShape: result.shape,
      outputShapes,
      trainableParams: count.trainable,
      nonTrainableParams: count.nonTrainable,
      ...(result.hint ? { outputHint: result.hint } : {}),
    };
    trainable += count.trainable;
    nonTrainable += count.nonTrainable;
  }

  const inputIds = [...nodesById.values()].filter((n) => getLayerSpec(n.type)?.inputs.max === 0).map((n) => n.id);
  const outputIds = [...nodesById.keys()].filter((id) => outputsOf[id]!.length === 0 && !inputIds.includes(id));
  if (nodesById.size > 0 && inputIds.length === 0) {
    diagnostics.push({ code: 'NO_INPUT_LAYER', message: 'The network has no Input layer: add one where the data enters.' });
  }
  // In a loop every layer feeds another, so none looks like an output: the loop is what to fix.
  const looped = diagnostics.some((d) => d.code === 'CYCLE');
  if (inputIds.length > 0 && outputIds.length === 0 && !looped) {
    diagnostics.push({ code: 'NO_OUTPUT_LAYER', message: 'The network has no output: connect a layer after the Input.' });
  }

  return {
    order,
    nodes: info,
    inputsOf,
    portsOf,
    inputIds,
    outputIds,
    totalParams: trainable + nonTrainable,
    trainableParams: trainable,
    nonTrainableParams: nonTrainable,
    diagnostics,
  };
}

function outputIndex(edge: GraphEdge): number {
  const index = edge.sourceHandle === undefined || edge.sourceHandle === null ? 0 : Number(edge.sourceHandle);
  return Number.isInteger(index) && index >= 0 ? index : 0;
}

/**
 * Puts a node's incoming edges in slot order: edges naming a slot go there, the others
 * fill the free slots in edge order. Slots must be filled from the first without gaps.
 */
function orderBySlot(edges: readonly GraphEdge[], slots: readonly string[]): { edges: GraphEdge[]; problem: string | null } {
  const placed: (GraphEdge | undefined)[] = [];
  const loose: GraphEdge[] = [];
  for (const edge of edges) {
    if (edge.targetHandle === undefined || edge.targetHandle === null || edge.targetHandle === '') {
      loose.push(edge);
      continue;
    }
    const index = slots.indexOf(edge.targetHandle);
    if (index < 0) return { edges: [...edges], problem: `it has no input named "${edge.targetHandle}" (its inputs are ${slots.join(', ')}).` };
    if (placed[index]) return { edges: [...edges], problem: `two connections go into its ${slots[index]} input; remove one.` };
    placed[index] = edge;
  }
  for (const edge of loose) {
    let index = 0;
    while (placed[index]) index++;
    placed[index] = edge;
  }
  const gap = placed.findIndex((e) => e === undefined);
  if (gap >= 0 && gap < placed.length) {
    return { edges: [...edges], problem: `its ${slots[gap]} input is not connected but a later one is; connect ${slots[gap]} first.` };
  }
  return { edges: placed as GraphEdge[], problem: null };
}

/** Strongly connected components with more than one node (or a self-loop), by Tarjan's algorithm. */
function findCycleNodes(nodes: Map<string, GraphNode>, outputsOf: Record<string, string[]>, acyclic: Set<string>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];

  const visit = (id: string): void => {
    indices.set(id, index);
    low.set(id, index);
    index++;
    stack.push(id);
    onStack.add(id);
    for (const next of outputsOf[id]!) {
      if (acyclic.has(next)) continue;
      if (!indices.has(next)) {
        visit(next);
        low.set(id, Math.min(low.get(id)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(id, Math.min(low.get(id)!, indices.get(next)!));
      }
    }
    if (low.get(id) === indices.get(id)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== id);
      if (component.length > 1 || outputsOf[id]!.includes(id)) cycles.push(component.reverse());
    }
  };
  for (const id of nodes.keys()) if (!acyclic.has(id) && !indices.has(id)) visit(id);
  return cycles;
}
