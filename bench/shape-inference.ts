/**
 * How long shape inference takes on a 300-node graph, as the canvas runs it on every edit.
 * The graph is a residual CNN (convolution, batch norm, activation, skip-connection Add)
 * followed by a small transformer stack: the layer mix of a real model. Prints figures;
 * the target is a few milliseconds, well inside one 16 ms frame.
 */
import { inferGraph } from '../shared/graph/infer.js';
import type { Graph, GraphEdge, GraphNode, Params } from '../shared/graph/types.js';

function residualNetwork(targetNodes: number): Graph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const add = (type: string, params: Params, ...inputs: string[]): string => {
    const id = `n${nodes.length}`;
    nodes.push({ id, type, params, position: { x: nodes.length * 10, y: 0 } });
    for (const src of inputs) edges.push({ id: `e${edges.length}`, source: src, target: id });
    return id;
  };
  let x = add('Input', { shape: [32, 32, 16] });
  while (nodes.length < targetNodes - 12) {
    const a = add('Conv2D', { filters: 16, kernelSize: [3, 3], padding: 'same' }, x);
    const b = add('BatchNormalization', {}, a);
    const c = add('Activation', { activation: 'relu' }, b);
    const d = add('Conv2D', { filters: 16, kernelSize: [3, 3], padding: 'same' }, c);
    const e = add('BatchNormalization', {}, d);
    const f = add('Add', {}, e, x);
    x = add('Activation', { activation: 'relu' }, f);
  }
  x = add('Reshape', { targetShape: [64, 256] }, x);
  x = add('Dense', { units: 64 }, x);
  while (nodes.length < targetNodes - 3) x = add('TransformerEncoderBlock', { intermediateDim: 128, numHeads: 4 }, x);
  x = add('GlobalAveragePooling1D', {}, x);
  x = add('Dropout', { rate: 0.1 }, x);
  add('Dense', { units: 10, activation: 'softmax' }, x);
  return { nodes, edges };
}

function stats(times: number[]): { median: number; p95: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, p95: sorted[Math.floor(sorted.length * 0.95)]! };
}

const graph = residualNetwork(300);
const first = inferGraph(graph);
if (first.diagnostics.length > 0) {
  console.error('The benchmark graph has problems:', first.diagnostics.slice(0, 3));
  process.exit(1);
}
for (let i = 0; i < 50; i++) inferGraph(graph); // warm up the JIT

const times: number[] = [];
for (let i = 0; i < 300; i++) {
  // An edit as the inspector makes it: a new params object on one node, then a full re-inference.
  const node = graph.nodes[1 + (i % (graph.nodes.length - 1))]!;
  node.params = { ...node.params };
  const start = performance.now();
  inferGraph(graph);
  times.push(performance.now() - start);
}
const { median, p95 } = stats(times);
console.log(`Shape inference on ${graph.nodes.length} nodes, ${graph.edges.length} edges (${first.totalParams.toLocaleString('en-US')} params):`);
console.log(`  median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms per full inference (one frame is 16.7 ms; ${(16.7 / p95).toFixed(0)}× headroom at p95)`);
