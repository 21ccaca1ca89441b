import type { Summary } from '../api/contract.js';
import type { Graph } from './types.js';
import { analyseNetwork } from './blocks.js';

/** A Keras-style `model.summary()` of a graph's network (its blocks expanded), as plain data. */
export function summarize(document: Graph): Summary {
  const { network: graph, inference } = analyseNetwork(document);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  return {
    totalParams: inference.totalParams,
    trainableParams: inference.trainableParams,
    nonTrainableParams: inference.nonTrainableParams,
    outputShapes: inference.outputIds.map((id) => [...(inference.nodes[id]?.outputShape ?? [])].slice(1)),
    layers: inference.order.map((id) => {
      const node = byId.get(id)!;
      const info = inference.nodes[id]!;
      return {
        id,
        name: node.name ?? id,
        type: node.type,
        outputShape: info.outputShape ? [...info.outputShape] : null,
        params: info.trainableParams + info.nonTrainableParams,
      };
    }),
    errors: inference.diagnostics.map((d) => ({ node: d.nodeId ?? null, code: d.code, message: d.message })),
  };
}
