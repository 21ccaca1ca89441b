import { GraphBuilder } from './builder.js';
import type { LayerCall, LayerEmitter } from './layer.js';
import { ATTENTION_EMITTERS } from './layers/attention.js';
import { CONVOLUTION_EMITTERS } from './layers/convolution.js';
import { CORE_EMITTERS } from './layers/core.js';
import { MERGE_EMITTERS } from './layers/merge.js';
import { NORMALIZATION_EMITTERS } from './layers/normalization.js';
import { POOLING_EMITTERS } from './layers/pooling.js';
import { RECURRENT_EMITTERS } from './layers/recurrent.js';
import { RESHAPING_EMITTERS } from './layers/reshaping.js';
import { WRAPPER_EMITTERS } from './layers/wrappers.js';
import { DataType, encodeModel, type DataTypeCode, type ValueInfo } from './proto.js';
import type { LayerRef, Shape } from '../../../shared/graph/types.js';
import { getLayerSpec, withDefaults } from '../../../shared/layers/registry.js';
import { maskRefusals } from '../mask.js';
import { describeNode, type ModelToExport, type Refusal } from '../model.js';

/** Every layer type ONNX export writes, by registry type. A type missing here is refused by name. */
export const EMITTERS: Readonly<Record<string, LayerEmitter>> = {
  ...CORE_EMITTERS,
  ...CONVOLUTION_EMITTERS,
  ...POOLING_EMITTERS,
  ...RESHAPING_EMITTERS,
  ...NORMALIZATION_EMITTERS,
  ...RECURRENT_EMITTERS,
  ...WRAPPER_EMITTERS,
  ...ATTENTION_EMITTERS,
  ...MERGE_EMITTERS,
};

export const OPSET = 17;
export const IR_VERSION = 8;
export const BATCH = 'batch';

/** Layers that read token ids: an Input feeding one takes int64. */
const READS_TOKEN_IDS = new Set(['Embedding', 'TokenAndPositionEmbedding']);

function layerProblem(type: string, params: LayerRef['params'], inputShapes: readonly Shape[]): string | null {
  const emitter = EMITTERS[type];
  const spec = getLayerSpec(type);
  if (!emitter || !spec) return `NetCanvas's ONNX export has no conversion for ${type} layers yet`;
  return emitter.refuse?.(withDefaults(spec, params), inputShapes, (ref, shapes) => layerProblem(ref.type, ref.params, shapes)) ?? null;
}

export function onnxRefusals(model: ModelToExport): Refusal[] {
  const refusals: Refusal[] = [];
  const masked = new Map(maskRefusals(model, 'ONNX').map((r) => [r.nodeId, r.reason]));
  for (const id of model.inference.order) {
    const node = model.graph.nodes.find((n) => n.id === id)!;
    if (node.type === 'Input') continue;
    const inputShapes = model.inference.portsOf[id]!.map((p) => model.inference.nodes[p.node]!.outputShapes![p.output]!);
    const reason = layerProblem(node.type, node.params, inputShapes) ?? masked.get(id) ?? null;
    if (reason) refusals.push({ nodeId: id, layer: describeNode(model.graph, id), reason });
  }
  return refusals;
}

const dims = (shape: Shape) => shape.map((d) => (d === null ? BATCH : d));

export interface OnnxModel {
  bytes: Uint8Array;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}

/** The ONNX model of a network its refusals left nothing out of. */
export function buildOnnx(model: ModelToExport): OnnxModel {
  const { graph, inference, layerNames } = model;
  const b = new GraphBuilder();
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  /** Node id → its outputs' values; `ids` holds an Input's int64 value where it has one. */
  const values = new Map<string, string[]>();
  const ids = new Map<string, string>();
  const inputs: ValueInfo[] = [];
  const valueInfo: ValueInfo[] = [];
  const declared = new Set<string>();

  for (const id of inference.order) {
    const node = byId.get(id)!;
    const name = layerNames.get(id)!;
    b.scope = name;
    const shapes = inference.nodes[id]!.outputShapes!;
    if (node.type === 'Input') {
      const readers = graph.edges.filter((e) => e.source === id).map((e) => byId.get(e.target)!.type);
      const tokens = readers.some((t) => READS_TOKEN_IDS.has(t));
      const dataType: DataTypeCode = tokens ? DataType.INT64 : DataType.FLOAT;
      const value = b.reserve(name);
      inputs.push({ name: value, dataType, dims: dims(shapes[0]!), doc: tokens ? 'token ids (int64)' : undefined });
      declared.add(value);
      if (tokens) ids.set(id, value);
      values.set(id, [tokens && readers.some((t) => !READS_TOKEN_IDS.has(t)) ? b.op1('Cast', [value], { to: DataType.FLOAT }) : value]);
      continue;
    }
    const spec = getLayerSpec(node.type)!;
    const ports = inference.portsOf[id]!;
    const call: Omit<LayerCall, 'b' | 'nest'> = {
      type: node.type,
      params: withDefaults(spec, node.params),
      inputs: ports.map((p) => (READS_TOKEN_IDS.has(node.type) && ids.has(p.node) ? ids.get(p.node)! : values.get(p.node)![p.output]!)),
      inputShapes: ports.map((p) => inference.nodes[p.node]!.outputShapes![p.output]!),
      outputShapes: shapes,
      weights: model.weights.get(id) ?? [],
      name,
    };
    const nest = (inner: Omit<LayerCall, 'b' | 'nest'>): string[] => EMITTERS[inner.type]!.emit({ ...inner, b, nest });
    const outputs = EMITTERS[node.type]!.emit({ ...call, b, nest });
    values.set(id, outputs);
    outputs.forEach((value, i) => {
      if (declared.has(value)) return;
      declared.add(value);
      valueInfo.push({ name: value, dataType: DataType.FLOAT, dims: dims(shapes[i]!) });
    });
  }

  const outputs: ValueInfo[] = inference.outputIds.map((id) => {
    b.scope = layerNames.get(id)!;
    const name = b.reserve(inputs.some((i) => i.name === b.scope) ? `${b.scope}_output` : b.scope);
    b.nodes.push({ opType: 'Identity', name: b.fresh('Identity_node'), inputs: [values.get(id)![0]!], outputs: [name], attributes: {} });
    return { name, dataType: DataType.FLOAT, dims: dims(inference.nodes[id]!.outputShapes![0]!) };
  });

  const bytes = encodeModel({
    irVersion: IR_VERSION,
    opset: OPSET,
    producerName: 'NetCanvas',
    doc: `${model.name}, exported by NetCanvas${model.runId ? ` from run ${model.runId}` : ''}.`,
    graph: { name: model.name, nodes: b.nodes, initializers: b.initializers, inputs, outputs, valueInfo },
    metadata: { netcanvas_run: model.runId ?? 'untrained' },
  });
  return { bytes, inputs, outputs };
}
