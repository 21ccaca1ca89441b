/**
 * The canvas's work on a 300-layer network that is not drawing: arranging it with the layered
 * layout (Arrange the network), and shape inference after an edit with its blocks expanded.
 * The network is a residual CNN with branching units, then a transformer stack whose attention
 * takes query, value and key on named inputs; once plain, once with every unit in a block and
 * the units grouped in stages. Prints figures; the targets are under 1 s for a layout and
 * under one 16 ms frame for inference.
 */
import { autoLayout } from '../shared/graph/auto-layout.js';
import { inferNetwork } from '../shared/graph/blocks.js';
import type { Graph } from '../shared/graph/types.js';
import { branchingNetwork, drawnSizes, shapeLabels } from '../test/fixtures/large-graphs.js';

const LAYERS = 300;

function percentile(times: readonly number[], p: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function layoutTimes(graph: Graph, runs: number): Promise<number[]> {
  const options = { sizeOf: drawnSizes(graph), edgeLabelOf: shapeLabels(graph) };
  await autoLayout(graph, options); // the first run loads and warms the layout engine
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await autoLayout(graph, options);
    times.push(performance.now() - start);
  }
  return times;
}

function inferenceTimes(graph: Graph, runs: number): number[] {
  for (let i = 0; i < 30; i++) inferNetwork(graph);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    // An edit as the inspector makes it: a new params object on one layer, then the whole network again.
    const nodes = graph.nodes.map((n, j) => (j === 1 + (i % (graph.nodes.length - 1)) ? { ...n, params: { ...n.params } } : n));
    const edited = { ...graph, nodes };
    const start = performance.now();
    inferNetwork(edited);
    times.push(performance.now() - start);
  }
  return times;
}

for (const [label, graph] of [
  ['plain', branchingNetwork(LAYERS)],
  ['in blocks and stages', branchingNetwork(LAYERS, { blocks: true, stages: true })],
] as const) {
  const problems = inferNetwork(graph).diagnostics;
  if (problems.length > 0) {
    console.error(`The ${label} benchmark network has problems:`, problems.slice(0, 3));
    process.exit(1);
  }
  const layout = await layoutTimes(graph, 5);
  const inference = inferenceTimes(graph, 200);
  console.log(`Canvas, ${graph.nodes.length} layers ${label} (${graph.edges.length} connections, ${graph.blocks?.length ?? 0} blocks):`);
  console.log(`  arrange (ELK layered): median ${percentile(layout, 0.5).toFixed(0)} ms, slowest ${Math.max(...layout).toFixed(0)} ms of ${layout.length} (target under 1000 ms)`);
  console.log(`  shape inference after an edit: median ${percentile(inference, 0.5).toFixed(2)} ms, p95 ${percentile(inference, 0.95).toFixed(2)} ms (target under 16 ms)`);
}
